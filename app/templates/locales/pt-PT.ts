import { dayspan, plural, type LocaleStrings } from "~/templates/locales/build";

// European Portuguese: «encomenda», «número de seguimento», formal third person.
const dias = (expr: string): string => plural(expr, "dia", "dias");
const diasUteis = (expr: string): string => plural(expr, "dia útil", "dias úteis");

const ptPT: LocaleStrings = {
  lang: "pt-PT",
  colon: ": ",
  space: " ",
  textHeading: (heading) => heading.toUpperCase(),
  dateFormat: "%-d de %B de %Y",
  greeting: "Olá{% if buyer.first_name != blank %} {{ buyer.first_name }}{% elsif buyer.name != blank %} {{ buyer.name }}{% endif %},",
  signoff: "Com os melhores cumprimentos,",
  estimate: `{{ estimated_delivery.range }} (${dayspan()} ${diasUteis("estimated_delivery.max_business_days")})`,
  labels: {
    order: "Encomenda",
    orderDate: "Data da encomenda",
    total: "Total",
    shippedOn: "Data de envio",
    carrier: "Transportadora",
    trackingNumber: "Número de seguimento",
    newTrackingNumber: "Novo número de seguimento",
    replaces: "Substitui",
    estimatedDelivery: "Entrega prevista",
    originalEstimate: "Previsão inicial",
    latestUpdate: "Última atualização da transportadora",
  },
  trackCarrier: "Seguir a encomenda",
  trackPage: "Acompanhar a encomenda no nosso site",
  unsubscribe: { sentence: "Não pretende continuar a receber estas informações de entrega?", link: "Cancelar subscrição" },

  handling_commitment: {
    subject: "Estamos a preparar a sua encomenda {{ order.name }}",
    preheader: "A sua encomenda {{ order.name }} está a ser preparada para envio.",
    thanks: "Obrigado pela sua encomenda {{ order.name }} na loja {{ shop.name }}.",
    next: "Eis os próximos passos:",
    handling: `O seu artigo será preparado no prazo de **{{ commitment.handling_hours }} ${plural("commitment.handling_hours", "hora", "horas")}** para obtermos o número de seguimento da transportadora.`,
    online: `Depois, são necessários mais **{{ commitment.online_tracking_days }} ${dias("commitment.online_tracking_days")}** até o número ficar disponível para seguimento online.`,
    quality: "Antes do envio, verificamos a qualidade de cada produto.",
    closing: "Enviaremos o número de seguimento por e-mail assim que a sua encomenda estiver a caminho. Se tiver alguma dúvida, basta responder a este e-mail.",
  },

  shipping_confirmation: {
    subject: "A sua encomenda {{ order.name }} foi enviada",
    preheader: "A sua encomenda {{ order.name }} está a caminho{% if carrier %} com {{ carrier.name }}{% endif %}.",
    intro: "Boas notícias: a sua encomenda {{ order.name }} já está a caminho.",
    firstScan: `Pode demorar até {{ commitment.online_tracking_days }} ${dias("commitment.online_tracking_days")} até a transportadora registar o primeiro movimento, por isso não se preocupe se o seguimento ainda não mostrar informação no início.`,
    noTracking: "Enviaremos o número de seguimento assim que a transportadora o disponibilizar.",
    questions: "Tem alguma dúvida sobre a sua encomenda? Basta responder a este e-mail, teremos todo o gosto em ajudar.",
  },

  tracking_updated: {
    subject: "Novo número de seguimento da sua encomenda {{ order.name }}",
    preheader: "A sua encomenda {{ order.name }} tem um novo número de seguimento.",
    intro:
      "O número de seguimento da sua encomenda {{ order.name }} mudou. {% if tracking.previous_number %}O número anterior, {{ tracking.previous_number }}, foi substituído{% else %}O número anterior foi substituído{% endif %} e deixará de ser atualizado, por isso utilize o novo número indicado abaixo.",
    showUpdates: `Pode demorar até {{ commitment.online_tracking_days }} ${dias("commitment.online_tracking_days")} até o novo número mostrar atualizações.`,
    questions: "Alguma dúvida? Basta responder a este e-mail.",
  },

  delay_notice: {
    subject: "Atualização sobre a entrega da sua encomenda {{ order.name }}",
    preheader: "Lamentamos que a sua encomenda {{ order.name }} esteja a demorar mais do que o previsto.",
    apology: "Lamentamos: a sua encomenda {{ order.name }} está a demorar mais do que o previsto a chegar, e queremos explicar-lhe o ponto da situação.",
    happening: "O que está a acontecer",
    overdue: `{% if estimated_delivery %}O prazo de entrega previsto ({{ estimated_delivery.range }}) já passou e a sua encomenda{% else %}A sua encomenda{% endif %} ainda não chegou{% if delay.days_overdue > 0 %}: o atraso é já de {{ delay.days_overdue }} ${diasUteis("delay.days_overdue")}{% endif %}. As encomendas internacionais ficam muitas vezes retidas na alfândega ou num centro de distribuição da transportadora com muito movimento, e isso costuma ser temporário.`,
    silent: `A transportadora não regista nenhum movimento novo há {{ delay.days_silent }} ${dias("delay.days_silent")}. O motivo mais comum é a alfândega: enquanto a encomenda aguarda o desalfandegamento, o seguimento fica muitas vezes parado e retoma quando a encomenda é libertada.`,
    exception: `A transportadora comunicou um problema na entrega{% if last_event.message %} a {{ last_event.happened_at | date: "%-d de %B" }}: «{{ last_event.message }}»{% endif %}. Normalmente, isto significa que uma tentativa de entrega não foi concluída, por exemplo porque não estava ninguém para receber a encomenda ou porque era necessário confirmar a morada.`,
    general: "As encomendas que viajam entre países ficam muitas vezes retidas alguns dias na alfândega ou num centro de distribuição da transportadora. Normalmente, é temporário.",
    watching: "Estamos a acompanhar a sua encomenda e vamos intervir se não avançar em breve.",
    canDo: "O que pode fazer",
    checkLinks: "Consulte o estado mais recente nas ligações abaixo.",
    rearrange: "Se a transportadora deixou um aviso ou lhe pede para agendar uma nova entrega, contacte-a assim que possível: normalmente, as encomendas só ficam guardadas durante um período limitado antes de serem devolvidas.",
    answerCarrier: "Se a alfândega ou a transportadora entrar em contacto consigo (por exemplo, sobre direitos de importação ou para marcar a entrega), responda o mais rapidamente possível: a encomenda só avança depois disso.",
    replyToUs: "Se nada mudar nos próximos dias, responda a este e-mail e nós contactaremos a transportadora por si.",
    thanks: "Obrigado pela sua paciência e, mais uma vez, as nossas desculpas pela espera.",
  },

  feedback_request: {
    // After a delay notice or a parcel later than its printed window: printed first (feedback.after_delay).
    patience: "Obrigado pela sua paciência. A sua encomenda demorou mais do que o previsto a chegar e pedimos desculpa pela espera.",
    subject: "Como correu a sua encomenda {{ order.name }}?",
    preheader: "Esperamos que a sua encomenda {{ order.name }} tenha chegado bem.",
    hope: "Esperamos que a sua encomenda {{ order.name }} tenha chegado em perfeitas condições e que esteja a gostar.",
    review: "Se tiver um minuto, gostaríamos muito de receber a sua avaliação sincera. Seja qual for a sua experiência, ajuda outros clientes e ajuda-nos a melhorar.",
    rate: "Que nota daria à sua encomenda? Escolha uma para deixar a sua avaliação:",
    stars: ["1 estrela", "2 estrelas", "3 estrelas", "4 estrelas", "5 estrelas"],
    reviewButton: "Deixar uma avaliação",
    products: "A sua encomenda",
    contactFirst: "Se algo não estiver bem (um dano, um artigo em falta ou qualquer outro problema), contacte-nos primeiro. Faremos os possíveis para resolver a situação.",
    contactButton: "Contacte-nos",
    problem: "Se algo não estiver bem (um dano, um artigo em falta ou qualquer outro problema), contacte-nos primeiro respondendo a este e-mail. Faremos os possíveis para resolver a situação.",
    thanks: "Obrigado por comprar na loja {{ shop.name }}!",
  },
};

export default ptPT;
