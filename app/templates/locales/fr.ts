import { dayspan, type LocaleStrings } from "~/templates/locales/build";

// French, addressing the buyer as «vous». French typography puts a no-break space before
// : ? ! and inside « », written here as ${nb}.
const nb = "\u00a0";
// In French, 0 and 1 take the singular.
const fr_plural = (expr: string, one: string, other: string): string => `{% if ${expr} > 1 %}${other}{% else %}${one}{% endif %}`;
const jours = (expr: string): string => fr_plural(expr, "jour", "jours");
const joursOuvres = (expr: string): string => fr_plural(expr, "jour ouvré", "jours ouvrés");

const fr: LocaleStrings = {
  lang: "fr",
  colon: `${nb}: `,
  space: " ",
  textHeading: (heading) => heading.toUpperCase(),
  dateFormat: "%-d %B %Y",
  greeting: "Bonjour{% if buyer.first_name != blank %} {{ buyer.first_name }}{% elsif buyer.name != blank %} {{ buyer.name }}{% endif %},",
  signoff: "Cordialement,",
  estimate: `{{ estimated_delivery.range }} (${dayspan()} ${joursOuvres("estimated_delivery.max_business_days")})`,
  labels: {
    order: "Commande",
    orderDate: "Date de commande",
    total: "Total",
    shippedOn: "Date d’expédition",
    carrier: "Transporteur",
    trackingNumber: "Numéro de suivi",
    newTrackingNumber: "Nouveau numéro de suivi",
    replaces: "Remplace",
    estimatedDelivery: "Livraison estimée",
    originalEstimate: "Estimation initiale",
    latestUpdate: "Dernière information du transporteur",
  },
  trackCarrier: "Suivre mon colis",
  trackPage: "Suivre ma commande sur notre site",
  unsubscribe: { sentence: `Vous ne souhaitez plus recevoir ces informations de livraison${nb}?`, link: "Se désabonner" },

  handling_commitment: {
    subject: "Nous préparons votre commande {{ order.name }}",
    preheader: "Votre commande {{ order.name }} est en cours de préparation.",
    thanks: "Merci pour votre commande {{ order.name }} chez {{ shop.name }}.",
    next: `Voici les prochaines étapes${nb}:`,
    handling: `Votre article sera préparé sous **{{ commitment.handling_hours }} ${fr_plural("commitment.handling_hours", "heure", "heures")}** afin d’obtenir un numéro de suivi auprès du transporteur.`,
    online: `Il faut ensuite compter **{{ commitment.online_tracking_days }} ${fr_plural("commitment.online_tracking_days", "jour supplémentaire", "jours supplémentaires")}** pour que ce numéro soit consultable en ligne.`,
    quality: "Avant l’expédition, nous contrôlons la qualité de chaque produit.",
    closing: "Nous vous enverrons le numéro de suivi par e-mail dès que votre colis sera en route. Pour toute question, il vous suffit de répondre à cet e-mail.",
  },

  shipping_confirmation: {
    subject: "Votre commande {{ order.name }} a été expédiée",
    preheader: "Votre commande {{ order.name }} est en route{% if carrier %} avec {{ carrier.name }}{% endif %}.",
    intro: `Bonne nouvelle${nb}: votre commande {{ order.name }} est en route.`,
    firstScan: `Le premier scan peut mettre jusqu’à {{ commitment.online_tracking_days }} ${jours("commitment.online_tracking_days")} à apparaître chez le transporteur${nb}: ne vous inquiétez donc pas si le suivi est vide au début.`,
    noTracking: "Nous vous enverrons le numéro de suivi dès que le transporteur nous l’aura communiqué.",
    questions: `Une question sur votre commande${nb}? Répondez simplement à cet e-mail, nous serons ravis de vous aider.`,
  },

  tracking_updated: {
    subject: "Nouveau numéro de suivi pour votre commande {{ order.name }}",
    preheader: "Votre commande {{ order.name }} a un nouveau numéro de suivi.",
    intro: `Le numéro de suivi de votre commande {{ order.name }} a changé. {% if tracking.previous_number %}L’ancien numéro ({{ tracking.previous_number }}) a été remplacé{% else %}L’ancien numéro a été remplacé{% endif %} et ne sera plus mis à jour${nb}: merci d’utiliser le nouveau numéro ci-dessous.`,
    showUpdates: `Les premières informations de suivi peuvent mettre jusqu’à {{ commitment.online_tracking_days }} ${jours("commitment.online_tracking_days")} à apparaître pour ce nouveau numéro.`,
    questions: `Une question${nb}? Répondez simplement à cet e-mail.`,
  },

  delay_notice: {
    subject: "Des nouvelles de la livraison de votre commande {{ order.name }}",
    preheader: "Nous sommes désolés, votre commande {{ order.name }} prend plus de temps que prévu.",
    apology: `Nous sommes désolés${nb}: votre commande {{ order.name }} met plus de temps que prévu à vous parvenir. Voici où en est la livraison.`,
    happening: "Ce qui se passe",
    overdue: `{% if estimated_delivery %}La période de livraison estimée ({{ estimated_delivery.range }}) est dépassée et votre colis{% else %}Votre colis{% endif %} n’est pas encore arrivé{% if delay.days_overdue > 0 %}${nb}: il a maintenant {{ delay.days_overdue }} ${joursOuvres("delay.days_overdue")} de retard{% endif %}. Les colis internationaux sont le plus souvent retenus en douane ou dans un centre de tri très chargé, et c’est généralement temporaire.`,
    silent: `Le transporteur n’a enregistré aucun nouveau scan depuis {{ delay.days_silent }} ${jours("delay.days_silent")}. La cause la plus fréquente est la douane${nb}: pendant le dédouanement, le suivi s’interrompt souvent, puis reprend une fois le colis libéré.`,
    exception: `Le transporteur a signalé un incident de livraison{% if last_event.message %} le {{ last_event.happened_at | date: "%-d %B" }}${nb}: «${nb}{{ last_event.message }}${nb}»{% endif %}. Cela signifie généralement qu’une tentative de livraison n’a pas abouti, par exemple parce que personne n’était présent pour réceptionner le colis ou que l’adresse devait être vérifiée.`,
    general: "Les colis qui voyagent d’un pays à l’autre sont le plus souvent retenus quelques jours en douane ou dans un centre de tri du transporteur. C’est généralement temporaire.",
    watching: "Nous suivons votre colis de près et interviendrons s’il ne progresse pas rapidement.",
    canDo: "Ce que vous pouvez faire",
    checkLinks: "Consultez le dernier statut grâce aux liens ci-dessous.",
    rearrange: `Si le transporteur a laissé un avis de passage ou vous demande de reprogrammer la livraison, contactez-le rapidement${nb}: il ne conserve généralement un colis que pendant une durée limitée avant de le retourner.`,
    answerCarrier: `Si la douane ou le transporteur vous contacte (par exemple pour des droits d’importation ou un rendez-vous de livraison), répondez-leur rapidement${nb}: le colis ne peut pas avancer sans votre réponse.`,
    replyToUs: "Si rien ne change dans les prochains jours, répondez à cet e-mail et nous relancerons le transporteur pour vous.",
    thanks: "Merci pour votre patience, et encore toutes nos excuses pour l’attente.",
  },

  feedback_request: {
    // After a delay notice or a parcel later than its printed window: printed first (feedback.after_delay).
    patience: "Merci de votre patience. Votre colis a mis plus de temps que prévu à vous parvenir et nous en sommes désolés.",
    subject: `Votre commande {{ order.name }} vous plaît-elle${nb}?`,
    preheader: "Nous espérons que votre commande {{ order.name }} est bien arrivée.",
    hope: "Nous espérons que votre commande {{ order.name }} est bien arrivée et qu’elle vous plaît.",
    review: "Si vous avez une minute, votre avis sincère nous serait précieux. Quelle que soit votre expérience, il aide les autres clients et nous aide à nous améliorer.",
    rate: `Quelle note donneriez-vous à votre commande${nb}? Choisissez-la pour laisser votre avis${nb}:`,
    stars: ["1 étoile", "2 étoiles", "3 étoiles", "4 étoiles", "5 étoiles"],
    reviewButton: "Laisser un avis",
    products: "Votre commande",
    contactFirst: "Si quelque chose ne va pas (un article abîmé, un article manquant ou tout autre souci), contactez-nous d’abord. Nous ferons tout notre possible pour trouver une solution.",
    contactButton: "Nous contacter",
    problem: "Si quelque chose ne va pas (un article abîmé, un article manquant ou tout autre souci), contactez-nous d’abord en répondant à cet e-mail. Nous ferons tout notre possible pour trouver une solution.",
    thanks: `Merci d’avoir choisi {{ shop.name }}${nb}!`,
  },
};

export default fr;
