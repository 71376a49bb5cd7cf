import { dayspan, plural, type LocaleStrings } from "~/templates/locales/build";

// Italian, addressing the buyer as «tu» (as Shopify's own Italian notifications do).
const giorni = (expr: string): string => plural(expr, "giorno", "giorni");
const giorniLavorativi = (expr: string): string => plural(expr, "giorno lavorativo", "giorni lavorativi");

const it: LocaleStrings = {
  lang: "it",
  colon: ": ",
  space: " ",
  textHeading: (heading) => heading.toUpperCase(),
  dateFormat: "%-d %B %Y",
  greeting: "Ciao{% if buyer.first_name != blank %} {{ buyer.first_name }}{% elsif buyer.name != blank %} {{ buyer.name }}{% endif %},",
  signoff: "Cordiali saluti,",
  estimate: `{{ estimated_delivery.range }} (${dayspan()} ${giorniLavorativi("estimated_delivery.max_business_days")})`,
  labels: {
    order: "Ordine",
    orderDate: "Data dell’ordine",
    total: "Totale",
    shippedOn: "Data di spedizione",
    carrier: "Corriere",
    trackingNumber: "Codice di tracciamento",
    newTrackingNumber: "Nuovo codice di tracciamento",
    replaces: "Sostituisce",
    estimatedDelivery: "Consegna stimata",
    originalEstimate: "Stima iniziale",
    latestUpdate: "Ultimo aggiornamento del corriere",
  },
  trackCarrier: "Traccia il pacco",
  trackPage: "Segui l’ordine sul nostro sito",
  unsubscribe: { sentence: "Non vuoi più ricevere questi aggiornamenti sulla consegna?", link: "Annulla l’iscrizione" },

  handling_commitment: {
    subject: "Stiamo preparando il tuo ordine {{ order.name }}",
    preheader: "Il tuo ordine {{ order.name }} è in preparazione per la spedizione.",
    thanks: "Grazie per il tuo ordine {{ order.name }} su {{ shop.name }}.",
    next: "Ecco i prossimi passi:",
    handling: `Il tuo articolo verrà preparato entro **{{ commitment.handling_hours }} ${plural("commitment.handling_hours", "ora", "ore")}** per ottenere il codice di tracciamento dal corriere.`,
    online: `Dopodiché servono **{% if commitment.online_tracking_days == 1 %}un altro giorno{% else %}altri {{ commitment.online_tracking_days }} giorni{% endif %}** perché il codice sia consultabile online.`,
    quality: "Prima della spedizione controlliamo la qualità di ogni prodotto.",
    closing: "Ti invieremo il codice di tracciamento via email non appena il pacco sarà partito. Per qualsiasi domanda, rispondi pure a questa email.",
  },

  shipping_confirmation: {
    subject: "Il tuo ordine {{ order.name }} è stato spedito",
    preheader: "Il tuo ordine {{ order.name }} è in viaggio{% if carrier %} con {{ carrier.name }}{% endif %}.",
    intro: "Buone notizie: il tuo ordine {{ order.name }} è in viaggio verso di te.",
    firstScan: `Il corriere può impiegare fino a {{ commitment.online_tracking_days }} ${giorni("commitment.online_tracking_days")} per registrare la prima scansione, quindi non preoccuparti se all’inizio il tracciamento non mostra ancora nulla.`,
    noTracking: "Ti invieremo il codice di tracciamento non appena il corriere ce lo comunicherà.",
    questions: "Hai domande sul tuo ordine? Rispondi pure a questa email, saremo felici di aiutarti.",
  },

  tracking_updated: {
    subject: "Nuovo codice di tracciamento per il tuo ordine {{ order.name }}",
    preheader: "Il tuo ordine {{ order.name }} ha un nuovo codice di tracciamento.",
    intro:
      "Il codice di tracciamento del tuo ordine {{ order.name }} è cambiato. {% if tracking.previous_number %}Il codice precedente, {{ tracking.previous_number }}, è stato sostituito{% else %}Il codice precedente è stato sostituito{% endif %} e non verrà più aggiornato: usa quello nuovo qui sotto.",
    showUpdates: `Il nuovo codice può impiegare fino a {{ commitment.online_tracking_days }} ${giorni("commitment.online_tracking_days")} per mostrare i primi aggiornamenti.`,
    questions: "Domande? Rispondi pure a questa email.",
  },

  delay_notice: {
    subject: "Aggiornamento sulla consegna del tuo ordine {{ order.name }}",
    preheader: "Ci dispiace che il tuo ordine {{ order.name }} stia impiegando più tempo del previsto.",
    apology: "Ci dispiace: il tuo ordine {{ order.name }} sta impiegando più tempo del previsto per arrivare, e vogliamo spiegarti a che punto siamo.",
    happening: "Cosa sta succedendo",
    overdue: `{% if estimated_delivery %}Il periodo di consegna stimato ({{ estimated_delivery.range }}) è passato e il tuo pacco{% else %}Il tuo pacco{% endif %} non è ancora arrivato{% if delay.days_overdue > 0 %}: il ritardo è ora di {{ delay.days_overdue }} ${giorniLavorativi("delay.days_overdue")}{% endif %}. Le spedizioni internazionali vengono spesso trattenute in dogana o in un centro di smistamento del corriere molto trafficato, e di solito si tratta di una situazione temporanea.`,
    silent: `Il corriere non registra nuove scansioni da {{ delay.days_silent }} ${giorni("delay.days_silent")}. Il motivo più comune è la dogana: mentre il pacco attende lo sdoganamento, il tracciamento spesso si ferma e riprende una volta che il pacco viene rilasciato.`,
    exception: `Il corriere ha segnalato un problema con la consegna{% if last_event.message %} il {{ last_event.happened_at | date: "%-d %B" }}: «{{ last_event.message }}»{% endif %}. Di solito significa che un tentativo di consegna non è andato a buon fine, per esempio perché non c’era nessuno a ricevere il pacco o perché l’indirizzo doveva essere verificato.`,
    general: "I pacchi spediti tra paesi diversi vengono spesso trattenuti per qualche giorno in dogana o in un centro di smistamento del corriere. Di solito si tratta di una situazione temporanea.",
    watching: "Stiamo tenendo d’occhio il tuo pacco e interverremo se non si muove a breve.",
    canDo: "Cosa puoi fare",
    checkLinks: "Controlla lo stato più recente con i link qui sotto.",
    rearrange: "Se il corriere ha lasciato un avviso o ti chiede di fissare una nuova consegna, contattalo al più presto: di solito custodisce i pacchi solo per un periodo limitato prima di rispedirli al mittente.",
    answerCarrier: "Se la dogana o il corriere ti contattano (per esempio per i dazi di importazione o per concordare la consegna), rispondi il prima possibile: il pacco non può proseguire finché non ricevono una risposta.",
    replyToUs: "Se nei prossimi giorni non cambia nulla, rispondi a questa email e contatteremo noi il corriere per te.",
    thanks: "Grazie per la pazienza, e scusaci ancora per l’attesa.",
  },

  feedback_request: {
    // After a delay notice or a parcel later than its printed window: printed first (feedback.after_delay).
    patience: "Grazie per la pazienza. Il tuo pacco ha impiegato più tempo del previsto ad arrivare: ci scusiamo per l’attesa.",
    subject: "Com’è andato il tuo ordine {{ order.name }}?",
    preheader: "Speriamo che il tuo ordine {{ order.name }} sia arrivato senza problemi.",
    hope: "Speriamo che il tuo ordine {{ order.name }} sia arrivato senza problemi e che ti piaccia.",
    review: "Se hai un minuto, ci farebbe davvero piacere ricevere la tua recensione sincera. Qualunque sia la tua esperienza, aiuta gli altri clienti e aiuta noi a migliorare.",
    rate: "Che voto daresti al tuo ordine? Sceglilo per lasciare la tua recensione:",
    stars: ["1 stella", "2 stelle", "3 stelle", "4 stelle", "5 stelle"],
    reviewButton: "Lascia una recensione",
    products: "Il tuo ordine",
    contactFirst: "Se qualcosa non va (un danno, un articolo mancante o qualsiasi altro problema), contattaci prima di tutto. Faremo del nostro meglio per risolvere.",
    contactButton: "Contattaci",
    problem: "Se qualcosa non va (un danno, un articolo mancante o qualsiasi altro problema), contattaci prima di tutto rispondendo a questa email. Faremo del nostro meglio per risolvere.",
    thanks: "Grazie per aver acquistato da {{ shop.name }}!",
  },
};

export default it;
