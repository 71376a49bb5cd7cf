import { dayspan, plural, type LocaleStrings } from "~/templates/locales/build";

// German, addressing the buyer as «Sie». The first paragraph after the greeting starts in
// lower case, as German letters do after "Hallo …,". The plural of Tag depends on the case:
// "3 Tage dauern" (accusative) but "seit 3 Tagen" (dative).
const tage = (expr: string): string => plural(expr, "Tag", "Tage");
const werktage = (expr: string): string => plural(expr, "Werktag", "Werktage");

const de: LocaleStrings = {
  lang: "de",
  colon: ": ",
  space: " ",
  textHeading: (heading) => heading.toUpperCase(),
  dateFormat: "%-d. %B %Y",
  greeting: "{% if buyer.first_name != blank %}Hallo {{ buyer.first_name }},{% elsif buyer.name != blank %}Hallo {{ buyer.name }},{% else %}Guten Tag,{% endif %}",
  // No comma after a German closing.
  signoff: "Viele Grüße",
  estimate: `{{ estimated_delivery.range }} (${dayspan()} ${werktage("estimated_delivery.max_business_days")})`,
  labels: {
    order: "Bestellung",
    orderDate: "Bestelldatum",
    total: "Gesamtbetrag",
    shippedOn: "Versanddatum",
    carrier: "Paketdienst",
    trackingNumber: "Sendungsnummer",
    newTrackingNumber: "Neue Sendungsnummer",
    replaces: "Ersetzt",
    estimatedDelivery: "Voraussichtliche Zustellung",
    originalEstimate: "Ursprünglich erwartet",
    latestUpdate: "Letzte Meldung des Paketdienstes",
  },
  trackCarrier: "Sendung verfolgen",
  trackPage: "Bestellstatus auf unserer Website",
  unsubscribe: { sentence: "Sie möchten diese Versandinformationen nicht mehr erhalten?", link: "Abmelden" },

  handling_commitment: {
    subject: "Wir bereiten Ihre Bestellung {{ order.name }} vor",
    preheader: "Ihre Bestellung {{ order.name }} wird für den Versand vorbereitet.",
    thanks: "vielen Dank für Ihre Bestellung {{ order.name }} bei {{ shop.name }}.",
    next: "So geht es weiter:",
    handling: `Innerhalb von **{{ commitment.handling_hours }} ${plural("commitment.handling_hours", "Stunde", "Stunden")}** machen wir Ihren Artikel versandfertig und erhalten eine Sendungsnummer vom Paketdienst.`,
    online: `Danach dauert es noch **{{ commitment.online_tracking_days }} ${tage("commitment.online_tracking_days")}**, bis die Sendung online verfolgt werden kann.`,
    quality: "Bevor Ihre Bestellung unser Haus verlässt, prüfen wir jedes Produkt auf seine Qualität.",
    closing: "Sobald Ihr Paket unterwegs ist, senden wir Ihnen die Sendungsnummer per E-Mail. Bei Fragen antworten Sie einfach auf diese E-Mail.",
  },

  shipping_confirmation: {
    subject: "Ihre Bestellung {{ order.name }} wurde versandt",
    preheader: "Ihre Bestellung {{ order.name }} ist unterwegs{% if carrier %} mit {{ carrier.name }}{% endif %}.",
    intro: "gute Nachrichten: Ihre Bestellung {{ order.name }} ist auf dem Weg zu Ihnen.",
    firstScan: `Es kann bis zu {{ commitment.online_tracking_days }} ${tage("commitment.online_tracking_days")} dauern, bis der Paketdienst den ersten Scan anzeigt. Machen Sie sich also keine Sorgen, wenn die Sendungsverfolgung anfangs noch leer ist.`,
    noTracking: "Wir senden Ihnen die Sendungsnummer, sobald der Paketdienst sie uns mitteilt.",
    questions: "Haben Sie Fragen zu Ihrer Bestellung? Antworten Sie einfach auf diese E-Mail – wir helfen Ihnen gern.",
  },

  tracking_updated: {
    subject: "Neue Sendungsnummer für Ihre Bestellung {{ order.name }}",
    preheader: "Ihre Bestellung {{ order.name }} hat eine neue Sendungsnummer.",
    intro:
      "die Sendungsnummer Ihrer Bestellung {{ order.name }} hat sich geändert. {% if tracking.previous_number %}Die bisherige Nummer {{ tracking.previous_number }} wurde ersetzt{% else %}Die bisherige Nummer wurde ersetzt{% endif %} und wird nicht mehr aktualisiert. Bitte verwenden Sie die neue Nummer unten.",
    showUpdates: `Es kann bis zu {{ commitment.online_tracking_days }} ${tage("commitment.online_tracking_days")} dauern, bis unter der neuen Nummer die ersten Sendungsdaten erscheinen.`,
    questions: "Fragen? Antworten Sie einfach auf diese E-Mail.",
  },

  delay_notice: {
    subject: "Neuigkeiten zur Lieferung Ihrer Bestellung {{ order.name }}",
    preheader: "Es tut uns leid, dass Ihre Bestellung {{ order.name }} länger braucht als erwartet.",
    apology: "es tut uns leid: Ihre Bestellung {{ order.name }} braucht länger als erwartet. Hier erfahren Sie, wie der aktuelle Stand ist.",
    happening: "Was gerade passiert",
    overdue: `{% if estimated_delivery %}Der voraussichtliche Lieferzeitraum ({{ estimated_delivery.range }}) ist verstrichen und Ihr Paket{% else %}Ihr Paket{% endif %} ist noch nicht angekommen{% if delay.days_overdue > 0 %} – die Verspätung beträgt inzwischen {{ delay.days_overdue }} ${werktage("delay.days_overdue")}{% endif %}. Internationale Sendungen werden meist beim Zoll oder in einem stark ausgelasteten Paketzentrum aufgehalten; das ist in der Regel nur vorübergehend.`,
    silent: `Der Paketdienst hat seit {{ delay.days_silent }} ${plural("delay.days_silent", "Tag", "Tagen")} keinen neuen Scan gemeldet. Der häufigste Grund ist der Zoll: Während ein Paket auf die Zollabfertigung wartet, ruht die Sendungsverfolgung oft und läuft weiter, sobald es freigegeben ist.`,
    exception: `Der Paketdienst hat ein Problem bei der Zustellung gemeldet{% if last_event.message %} (am {{ last_event.happened_at | date: "%-d. %B" }}: „{{ last_event.message }}“){% endif %}. Meist bedeutet das, dass ein Zustellversuch nicht geklappt hat, zum Beispiel weil niemand das Paket annehmen konnte oder die Adresse geprüft werden musste.`,
    general: "Sendungen zwischen verschiedenen Ländern werden häufig für einige Tage beim Zoll oder in einem Paketzentrum aufgehalten. Das ist in der Regel nur vorübergehend.",
    watching: "Wir behalten Ihr Paket im Blick und kümmern uns darum, falls es sich nicht bald weiterbewegt.",
    canDo: "Was Sie tun können",
    checkLinks: "Den aktuellen Stand sehen Sie über die Links unten.",
    rearrange: "Falls der Paketdienst eine Benachrichtigung hinterlassen hat oder Sie um einen neuen Zustelltermin bittet, melden Sie sich bitte bald dort: Pakete werden meist nur für begrenzte Zeit aufbewahrt und dann zurückgeschickt.",
    answerCarrier: "Wenn sich der Zoll oder der Paketdienst bei Ihnen meldet (zum Beispiel wegen Einfuhrabgaben oder eines Zustelltermins), antworten Sie bitte möglichst schnell: Erst dann kann das Paket weiterreisen.",
    replyToUs: "Wenn sich in den nächsten Tagen nichts tut, antworten Sie einfach auf diese E-Mail – wir haken dann beim Paketdienst für Sie nach.",
    thanks: "Vielen Dank für Ihre Geduld – und nochmals Entschuldigung für die Wartezeit.",
  },

  feedback_request: {
    // After a delay notice or a parcel later than its printed window: printed first (feedback.after_delay).
    patience: "vielen Dank für Ihre Geduld. Ihr Paket war länger unterwegs als angekündigt – das tut uns leid.",
    subject: "Wie gefällt Ihnen Ihre Bestellung {{ order.name }}?",
    preheader: "Wir hoffen, Ihre Bestellung {{ order.name }} ist gut angekommen.",
    hope: "{% if feedback.after_delay %}Wir{% else %}wir{% endif %} hoffen, Ihre Bestellung {{ order.name }} ist gut bei Ihnen angekommen und gefällt Ihnen.",
    review: "Wenn Sie eine Minute Zeit haben, freuen wir uns über Ihre ehrliche Bewertung. Wie auch immer Ihre Erfahrung war: Sie hilft anderen Kundinnen und Kunden und hilft uns, besser zu werden.",
    rate: "Wie bewerten Sie Ihre Bestellung? Wählen Sie eine Bewertung, um Ihre Rezension zu schreiben:",
    stars: ["1 Stern", "2 Sterne", "3 Sterne", "4 Sterne", "5 Sterne"],
    reviewButton: "Bewertung schreiben",
    products: "Ihre Bestellung",
    contactFirst: "Falls etwas nicht stimmt (eine Beschädigung, ein fehlender Artikel oder etwas anderes), wenden Sie sich bitte zuerst an uns. Wir tun unser Bestes, um eine Lösung zu finden.",
    contactButton: "Kontakt aufnehmen",
    problem: "Falls etwas nicht stimmt (eine Beschädigung, ein fehlender Artikel oder etwas anderes), wenden Sie sich bitte zuerst an uns, indem Sie auf diese E-Mail antworten. Wir tun unser Bestes, um eine Lösung zu finden.",
    thanks: "Vielen Dank für Ihren Einkauf bei {{ shop.name }}!",
  },
};

export default de;
