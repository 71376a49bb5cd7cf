import { dayspan, plural, type LocaleStrings } from "~/templates/locales/build";

// Neutral Spanish, addressing the buyer as «tú» (as Shopify's own Spanish notifications do).
const dias = (expr: string): string => plural(expr, "día", "días");
const diasHabiles = (expr: string): string => plural(expr, "día hábil", "días hábiles");

const es: LocaleStrings = {
  lang: "es",
  colon: ": ",
  space: " ",
  textHeading: (heading) => heading.toUpperCase(),
  dateFormat: "%-d de %B de %Y",
  greeting: "Hola{% if buyer.first_name != blank %}, {{ buyer.first_name }}{% elsif buyer.name != blank %}, {{ buyer.name }}{% endif %}:",
  signoff: "Un saludo,",
  estimate: `{{ estimated_delivery.range }} (${dayspan()} ${diasHabiles("estimated_delivery.max_business_days")})`,
  labels: {
    order: "Pedido",
    orderDate: "Fecha del pedido",
    total: "Total",
    shippedOn: "Fecha de envío",
    carrier: "Transportista",
    trackingNumber: "Número de seguimiento",
    newTrackingNumber: "Nuevo número de seguimiento",
    replaces: "Sustituye a",
    estimatedDelivery: "Entrega estimada",
    originalEstimate: "Estimación inicial",
    latestUpdate: "Última actualización del transportista",
  },
  trackCarrier: "Seguir mi paquete",
  trackPage: "Ver el seguimiento en nuestra web",
  unsubscribe: { sentence: "¿No quieres recibir más avisos sobre tus entregas?", link: "Cancelar la suscripción" },

  handling_commitment: {
    subject: "Estamos preparando tu pedido {{ order.name }}",
    preheader: "Tu pedido {{ order.name }} se está preparando para el envío.",
    thanks: "Gracias por tu pedido {{ order.name }} en {{ shop.name }}.",
    next: "Estos son los próximos pasos:",
    handling: `En un plazo de **{{ commitment.handling_hours }} ${plural("commitment.handling_hours", "hora", "horas")}** prepararemos tu artículo y obtendremos el número de seguimiento del transportista.`,
    online: `Después, el número tarda **{{ commitment.online_tracking_days }} ${dias("commitment.online_tracking_days")}** más en aparecer en el sistema de seguimiento.`,
    quality: "Antes de enviar tu pedido, revisamos la calidad de cada producto.",
    closing: "Te enviaremos el número de seguimiento por correo electrónico en cuanto tu paquete esté en camino. Si tienes cualquier pregunta, solo tienes que responder a este correo.",
  },

  shipping_confirmation: {
    subject: "Tu pedido {{ order.name }} ya está en camino",
    preheader: "Tu pedido {{ order.name }} está en camino{% if carrier %} con {{ carrier.name }}{% endif %}.",
    intro: "¡Buenas noticias! Tu pedido {{ order.name }} ya va de camino.",
    firstScan: `El transportista puede tardar hasta {{ commitment.online_tracking_days }} ${dias("commitment.online_tracking_days")} en registrar el primer movimiento, así que no te preocupes si al principio el seguimiento aparece vacío.`,
    noTracking: "Te enviaremos el número de seguimiento en cuanto nos lo facilite el transportista.",
    questions: "¿Tienes alguna pregunta sobre tu pedido? Responde a este correo y te ayudaremos encantados.",
  },

  tracking_updated: {
    subject: "Nuevo número de seguimiento para tu pedido {{ order.name }}",
    preheader: "Tu pedido {{ order.name }} tiene un nuevo número de seguimiento.",
    intro:
      "El número de seguimiento de tu pedido {{ order.name }} ha cambiado. {% if tracking.previous_number %}El número anterior, {{ tracking.previous_number }}, ha sido sustituido{% else %}El número anterior ha sido sustituido{% endif %} y ya no se actualizará, así que utiliza el nuevo que encontrarás a continuación.",
    showUpdates: `El nuevo número puede tardar hasta {{ commitment.online_tracking_days }} ${dias("commitment.online_tracking_days")} en mostrar actualizaciones.`,
    questions: "¿Alguna pregunta? Solo tienes que responder a este correo.",
  },

  delay_notice: {
    subject: "Novedades sobre la entrega de tu pedido {{ order.name }}",
    preheader: "Sentimos que tu pedido {{ order.name }} esté tardando más de lo previsto.",
    apology: "Lo sentimos: tu pedido {{ order.name }} está tardando más de lo previsto en llegar, y queremos contarte en qué punto se encuentra.",
    happening: "Qué está pasando",
    overdue: `{% if estimated_delivery %}El plazo de entrega estimado ({{ estimated_delivery.range }}) ya ha pasado y tu paquete{% else %}Tu paquete{% endif %} todavía no ha llegado{% if delay.days_overdue > 0 %}: lleva {{ delay.days_overdue }} ${diasHabiles("delay.days_overdue")} de retraso{% endif %}. Los envíos internacionales suelen quedar retenidos en la aduana o en algún centro logístico del transportista con mucho volumen, y normalmente es algo temporal.`,
    silent: `El transportista no ha registrado ningún movimiento nuevo desde hace {{ delay.days_silent }} ${dias("delay.days_silent")}. Lo más habitual es que el paquete esté pendiente de despacho en la aduana: mientras tanto, el seguimiento suele detenerse y se reanuda en cuanto el paquete queda liberado.`,
    exception: `El transportista ha informado de una incidencia en la entrega{% if last_event.message %} el {{ last_event.happened_at | date: "%-d de %B" }}: «{{ last_event.message }}»{% endif %}. Normalmente significa que no se pudo completar un intento de entrega, por ejemplo porque no había nadie para recibir el paquete o porque había que comprobar la dirección.`,
    general: "Los paquetes que viajan entre países suelen quedar retenidos unos días en la aduana o en algún centro logístico del transportista. Normalmente es algo temporal.",
    watching: "Estamos pendientes de tu paquete y tomaremos medidas si no avanza pronto.",
    canDo: "Qué puedes hacer",
    checkLinks: "Consulta el estado más reciente en los enlaces de abajo.",
    rearrange: "Si el transportista te ha dejado un aviso o te pide concertar una nueva entrega, contacta con él cuanto antes: normalmente solo guarda los paquetes durante un tiempo limitado antes de devolverlos.",
    answerCarrier: "Si la aduana o el transportista se ponen en contacto contigo (por ejemplo, por los aranceles de importación o para acordar la entrega), respóndeles lo antes posible: el paquete no puede avanzar hasta que reciban tu respuesta.",
    replyToUs: "Si no hay novedades en los próximos días, responde a este correo y nos pondremos en contacto con el transportista por ti.",
    thanks: "Gracias por tu paciencia, y disculpa de nuevo la espera.",
  },

  feedback_request: {
    // After a delay notice or a parcel later than its printed window: printed first (feedback.after_delay).
    patience: "Gracias por tu paciencia. Tu paquete tardó más de lo previsto en llegar y lamentamos la espera.",
    subject: "¿Qué tal tu pedido {{ order.name }}?",
    preheader: "Esperamos que tu pedido {{ order.name }} haya llegado bien.",
    hope: "Esperamos que tu pedido {{ order.name }} haya llegado en perfecto estado y que lo disfrutes.",
    review: "Si tienes un minuto, nos encantaría conocer tu opinión sincera. Sea cual sea tu experiencia, ayuda a otros compradores y nos ayuda a mejorar.",
    rate: "¿Qué valoración le darías a tu pedido? Elige una para dejar tu opinión:",
    stars: ["1 estrella", "2 estrellas", "3 estrellas", "4 estrellas", "5 estrellas"],
    reviewButton: "Dejar una valoración",
    products: "Lo que pediste",
    contactFirst: "Si algo no está bien (un daño, un artículo que falta o cualquier otra cosa), ponte en contacto primero con nosotros. Haremos todo lo posible por solucionarlo.",
    contactButton: "Contactar",
    problem: "Si algo no está bien (un daño, un artículo que falta o cualquier otra cosa), ponte en contacto primero con nosotros respondiendo a este correo. Haremos todo lo posible por solucionarlo.",
    thanks: "¡Gracias por comprar en {{ shop.name }}!",
  },
};

export default es;
