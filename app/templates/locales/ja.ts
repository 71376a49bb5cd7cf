import { dayspan, type LocaleStrings } from "~/templates/locales/build";

// Japanese, in polite business register (丁寧語・謙譲語). The buyer is addressed by full name
// with 様, as Japanese shops do; subjects carry the shop name in 【】.
const ja: LocaleStrings = {
  lang: "ja",
  font: "'Hiragino Kaku Gothic ProN','Hiragino Sans',Meiryo,Arial,sans-serif",
  colon: "：",
  space: "",
  textHeading: (heading) => `【${heading}】`,
  dateFormat: "%Y年%-m月%-d日",
  greeting: "{% if buyer.name != blank %}{{ buyer.name }} 様{% elsif buyer.first_name != blank %}{{ buyer.first_name }} 様{% else %}お客様{% endif %}",
  signoff: "今後ともどうぞよろしくお願いいたします。",
  estimate: `{{ estimated_delivery.range }}（${dayspan("〜")}営業日）`,
  labels: {
    order: "ご注文番号",
    orderDate: "ご注文日",
    total: "ご注文金額",
    shippedOn: "発送日",
    carrier: "配送業者",
    trackingNumber: "追跡番号",
    newTrackingNumber: "新しい追跡番号",
    replaces: "変更前の追跡番号",
    estimatedDelivery: "お届け予定",
    originalEstimate: "当初のお届け予定",
    latestUpdate: "配送業者の最新情報",
  },
  trackCarrier: "配送状況を確認する",
  trackPage: "当ショップのサイトで確認する",
  unsubscribe: { sentence: "配送に関するお知らせが不要な場合は、こちらから配信を停止できます。", link: "配信停止" },

  handling_commitment: {
    subject: "【{{ shop.name }}】ご注文（{{ order.name }}）の発送準備を進めております",
    preheader: "ご注文 {{ order.name }} の発送準備を進めております。",
    thanks: "この度は {{ shop.name }} をご利用いただき、誠にありがとうございます。ご注文（{{ order.name }}）を承りました。",
    next: "今後の流れは以下のとおりです。",
    handling: "**{{ commitment.handling_hours }}時間以内**に商品を手配し、配送業者の追跡番号を取得いたします。",
    online: "その後、追跡番号でオンライン追跡ができるようになるまで、さらに**{{ commitment.online_tracking_days }}日**ほどかかります。",
    quality: "発送前に、すべての商品の品質を検品しております。",
    closing: "商品を発送しましたら、追跡番号をメールでお知らせいたします。ご不明な点がございましたら、このメールにご返信ください。",
  },

  shipping_confirmation: {
    subject: "【{{ shop.name }}】ご注文（{{ order.name }}）の商品を発送いたしました",
    preheader: "ご注文 {{ order.name }} の商品を{% if carrier %}{{ carrier.name }}にて{% endif %}発送いたしました。",
    intro: "ご注文（{{ order.name }}）の商品を発送いたしましたので、お知らせいたします。",
    firstScan: "配送業者の追跡情報に最初の記録が反映されるまで、最大{{ commitment.online_tracking_days }}日ほどかかる場合がございます。発送直後に追跡情報が表示されなくても、ご安心ください。",
    noTracking: "追跡番号は、配送業者から発行され次第お知らせいたします。",
    questions: "ご注文についてご不明な点がございましたら、お気軽にこのメールへご返信ください。",
  },

  tracking_updated: {
    subject: "【{{ shop.name }}】ご注文（{{ order.name }}）の追跡番号変更のお知らせ",
    preheader: "ご注文 {{ order.name }} の追跡番号が変更されました。",
    intro:
      "ご注文（{{ order.name }}）の追跡番号が変更となりました。{% if tracking.previous_number %}以前の追跡番号（{{ tracking.previous_number }}）{% else %}以前の追跡番号{% endif %}は新しい番号に置き換えられ、今後は更新されませんので、以下の新しい追跡番号をご利用ください。",
    showUpdates: "新しい追跡番号に情報が反映されるまで、最大{{ commitment.online_tracking_days }}日ほどかかる場合がございます。",
    questions: "ご不明な点がございましたら、このメールにご返信ください。",
  },

  delay_notice: {
    subject: "【{{ shop.name }}】ご注文（{{ order.name }}）のお届け状況について",
    preheader: "ご注文 {{ order.name }} のお届けが遅れており、誠に申し訳ございません。",
    apology: "ご注文（{{ order.name }}）のお届けが予定より遅れており、大変申し訳ございません。現在の状況をご報告いたします。",
    happening: "現在の状況",
    overdue:
      "{% if estimated_delivery %}お届け予定（{{ estimated_delivery.range }}）を過ぎましたが、{% endif %}お荷物はまだお届けできておりません{% if delay.days_overdue > 0 %}（予定より{{ delay.days_overdue }}営業日の遅れ）{% endif %}。国際配送のお荷物は、税関や混雑した配送拠点で一時的に留め置かれることが多く、通常は時間の経過とともに解消されます。",
    silent:
      "配送業者の追跡情報が{{ delay.days_silent }}日間更新されておりません。多くの場合、税関での通関手続きを待っていることが原因です。通関待ちの間は追跡情報が更新されないことが多く、通関が完了すると再び更新されます。",
    exception: `配送業者より、お届けに関する問題が報告されました{% if last_event.message %}（{{ last_event.happened_at | date: "%-m月%-d日" }}：「{{ last_event.message }}」）{% endif %}。多くの場合、ご不在やご住所の確認が必要だったことなどにより、配達が完了しなかったことを意味します。`,
    general: "国際配送のお荷物は、税関や配送拠点で数日間留め置かれることがよくあります。通常は一時的なものです。",
    watching: "当ショップでも引き続きお荷物の状況を確認し、しばらく動きがない場合はこちらで対応いたします。",
    canDo: "お客様にお願いしたいこと",
    checkLinks: "下記のリンクから最新の配送状況をご確認いただけます。",
    rearrange: "配送業者から不在票が届いている場合や、再配達の手続きを求められている場合は、お早めに配送業者へご連絡ください。保管期間を過ぎると、お荷物が返送されることがあります。",
    answerCarrier: "税関または配送業者から連絡があった場合（輸入関税のお支払いや配達日時の調整など）は、お早めにご対応ください。ご対応いただくまで、お荷物の配送が進まないことがあります。",
    replyToUs: "数日経っても状況が変わらない場合は、このメールにご返信ください。当ショップから配送業者に確認いたします。",
    thanks: "お待たせしてしまい大変申し訳ございません。今しばらくお待ちいただけますと幸いです。",
  },

  feedback_request: {
    // After a delay notice or a parcel later than its printed window: printed first (feedback.after_delay).
    patience: "お届けが予定より遅くなり、大変お待たせいたしました。お待ちいただき、誠にありがとうございます。",
    subject: "【{{ shop.name }}】ご注文（{{ order.name }}）の商品はいかがでしたか？",
    preheader: "ご注文 {{ order.name }} の商品は無事に届きましたでしょうか。",
    hope: "ご注文（{{ order.name }}）の商品は無事にお手元に届きましたでしょうか。お気に召していただけましたら幸いです。",
    review: "お時間がございましたら、率直なレビューをお寄せいただけますと幸いです。どのようなご感想でも、ほかのお客様の参考になり、私たちのサービス向上にもつながります。",
    rate: "今回のご注文の評価をお選びいただき、レビューをご投稿ください。",
    stars: ["星1つ", "星2つ", "星3つ", "星4つ", "星5つ"],
    reviewButton: "レビューを書く",
    products: "ご注文の商品",
    contactFirst: "万が一、商品に不備（破損や欠品など）がございましたら、まずは当ショップへご連絡ください。誠意をもって対応いたします。",
    contactButton: "お問い合わせ",
    problem: "万が一、商品に不備（破損や欠品など）がございましたら、まずはこのメールにご返信のうえ、当ショップへご連絡ください。誠意をもって対応いたします。",
    thanks: "{{ shop.name }} をご利用いただき、誠にありがとうございました。",
  },
};

export default ja;
