import { dayspan, plural, type LocaleStrings } from "~/templates/locales/build";

// Brazilian Portuguese («você»). Also used for "pt-BR" and any "pt-*" other than "pt-PT".
const dias = (expr: string): string => plural(expr, "dia", "dias");
const diasUteis = (expr: string): string => plural(expr, "dia útil", "dias úteis");

const pt: LocaleStrings = {
  lang: "pt-BR",
  colon: ": ",
  space: " ",
  textHeading: (heading) => heading.toUpperCase(),
  dateFormat: "%-d de %B de %Y",
  greeting: "Olá{% if buyer.first_name != blank %}, {{ buyer.first_name }}{% elsif buyer.name != blank %}, {{ buyer.name }}{% endif %}!",
  signoff: "Atenciosamente,",
  estimate: `{{ estimated_delivery.range }} (${dayspan()} ${diasUteis("estimated_delivery.max_business_days")})`,
  labels: {
    order: "Pedido",
    orderDate: "Data do pedido",
    total: "Total",
    shippedOn: "Data de envio",
    carrier: "Transportadora",
    trackingNumber: "Código de rastreamento",
    newTrackingNumber: "Novo código de rastreamento",
    replaces: "Substitui",
    estimatedDelivery: "Previsão de entrega",
    originalEstimate: "Previsão original",
    latestUpdate: "Última atualização da transportadora",
  },
  trackCarrier: "Rastrear pacote",
  trackPage: "Acompanhar o pedido no nosso site",
  unsubscribe: { sentence: "Não quer mais receber estas atualizações de entrega?", link: "Cancelar inscrição" },

  handling_commitment: {
    subject: "Estamos preparando seu pedido {{ order.name }}",
    preheader: "Seu pedido {{ order.name }} está sendo preparado para envio.",
    thanks: "Obrigado pelo seu pedido {{ order.name }} na loja {{ shop.name }}.",
    next: "Veja os próximos passos:",
    handling: `Seu item será preparado em até **{{ commitment.handling_hours }} ${plural("commitment.handling_hours", "hora", "horas")}** para obtermos o código de rastreamento da transportadora.`,
    online: `Depois disso, leva mais **{{ commitment.online_tracking_days }} ${dias("commitment.online_tracking_days")}** para o código aparecer no rastreamento on-line.`,
    quality: "Antes do envio, verificamos a qualidade de cada produto.",
    closing: "Enviaremos o código de rastreamento por e-mail assim que o seu pacote estiver a caminho. Se tiver alguma dúvida, é só responder a este e-mail.",
  },

  shipping_confirmation: {
    subject: "Seu pedido {{ order.name }} foi enviado",
    preheader: "Seu pedido {{ order.name }} está a caminho{% if carrier %} com {{ carrier.name }}{% endif %}.",
    intro: "Boa notícia: seu pedido {{ order.name }} já está a caminho.",
    firstScan: `Pode levar até {{ commitment.online_tracking_days }} ${dias("commitment.online_tracking_days")} para a transportadora registrar a primeira movimentação, então não se preocupe se o rastreamento aparecer vazio no início.`,
    noTracking: "Enviaremos o código de rastreamento assim que a transportadora o disponibilizar.",
    questions: "Tem alguma dúvida sobre o seu pedido? É só responder a este e-mail, teremos prazer em ajudar.",
  },

  tracking_updated: {
    subject: "Novo código de rastreamento do seu pedido {{ order.name }}",
    preheader: "Seu pedido {{ order.name }} tem um novo código de rastreamento.",
    intro:
      "O código de rastreamento do seu pedido {{ order.name }} mudou. {% if tracking.previous_number %}O código anterior, {{ tracking.previous_number }}, foi substituído{% else %}O código anterior foi substituído{% endif %} e não será mais atualizado, por isso use o novo código abaixo.",
    showUpdates: `Pode levar até {{ commitment.online_tracking_days }} ${dias("commitment.online_tracking_days")} para o novo código mostrar atualizações.`,
    questions: "Dúvidas? É só responder a este e-mail.",
  },

  delay_notice: {
    subject: "Atualização sobre a entrega do seu pedido {{ order.name }}",
    preheader: "Sentimos muito que seu pedido {{ order.name }} esteja demorando mais do que o previsto.",
    apology: "Pedimos desculpas: seu pedido {{ order.name }} está demorando mais do que o previsto para chegar, e queremos contar como está a situação.",
    happening: "O que está acontecendo",
    overdue: `{% if estimated_delivery %}O prazo de entrega previsto ({{ estimated_delivery.range }}) já passou e seu pacote{% else %}Seu pacote{% endif %} ainda não chegou{% if delay.days_overdue > 0 %}: o atraso já é de {{ delay.days_overdue }} ${diasUteis("delay.days_overdue")}{% endif %}. Envios internacionais costumam ficar retidos na alfândega ou em algum centro de distribuição movimentado da transportadora, e isso geralmente é temporário.`,
    silent: `A transportadora não registra nenhuma movimentação nova há {{ delay.days_silent }} ${dias("delay.days_silent")}. O motivo mais comum é a alfândega: enquanto o pacote aguarda a liberação, o rastreamento costuma ficar parado e volta a ser atualizado assim que ele é liberado.`,
    exception: `A transportadora informou um problema na entrega{% if last_event.message %} em {{ last_event.happened_at | date: "%-d de %B" }}: “{{ last_event.message }}”{% endif %}. Normalmente, isso significa que uma tentativa de entrega não deu certo, por exemplo porque não havia ninguém para receber o pacote ou porque o endereço precisava ser conferido.`,
    general: "Pacotes enviados entre países costumam ficar retidos alguns dias na alfândega ou em um centro de distribuição da transportadora. Isso geralmente é temporário.",
    watching: "Estamos acompanhando o seu pacote e vamos agir se ele não avançar em breve.",
    canDo: "O que você pode fazer",
    checkLinks: "Confira o status mais recente nos links abaixo.",
    rearrange: "Se a transportadora deixou um aviso ou pediu para agendar uma nova entrega, entre em contato com ela o quanto antes: normalmente o pacote fica guardado só por um tempo limitado antes de ser devolvido.",
    answerCarrier: "Se a alfândega ou a transportadora entrar em contato com você (por exemplo, sobre impostos de importação ou para agendar a entrega), responda o quanto antes: o pacote só segue viagem depois disso.",
    replyToUs: "Se nada mudar nos próximos dias, responda a este e-mail e nós entraremos em contato com a transportadora por você.",
    thanks: "Agradecemos a sua paciência e pedimos desculpas mais uma vez pela espera.",
  },

  feedback_request: {
    // After a delay notice or a parcel later than its printed window: printed first (feedback.after_delay).
    patience: "Obrigado pela paciência. Seu pacote demorou mais do que o previsto para chegar, e pedimos desculpas pela espera.",
    subject: "O que achou do seu pedido {{ order.name }}?",
    preheader: "Esperamos que seu pedido {{ order.name }} tenha chegado bem.",
    hope: "Esperamos que seu pedido {{ order.name }} tenha chegado em perfeito estado e que você esteja gostando.",
    review: "Se tiver um minuto, adoraríamos receber sua avaliação sincera. Seja qual for sua experiência, ela ajuda outros clientes e nos ajuda a melhorar.",
    rate: "Que nota você daria ao seu pedido? Escolha uma para deixar sua avaliação:",
    stars: ["1 estrela", "2 estrelas", "3 estrelas", "4 estrelas", "5 estrelas"],
    reviewButton: "Deixar uma avaliação",
    products: "O que você pediu",
    contactFirst: "Se algo não estiver certo (um dano, um item faltando ou qualquer outro problema), fale primeiro com a gente. Faremos o possível para resolver.",
    contactButton: "Fale conosco",
    problem: "Se algo não estiver certo (um dano, um item faltando ou qualquer outro problema), fale primeiro com a gente respondendo a este e-mail. Faremos o possível para resolver.",
    thanks: "Obrigado por comprar na loja {{ shop.name }}!",
  },
};

export default pt;
