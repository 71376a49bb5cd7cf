import { dayspan, type LocaleStrings } from "~/templates/locales/build";

// Simplified Chinese, polite register (您).
const zhCN: LocaleStrings = {
  lang: "zh-CN",
  font: "'PingFang SC','Hiragino Sans GB','Microsoft YaHei',Arial,sans-serif",
  colon: "：",
  space: "",
  textHeading: (heading) => `【${heading}】`,
  dateFormat: "%Y年%-m月%-d日",
  greeting: "{% if buyer.name != blank %}{{ buyer.name }}，您好！{% elsif buyer.first_name != blank %}{{ buyer.first_name }}，您好！{% else %}您好！{% endif %}",
  signoff: "祝您生活愉快！",
  estimate: `{{ estimated_delivery.range }}（${dayspan()}个工作日）`,
  labels: {
    order: "订单号",
    orderDate: "下单日期",
    total: "订单金额",
    shippedOn: "发货日期",
    carrier: "承运商",
    trackingNumber: "运单号",
    newTrackingNumber: "新运单号",
    replaces: "原运单号",
    estimatedDelivery: "预计送达",
    originalEstimate: "原预计送达时间",
    latestUpdate: "最新物流动态",
  },
  trackCarrier: "查看物流信息",
  trackPage: "在我们的网站查看订单状态",
  unsubscribe: { sentence: "不想再收到此类物流通知？", link: "退订" },

  handling_commitment: {
    subject: "我们正在为您准备订单 {{ order.name }}",
    preheader: "您的订单 {{ order.name }} 正在备货中。",
    thanks: "感谢您在 {{ shop.name }} 购物！我们已收到您的订单 {{ order.name }}。",
    next: "接下来的流程如下：",
    handling: "我们会在 **{{ commitment.handling_hours }} 小时内**安排好您的商品，并获取物流运单号。",
    online: "之后还需要大约 **{{ commitment.online_tracking_days }} 天**，运单号才能在网上查询到物流信息。",
    quality: "商品发出前，我们会对每件商品进行质量检查。",
    closing: "包裹发出后，我们会第一时间通过邮件将运单号发送给您。如有任何疑问，请直接回复此邮件。",
  },

  shipping_confirmation: {
    subject: "您的订单 {{ order.name }} 已发货",
    preheader: "您的订单 {{ order.name }} 已{% if carrier %}通过 {{ carrier.name }} {% endif %}发出。",
    intro: "好消息！您的订单 {{ order.name }} 已经发货，正在寄往您的途中。",
    firstScan: "承运商的系统最多可能需要 {{ commitment.online_tracking_days }} 天才会显示第一条物流记录，如果刚开始查不到物流信息，请不必担心。",
    noTracking: "承运商提供运单号后，我们会第一时间发送给您。",
    questions: "对订单有任何疑问？直接回复此邮件即可，我们很乐意为您解答。",
  },

  tracking_updated: {
    subject: "您的订单 {{ order.name }} 运单号已更新",
    preheader: "您的订单 {{ order.name }} 有了新的运单号。",
    intro:
      "您的订单 {{ order.name }} 的运单号已更换。{% if tracking.previous_number %}原运单号 {{ tracking.previous_number }} 已被替换{% else %}原运单号已被替换{% endif %}，今后不再更新，请使用下方的新运单号查询。",
    showUpdates: "新运单号最多可能需要 {{ commitment.online_tracking_days }} 天才会显示物流更新。",
    questions: "如有疑问，请直接回复此邮件。",
  },

  delay_notice: {
    subject: "关于您的订单 {{ order.name }} 配送进度的说明",
    preheader: "很抱歉，您的订单 {{ order.name }} 的配送时间比预期要长。",
    apology: "非常抱歉，您的订单 {{ order.name }} 的送达时间比预期要长。下面向您说明目前的情况。",
    happening: "目前情况",
    overdue:
      "{% if estimated_delivery %}预计送达时间（{{ estimated_delivery.range }}）已过，但{% endif %}您的包裹尚未送达{% if delay.days_overdue > 0 %}，目前已比预期晚 {{ delay.days_overdue }} 个工作日{% endif %}。国际包裹最常见的情况是在海关或繁忙的物流中转站滞留，这通常只是暂时的。",
    silent:
      "承运商已经 {{ delay.days_silent }} 天没有更新物流信息。最常见的原因是包裹正在等待海关清关：清关期间物流信息通常会暂停更新，放行后会恢复正常。",
    exception: `承运商报告了派送异常{% if last_event.message %}（{{ last_event.happened_at | date: "%-m月%-d日" }}：“{{ last_event.message }}”）{% endif %}。这通常表示派送未能成功，例如派送时无人签收，或地址需要核实。`,
    general: "跨境包裹经常会在海关或承运商的中转站滞留几天，这通常只是暂时的。",
    watching: "我们会持续关注您的包裹，如果短期内仍无进展，我们会主动跟进处理。",
    canDo: "您可以这样做",
    checkLinks: "通过下方链接查看最新物流状态。",
    rearrange: "如果承运商留下了派送通知，或要求您重新预约派送，请尽快与其联系：包裹通常只保留一段时间，逾期会被退回。",
    answerCarrier: "如果海关或承运商联系您（例如关于进口关税或预约派送时间），请尽快回复：在他们收到您的答复之前，包裹无法继续派送。",
    replyToUs: "如果接下来几天仍没有变化，请回复此邮件，我们会替您联系承运商跟进。",
    thanks: "感谢您的耐心等待，再次为延误向您致歉。",
  },

  feedback_request: {
    // After a delay notice or a parcel later than its printed window: printed first (feedback.after_delay).
    patience: "感谢您的耐心等待。您的包裹比预计晚到了一些，给您带来不便，我们深表歉意。",
    subject: "您对订单 {{ order.name }} 还满意吗？",
    preheader: "希望您的订单 {{ order.name }} 已顺利送达。",
    hope: "希望您的订单 {{ order.name }} 已顺利送达，也希望您喜欢这次购买的商品。",
    review: "如果您有一分钟时间，欢迎留下您真实的评价。无论您的体验如何，都能帮助其他顾客，也能帮助我们做得更好。",
    rate: "您会给这次订单打几分？选择评分即可留下评价：",
    stars: ["1 星", "2 星", "3 星", "4 星", "5 星"],
    reviewButton: "去评价",
    products: "您购买的商品",
    contactFirst: "如果商品有任何问题（例如损坏、缺件或其他情况），请先与我们联系，我们会尽力为您妥善解决。",
    contactButton: "联系我们",
    problem: "如果商品有任何问题（例如损坏、缺件或其他情况），请先回复此邮件与我们联系，我们会尽力为您妥善解决。",
    thanks: "感谢您选择 {{ shop.name }}！",
  },
};

export default zhCN;
