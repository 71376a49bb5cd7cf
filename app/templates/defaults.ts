// Built-in message templates, used until a merchant customises a kind. They are also
// the starting text in the editor, so they stay readable Liquid.

import type { TemplateSource } from "~/templates/render";
import type { MessageKind } from "~/templates/variables";

// ---------------------------------------------------------------------------
// HTML building blocks. Mail clients ignore <style> and flexbox: tables and inline
// styles only.

const FONT = "font-family:Arial,Helvetica,sans-serif;";

interface HtmlParts {
  /** Language of the content, not of the buyer: the English set is also the fallback. */
  lang: string;
  /** Inbox preview text, hidden in the body. */
  preheader: string;
  body: string;
  footer?: string;
}

function htmlLayout({ lang, preheader, body, footer = "" }: HtmlParts): string {
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ shop.name }}</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f4f5;">
<div style="display:none;max-height:0;overflow:hidden;">${preheader}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f4f5;">
<tr>
<td align="center" style="padding:24px 12px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;border:1px solid #e4e4e7;border-radius:6px;">
<tr>
<td style="padding:24px 32px 8px 32px;${FONT}font-size:20px;font-weight:bold;color:#111827;">{{ shop.name }}</td>
</tr>
<tr>
<td style="padding:8px 32px 24px 32px;${FONT}font-size:15px;line-height:1.6;color:#374151;">
${body}
</td>
</tr>
</table>
${footer}
</td>
</tr>
</table>
</body>
</html>
`;
}

const p = (content: string): string => `<p style="margin:0 0 16px 0;">${content}</p>`;

function button(urlExpr: string, label: string): string {
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 20px 0;">
<tr>
<td style="border-radius:4px;background-color:#1d4ed8;"><a href="{{ ${urlExpr} }}" style="display:inline-block;padding:12px 24px;${FONT}font-size:15px;font-weight:bold;color:#ffffff;text-decoration:none;border-radius:4px;">${label}</a></td>
</tr>
</table>`;
}

/** [label, value, Liquid condition that shows the row]. */
type Row = [label: string, value: string, condition?: string];

