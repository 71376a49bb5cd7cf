// What the contact page says, in every language the default mail templates speak. `{shop}`, `{order}`,
// `{rating}` and `{max}` are filled in by the page (escaped there).
import { matchLocale } from "~/templates/locale";

export interface ContactStrings {
  title: string;
  intro: string;
  rated: string;
  label: string;
  hint: string;
  submit: string;
  sent_title: string;
  sent_body: string;
  error_empty: string;
  error_too_long: string;
  error_rate_limited: string;
  expired_title: string;
  expired_body: string;
  invalid_title: string;
  invalid_body: string;
}

export const CONTACT_STRINGS: Record<string, ContactStrings> = {
  en: {
    title: "Contact {shop}",
    intro: "Tell us about any problem with order {order}: we will sort it out with you.",
    rated: "You chose {rating} of 5 stars.",
    label: "Your message",
    hint: "Up to {max} characters. {shop} replies to the email address of your order.",
    submit: "Send message",
    sent_title: "Message sent",
    sent_body: "Thank you. {shop} has your message about order {order} and will reply by email.",
    error_empty: "Please write your message.",
    error_too_long: "Your message is longer than {max} characters. Please shorten it.",
    error_rate_limited: "Too many messages in a short time. Please try again in a few minutes.",
    expired_title: "This link has expired",
    expired_body: "Please reply to the email from {shop} instead.",
    invalid_title: "This link does not work",
    invalid_body: "It may be incomplete. Please open it again from your email, or reply to that email.",
  },
  es: {
    title: "Contactar con {shop}",
    intro: "Cuéntanos cualquier problema con el pedido {order}: lo resolveremos contigo.",
    rated: "Has elegido {rating} de 5 estrellas.",
    label: "Tu mensaje",
    hint: "Hasta {max} caracteres. {shop} responde a la dirección de correo de tu pedido.",
    submit: "Enviar mensaje",
    sent_title: "Mensaje enviado",
    sent_body: "Gracias. {shop} ha recibido tu mensaje sobre el pedido {order} y te responderá por correo electrónico.",
    error_empty: "Escribe tu mensaje.",
    error_too_long: "Tu mensaje tiene más de {max} caracteres. Acórtalo, por favor.",
    error_rate_limited: "Demasiados mensajes en poco tiempo. Inténtalo de nuevo dentro de unos minutos.",
    expired_title: "Este enlace ha caducado",
    expired_body: "Responde al correo de {shop}, por favor.",
    invalid_title: "Este enlace no funciona",
    invalid_body: "Puede estar incompleto. Ábrelo de nuevo desde tu correo o responde a ese correo.",
  },
  fr: {
    title: "Contacter {shop}",
    intro: "Signalez-nous tout problème avec la commande {order} : nous le réglerons avec vous.",
    rated: "Vous avez choisi {rating} étoile(s) sur 5.",
    label: "Votre message",
    hint: "{max} caractères au plus. {shop} répond à l’adresse e-mail de votre commande.",
    submit: "Envoyer le message",
    sent_title: "Message envoyé",
    sent_body: "Merci. {shop} a bien reçu votre message concernant la commande {order} et vous répondra par e-mail.",
    error_empty: "Veuillez écrire votre message.",
    error_too_long: "Votre message dépasse {max} caractères. Veuillez le raccourcir.",
    error_rate_limited: "Trop de messages en peu de temps. Veuillez réessayer dans quelques minutes.",
    expired_title: "Ce lien a expiré",
    expired_body: "Veuillez plutôt répondre à l’e-mail de {shop}.",
    invalid_title: "Ce lien ne fonctionne pas",
    invalid_body: "Il est peut-être incomplet. Ouvrez-le à nouveau depuis votre e-mail, ou répondez à cet e-mail.",
  },
  de: {
    title: "{shop} kontaktieren",
    intro: "Schreiben Sie uns bei jedem Problem mit Bestellung {order}: Wir klären es gemeinsam mit Ihnen.",
    rated: "Sie haben {rating} von 5 Sternen gewählt.",
    label: "Ihre Nachricht",
    hint: "Bis zu {max} Zeichen. {shop} antwortet an die E-Mail-Adresse Ihrer Bestellung.",
    submit: "Nachricht senden",
    sent_title: "Nachricht gesendet",
    sent_body: "Vielen Dank. {shop} hat Ihre Nachricht zu Bestellung {order} erhalten und antwortet Ihnen per E-Mail.",
    error_empty: "Bitte schreiben Sie Ihre Nachricht.",
    error_too_long: "Ihre Nachricht ist länger als {max} Zeichen. Bitte kürzen Sie sie.",
    error_rate_limited: "Zu viele Nachrichten in kurzer Zeit. Bitte versuchen Sie es in einigen Minuten erneut.",
    expired_title: "Dieser Link ist abgelaufen",
    expired_body: "Bitte antworten Sie stattdessen auf die E-Mail von {shop}.",
    invalid_title: "Dieser Link funktioniert nicht",
    invalid_body: "Er ist vielleicht unvollständig. Öffnen Sie ihn erneut aus Ihrer E-Mail oder antworten Sie auf diese E-Mail.",
  },
  pt: {
    title: "Fale com {shop}",
    intro: "Conte para nós qualquer problema com o pedido {order}: vamos resolver junto com você.",
    rated: "Você escolheu {rating} de 5 estrelas.",
    label: "Sua mensagem",
    hint: "Até {max} caracteres. {shop} responde no e-mail do seu pedido.",
    submit: "Enviar mensagem",
    sent_title: "Mensagem enviada",
    sent_body: "Obrigado. {shop} recebeu sua mensagem sobre o pedido {order} e vai responder por e-mail.",
    error_empty: "Escreva sua mensagem.",
    error_too_long: "Sua mensagem tem mais de {max} caracteres. Encurte-a, por favor.",
    error_rate_limited: "Muitas mensagens em pouco tempo. Tente novamente em alguns minutos.",
    expired_title: "Este link expirou",
    expired_body: "Responda ao e-mail de {shop}, por favor.",
    invalid_title: "Este link não funciona",
    invalid_body: "Ele pode estar incompleto. Abra-o novamente no seu e-mail ou responda a esse e-mail.",
  },
  "pt-PT": {
    title: "Contactar {shop}",
    intro: "Diga-nos qualquer problema com a encomenda {order}: vamos resolvê-lo consigo.",
    rated: "Escolheu {rating} de 5 estrelas.",
    label: "A sua mensagem",
    hint: "Até {max} caracteres. {shop} responde para o endereço de e-mail da sua encomenda.",
    submit: "Enviar mensagem",
    sent_title: "Mensagem enviada",
    sent_body: "Obrigado. {shop} recebeu a sua mensagem sobre a encomenda {order} e responderá por e-mail.",
    error_empty: "Escreva a sua mensagem.",
    error_too_long: "A sua mensagem tem mais de {max} caracteres. Encurte-a, por favor.",
    error_rate_limited: "Demasiadas mensagens em pouco tempo. Tente novamente dentro de alguns minutos.",
    expired_title: "Esta ligação expirou",
    expired_body: "Responda antes ao e-mail de {shop}, por favor.",
    invalid_title: "Esta ligação não funciona",
    invalid_body: "Pode estar incompleta. Abra-a novamente a partir do seu e-mail ou responda a esse e-mail.",
  },
  it: {
    title: "Contatta {shop}",
    intro: "Segnalaci qualsiasi problema con l’ordine {order}: lo risolveremo insieme a te.",
    rated: "Hai scelto {rating} stelle su 5.",
    label: "Il tuo messaggio",
    hint: "Fino a {max} caratteri. {shop} risponde all’indirizzo email del tuo ordine.",
    submit: "Invia messaggio",
    sent_title: "Messaggio inviato",
    sent_body: "Grazie. {shop} ha ricevuto il tuo messaggio sull’ordine {order} e ti risponderà via email.",
    error_empty: "Scrivi il tuo messaggio.",
    error_too_long: "Il tuo messaggio supera i {max} caratteri. Accorcialo, per favore.",
    error_rate_limited: "Troppi messaggi in poco tempo. Riprova tra qualche minuto.",
    expired_title: "Questo link è scaduto",
    expired_body: "Rispondi invece all’email di {shop}.",
    invalid_title: "Questo link non funziona",
    invalid_body: "Potrebbe essere incompleto. Aprilo di nuovo dalla tua email oppure rispondi a quell’email.",
  },
  ja: {
    title: "{shop}へのお問い合わせ",
    intro: "ご注文{order}について問題がございましたら、お知らせください。一緒に解決いたします。",
    rated: "星{rating}つ（5つ中）を選択されました。",
    label: "メッセージ",
    hint: "{max}文字まで。{shop}からご注文時のメールアドレスにご返信いたします。",
    submit: "送信する",
    sent_title: "メッセージを送信しました",
    sent_body: "ありがとうございます。ご注文{order}に関するメッセージを{shop}が受け取りました。メールでご返信いたします。",
    error_empty: "メッセージを入力してください。",
    error_too_long: "メッセージが{max}文字を超えています。短くしてください。",
    error_rate_limited: "短時間に送信されたメッセージが多すぎます。数分後にもう一度お試しください。",
    expired_title: "このリンクは有効期限が切れています",
    expired_body: "{shop}からのメールに直接ご返信ください。",
    invalid_title: "このリンクは使用できません",
    invalid_body: "リンクが途中で切れている可能性があります。メールからもう一度開くか、そのメールにご返信ください。",
  },
  "zh-CN": {
    title: "联系{shop}",
    intro: "订单{order}有任何问题，请告诉我们：我们会与您一起解决。",
    rated: "您选择了 {rating} 星（满分 5 星）。",
    label: "您的留言",
    hint: "最多 {max} 个字符。{shop}会回复到您下单时使用的邮箱。",
    submit: "发送留言",
    sent_title: "留言已发送",
    sent_body: "谢谢。{shop}已收到您关于订单{order}的留言，并将通过电子邮件回复您。",
    error_empty: "请填写您的留言。",
    error_too_long: "您的留言超过了 {max} 个字符，请缩短后再发送。",
    error_rate_limited: "短时间内留言过多，请几分钟后再试。",
    expired_title: "此链接已过期",
    expired_body: "请直接回复{shop}发给您的邮件。",
    invalid_title: "此链接无效",
    invalid_body: "链接可能不完整。请从邮件中重新打开，或直接回复该邮件。",
  },
};

export const CONTACT_LOCALES = Object.keys(CONTACT_STRINGS);

/** The first candidate the page speaks (the notification's locale, then the shop's), else English. */
export function contactLocale(candidates: Array<string | null | undefined>): string {
  for (const candidate of candidates) {
    const match = candidate ? matchLocale(candidate, CONTACT_LOCALES, { simplifiedForTraditional: true }) : null;
    if (match) return match;
  }
  return "en";
}
