import { dayspan, type LocaleStrings } from "~/templates/locales/build";

// English suffix plural: `s` unless the number is 1.
const s = (expr: string): string => `{% if ${expr} != 1 %}s{% endif %}`;

const en: LocaleStrings = {
  lang: "en",
  colon: ": ",
  space: " ",
  textHeading: (heading) => heading.toUpperCase(),
  dateFormat: "%B %-d, %Y",
  greeting: "Hi {{ buyer.first_name | default: buyer.name | default: 'there' }},",
  signoff: "Best regards,",
  estimate: `{{ estimated_delivery.range }} (${dayspan()} business day${s("estimated_delivery.max_business_days")})`,
  labels: {
    order: "Order",
    orderDate: "Order date",
    total: "Total",
    shippedOn: "Shipped on",
    carrier: "Carrier",
    trackingNumber: "Tracking number",
    newTrackingNumber: "New tracking number",
    replaces: "Replaces",
    estimatedDelivery: "Estimated delivery",
    originalEstimate: "Original estimate",
    latestUpdate: "Latest carrier update",
  },
  trackCarrier: "Track your parcel",
  trackPage: "Follow your order on our website",
  unsubscribe: { sentence: "Don't want these delivery updates?", link: "Unsubscribe" },

  handling_commitment: {
    subject: "We're preparing your order {{ order.name }}",
    preheader: "Your order {{ order.name }} is being prepared for shipping.",
    thanks: "Thank you for your order {{ order.name }} from {{ shop.name }}.",
    next: "Here is what happens next:",
    handling: `Your item will be arranged within **{{ commitment.handling_hours }} hour${s("commitment.handling_hours")}** to get a courier number.`,
    online: `It then takes another **{{ commitment.online_tracking_days }} day${s("commitment.online_tracking_days")}** for the number to be online for tracking.`,
    quality: "Before your order leaves us, we check the quality of every product.",
    closing: "We'll email you the tracking number as soon as your parcel is on its way. If you have any questions, just reply to this email.",
  },

  shipping_confirmation: {
    subject: "Your order {{ order.name }} has shipped",
    preheader: "Your order {{ order.name }} is on its way{% if carrier %} with {{ carrier.name }}{% endif %}.",
    intro: "Good news: your order {{ order.name }} is on its way to you.",
    firstScan: `It can take up to {{ commitment.online_tracking_days }} day${s("commitment.online_tracking_days")} before the carrier shows the first scan, so don't worry if tracking is empty at first.`,
    noTracking: "We'll send you the tracking number as soon as the carrier provides it.",
    questions: "Questions about your order? Just reply to this email, we're happy to help.",
  },

  tracking_updated: {
    subject: "New tracking number for your order {{ order.name }}",
    preheader: "Your order {{ order.name }} has a new tracking number.",
    intro:
      "The tracking number for your order {{ order.name }} has changed. {% if tracking.previous_number %}The old number {{ tracking.previous_number }} has been replaced{% else %}The old number has been replaced{% endif %} and will no longer be updated, so please use the new one below.",
    showUpdates: `It can take up to {{ commitment.online_tracking_days }} day${s("commitment.online_tracking_days")} for the new number to show updates.`,
    questions: "Questions? Just reply to this email.",
  },

  delay_notice: {
    subject: "An update on the delivery of your order {{ order.name }}",
    preheader: "We're sorry your order {{ order.name }} is taking longer than expected.",
    apology: "We're sorry: your order {{ order.name }} is taking longer than expected to reach you, and we want to let you know where things stand.",
    happening: "What is happening",
    overdue: `{% if estimated_delivery %}We estimated delivery for {{ estimated_delivery.range }}, and your parcel{% else %}Your parcel{% endif %} has not arrived yet{% if delay.days_overdue > 0 %}: it is now {{ delay.days_overdue }} business day${s("delay.days_overdue")} later than expected{% endif %}. Parcels crossing borders are most often held up at customs or at a busy carrier hub, and this is usually temporary.`,
    silent: `The carrier has not reported a new scan for {{ delay.days_silent }} day${s("delay.days_silent")}. The usual reason is customs: while a parcel waits for clearance, tracking often pauses, and it picks up again once the parcel is released.`,
    exception: `The carrier reported a problem with the delivery{% if last_event.message %} on {{ last_event.happened_at | date: "%B %-d" }}: “{{ last_event.message }}”{% endif %}. This usually means a delivery attempt did not succeed, for example because nobody was available to receive the parcel or the address needed checking.`,
    general: "Parcels travelling between countries are most often held for a few days at customs or at a carrier hub. This is usually temporary.",
    watching: "We are keeping an eye on your parcel and will step in if it doesn't move soon.",
    canDo: "What you can do",
    checkLinks: "Check the latest status with the links below.",
    rearrange: "If the carrier left a notice or asks you to arrange a new delivery, please contact them soon: they usually keep a parcel for a limited time before returning it.",
    answerCarrier: "If customs or the carrier contacts you (for example about import duties or a delivery appointment), please answer them promptly: the parcel can't move until they hear back.",
    replyToUs: "If nothing changes in the next few days, reply to this email and we'll follow up with the carrier for you.",
    thanks: "Thank you for your patience, and sorry again for the wait.",
  },

  feedback_request: {
    // After a delay notice or a parcel later than its printed window: printed first (feedback.after_delay).
    patience: "Thank you for your patience: your parcel took longer to reach you than we said it would, and we're sorry for the wait.",
    subject: "How was your order {{ order.name }}?",
    preheader: "We hope your order {{ order.name }} arrived safely.",
    hope: "We hope your order {{ order.name }} arrived safely and that you enjoy it.",
    review: "If you have a minute, we'd really value your honest review. Whatever your experience, it helps other shoppers and helps us do better.",
    rate: "How would you rate your order? Choose a rating to leave your review:",
    stars: ["1 star", "2 stars", "3 stars", "4 stars", "5 stars"],
    reviewButton: "Leave a review",
    products: "What you ordered",
    contactFirst: "If anything is not right (damage, a missing item or anything else), please contact us first. We'll do our best to make it right.",
    contactButton: "Contact us",
    problem: "If anything is not right (damage, a missing item or anything else), please contact us first by replying to this email. We'll do our best to make it right.",
    thanks: "Thank you for shopping with {{ shop.name }}!",
  },
};

export default en;