function details(rows: Row[]): string {
  const body = rows
    .map(([label, value, condition]) => {
      const tr = `<tr>
<td style="padding:4px 16px 4px 0;${FONT}font-size:14px;color:#6b7280;white-space:nowrap;vertical-align:top;">${label}</td>
<td style="padding:4px 0;${FONT}font-size:14px;color:#111827;font-weight:bold;">${value}</td>
</tr>`;
      return condition ? `{%- if ${condition} %}\n${tr}\n{%- endif %}` : tr;
    })
    .join("\n");
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px 0;">
${body}
</table>`;
}

function unsubscribeFooter(sentence: string, linkLabel: string): string {
  return `{%- if unsubscribe_url %}
<p style="margin:16px 0 0 0;${FONT}font-size:12px;color:#6b7280;">${sentence} <a href="{{ unsubscribe_url }}" style="color:#6b7280;">${linkLabel}</a></p>
{%- endif %}`;
}

// ---------------------------------------------------------------------------
// English

const EN_GREETING = "Hi {{ buyer.first_name | default: buyer.name | default: 'there' }},";
const EN_SIGNATURE_HTML = p("Best regards,<br>{{ shop.name }}{% if shop.email %}<br>{{ shop.email }}{% endif %}");
const EN_SIGNATURE_TEXT = `Best regards,
{{ shop.name }}
{%- if shop.email %}
{{ shop.email }}
{%- endif %}`;
const EN_UNSUBSCRIBE_HTML = unsubscribeFooter("Don't want these delivery updates?", "Unsubscribe");
const EN_UNSUBSCRIBE_TEXT = `{%- if unsubscribe_url %}

--
Don't want these delivery updates? Unsubscribe: {{ unsubscribe_url }}
{%- endif %}`;

const plural = (expr: string, word: string): string => `${word}{% if ${expr} != 1 %}s{% endif %}`;

const EN_SHIPPED_ON = `{{ shipment.shipped_at | date: "%b %-d, %Y" }}`;
// "Dec 1 – 4, 2026 (3–6 business days)"
const EN_ESTIMATE = `{{ estimated_delivery.from | date_range: estimated_delivery.to }} ({% if estimated_delivery.min_business_days == estimated_delivery.max_business_days %}{{ estimated_delivery.max_business_days }}{% else %}{{ estimated_delivery.min_business_days }}–{{ estimated_delivery.max_business_days }}{% endif %} business ${plural("estimated_delivery.max_business_days", "day")})`;
const EN_TRACKING_DELAY = `{{ commitment.online_tracking_days }} ${plural("commitment.online_tracking_days", "day")}`;

const en: Record<MessageKind, TemplateSource> = {
  handling_commitment: {
    subject: "We're preparing your order {{ order.name }}",
    html: htmlLayout({
      lang: "en",
      preheader: "Your order {{ order.name }} is being prepared for shipping.",
      body: [
        p(EN_GREETING),
        p("Thank you for your order {{ order.name }} from {{ shop.name }}. Here is what happens next:"),
        p(
          `Your item will be arranged within <strong>{{ commitment.handling_hours }} ${plural("commitment.handling_hours", "hour")}</strong> to get a courier number. It then takes another <strong>${EN_TRACKING_DELAY}</strong> for the number to be online for tracking.`,
        ),
        p("Before your order leaves us, we check the quality of every product."),
        p("We'll email you the tracking number as soon as your parcel is on its way. If you have any questions, just reply to this email."),
        EN_SIGNATURE_HTML,
      ].join("\n"),
    }),
    text: `${EN_GREETING}

Thank you for your order {{ order.name }} from {{ shop.name }}. Here is what happens next:

- Your item will be arranged within {{ commitment.handling_hours }} ${plural("commitment.handling_hours", "hour")} to get a courier number.
- It then takes another ${EN_TRACKING_DELAY} for the number to be online for tracking.
- Before your order leaves us, we check the quality of every product.

We'll email you the tracking number as soon as your parcel is on its way. If you have any questions, just reply to this email.

${EN_SIGNATURE_TEXT}
`,
  },

  shipping_confirmation: {
    subject: "Your order {{ order.name }} has shipped",
    html: htmlLayout({
      lang: "en",
      preheader: "Your order {{ order.name }} is on its way{% if carrier %} with {{ carrier.name }}{% endif %}.",
      body: [
        p(EN_GREETING),
        p("Good news: your order {{ order.name }} is on its way to you."),
        details([
          ["Order", "{{ order.name }}"],
          ["Shipped on", EN_SHIPPED_ON, "shipment.shipped_at"],
          ["Carrier", "{{ carrier.name }}", "carrier"],
          ["Tracking number", "{{ tracking.number }}", "tracking"],
          ["Estimated delivery", EN_ESTIMATE, "estimated_delivery"],
        ]),
        `{%- if tracking.url %}\n${button("tracking.url", "Track your parcel")}\n{%- endif %}`,
        `{%- if tracking %}\n${p(`It can take up to ${EN_TRACKING_DELAY} before the carrier shows the first scan, so don't worry if tracking is empty at first.`)}\n{%- else %}\n${p("We'll send you the tracking number as soon as the carrier provides it.")}\n{%- endif %}`,
        p("Questions about your order? Just reply to this email, we're happy to help."),
        EN_SIGNATURE_HTML,
      ].join("\n"),
    }),
    text: `${EN_GREETING}

Good news: your order {{ order.name }} is on its way to you.

Order: {{ order.name }}
{%- if shipment.shipped_at %}
Shipped on: ${EN_SHIPPED_ON}
{%- endif %}
{%- if carrier %}
Carrier: {{ carrier.name }}
{%- endif %}
{%- if tracking %}
Tracking number: {{ tracking.number }}
{%- endif %}
{%- if tracking.url %}
Track your parcel: {{ tracking.url }}
{%- endif %}
{%- if estimated_delivery %}
Estimated delivery: ${EN_ESTIMATE}
{%- endif %}

{% if tracking -%}
It can take up to ${EN_TRACKING_DELAY} before the carrier shows the first scan, so don't worry if tracking is empty at first.
{%- else -%}
We'll send you the tracking number as soon as the carrier provides it.
{%- endif %}

Questions about your order? Just reply to this email, we're happy to help.

${EN_SIGNATURE_TEXT}
`,
  },

  tracking_updated: {
    subject: "New tracking number for your order {{ order.name }}",
    html: htmlLayout({
      lang: "en",
      preheader: "Your order {{ order.name }} has a new tracking number.",
      body: [
        p(EN_GREETING),
        p(
          "The tracking number for your order {{ order.name }} has changed. {% if tracking.previous_number %}The old number {{ tracking.previous_number }} has been replaced{% else %}The old number has been replaced{% endif %} and will no longer be updated, so please use the new one below.",
        ),
        details([
          ["New tracking number", "{{ tracking.number }}", "tracking"],
          ["Replaces", "{{ tracking.previous_number }}", "tracking.previous_number"],
          ["Carrier", "{{ carrier.name }}", "carrier"],
          ["Order", "{{ order.name }}"],
        ]),
        `{%- if tracking.url %}\n${button("tracking.url", "Track your parcel")}\n{%- endif %}`,
        p(`It can take up to ${EN_TRACKING_DELAY} for the new number to show updates.`),
        p("Questions? Just reply to this email."),
        EN_SIGNATURE_HTML,
      ].join("\n"),
    }),
    text: `${EN_GREETING}

The tracking number for your order {{ order.name }} has changed. {% if tracking.previous_number %}The old number {{ tracking.previous_number }} has been replaced{% else %}The old number has been replaced{% endif %} and will no longer be updated, so please use the new one below.

Order: {{ order.name }}
{%- if tracking %}
New tracking number: {{ tracking.number }}
{%- endif %}
{%- if carrier %}
Carrier: {{ carrier.name }}
{%- endif %}
{%- if tracking.url %}
Track your parcel: {{ tracking.url }}
{%- endif %}

It can take up to ${EN_TRACKING_DELAY} for the new number to show updates.

Questions? Just reply to this email.

${EN_SIGNATURE_TEXT}
`,
  },

  delay_notice: {
    subject: "An update on the delivery of your order {{ order.name }}",
    html: htmlLayout({
      lang: "en",
      preheader: "We're sorry your order {{ order.name }} is taking longer than expected.",
      body: [
        p(EN_GREETING),
        p("We're sorry: your order {{ order.name }} is taking longer than expected to reach you."),
        `<p style="margin:0 0 8px 0;"><strong>What is happening</strong></p>`,
        p(
          "Parcels travelling between countries are most often held for a few days at customs or at a carrier hub{% if carrier %} of {{ carrier.name }}{% endif %}. This is usually temporary, and we are keeping an eye on your parcel.",
        ),
        `<p style="margin:0 0 8px 0;"><strong>What you can do</strong></p>`,
        `<ul style="margin:0 0 16px 0;padding-left:20px;">
{%- if tracking.url %}
<li style="margin:0 0 6px 0;">Check the latest status with the tracking link below.</li>
{%- endif %}
<li style="margin:0 0 6px 0;">If customs or the carrier contacts you (for example about import duties or a delivery appointment), please answer them promptly: the parcel can't move until they hear back.</li>
<li style="margin:0 0 6px 0;">If nothing changes in the next few days, reply to this email and we'll follow up with the carrier for you.</li>
</ul>`,
        details([
          ["Order", "{{ order.name }}"],
          ["Carrier", "{{ carrier.name }}", "carrier"],
          ["Tracking number", "{{ tracking.number }}", "tracking"],
          ["Current estimate", EN_ESTIMATE, "estimated_delivery"],
        ]),
        `{%- if tracking.url %}\n${button("tracking.url", "Track your parcel")}\n{%- endif %}`,
        p("Thank you for your patience, and sorry again for the wait."),
        EN_SIGNATURE_HTML,
      ].join("\n"),
      footer: EN_UNSUBSCRIBE_HTML,
    }),
    text: `${EN_GREETING}

We're sorry: your order {{ order.name }} is taking longer than expected to reach you.

WHAT IS HAPPENING
Parcels travelling between countries are most often held for a few days at customs or at a carrier hub{% if carrier %} of {{ carrier.name }}{% endif %}. This is usually temporary, and we are keeping an eye on your parcel.

WHAT YOU CAN DO
{%- if tracking.url %}
- Check the latest status with the tracking link below.
{%- endif %}
- If customs or the carrier contacts you (for example about import duties or a delivery appointment), please answer them promptly: the parcel can't move until they hear back.
- If nothing changes in the next few days, reply to this email and we'll follow up with the carrier for you.

Order: {{ order.name }}
{%- if carrier %}
Carrier: {{ carrier.name }}
{%- endif %}
{%- if tracking %}
Tracking number: {{ tracking.number }}
{%- endif %}
{%- if tracking.url %}
Track your parcel: {{ tracking.url }}
{%- endif %}
{%- if estimated_delivery %}
Current estimate: ${EN_ESTIMATE}
{%- endif %}

Thank you for your patience, and sorry again for the wait.

${EN_SIGNATURE_TEXT}
${EN_UNSUBSCRIBE_TEXT}
`,
  },

  feedback_request: {
    subject: "How was your order {{ order.name }}?",
    html: htmlLayout({
      lang: "en",
      preheader: "We hope your order {{ order.name }} arrived safely.",
      body: [
        p(EN_GREETING),
        p("We hope your order {{ order.name }} arrived safely and that you enjoy it."),
        p(
          "If you're happy with your purchase, a five-star review would mean a lot to us{% if review_url %}: it only takes a minute{% endif %}.",
        ),
        `{%- if review_url %}\n${button("review_url", "Leave a review")}\n{%- endif %}`,
        p(
          "If anything is not right (damage, a missing item or anything else), please contact us first by replying to this email. We'll do our best to make it right.",
        ),
        p("Thank you for shopping with {{ shop.name }}!"),
        EN_SIGNATURE_HTML,
      ].join("\n"),
      footer: EN_UNSUBSCRIBE_HTML,
    }),
    text: `${EN_GREETING}

We hope your order {{ order.name }} arrived safely and that you enjoy it.

If you're happy with your purchase, a five-star review would mean a lot to us{% if review_url %}: it only takes a minute.
Leave a review: {{ review_url }}{% else %}.{% endif %}

If anything is not right (damage, a missing item or anything else), please contact us first by replying to this email. We'll do our best to make it right.

Thank you for shopping with {{ shop.name }}!

${EN_SIGNATURE_TEXT}
${EN_UNSUBSCRIBE_TEXT}
`,
  },
};

// ---------------------------------------------------------------------------
// Registry: adding a language is adding an entry here.

const DEFAULTS: Record<string, Record<MessageKind, TemplateSource>> = { en };
const FALLBACK_LOCALE = "en";

export const DEFAULT_LOCALES: string[] = Object.keys(DEFAULTS);

const byLowerCase = new Map(Object.entries(DEFAULTS).map(([locale, set]) => [locale.toLowerCase(), set]));

/** Exact locale ("pt-BR"), then its language ("pt"), then English. */
export function defaultTemplate(kind: MessageKind, locale: string): TemplateSource {
  const wanted = locale.toLowerCase().replace(/_/g, "-");
  const set = byLowerCase.get(wanted) ?? byLowerCase.get(wanted.split("-")[0]) ?? DEFAULTS[FALLBACK_LOCALE];
  // A copy: callers may edit it (the editor starts from it).
  return { ...set[kind] };
}
