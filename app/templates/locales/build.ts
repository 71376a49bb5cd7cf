// Assembles the built-in templates from one locale's phrases. Every language shares the
// same structure (so a fix to the layout reaches all of them); the phrases are whole
// sentences written for that language, with their own Liquid for plurals and word order.
//
// The output is what merchants see in the editor, so it stays readable Liquid: HTML uses
// tables and inline styles only (mail clients ignore <style> and flexbox), and the
// plain-text part uses `{%- if %}` so that a missing value leaves no blank lines.

import type { TemplateSource } from "~/templates/render";
import type { MessageKind } from "~/templates/variables";

/** Phrases are Liquid. `**bold**` becomes <strong> in HTML and plain text otherwise. */
export interface LocaleStrings {
  /** BCP 47 tag of the content, for <html lang>. */
  lang: string;
  /** CSS font stack; defaults to Arial. */
  font?: string;
  /** "Label: value" separator in plain text (": ", " : ", "："). */
  colon: string;
  /** Space between two sentences: " ", or "" in Chinese and Japanese. */
  space: string;
  /** Plain-text heading line, e.g. upper case or 【…】. */
  textHeading: (heading: string) => string;
  /** strftime format for a calendar date in this language. */
  dateFormat: string;
  greeting: string;
  /** Closing line above the shop name, e.g. "Best regards,". */
  signoff: string;
  /** The delivery window with its business days, over `estimated_delivery`. */
  estimate: string;
  labels: {
    order: string;
    orderDate: string;
    total: string;
    shippedOn: string;
    carrier: string;
    trackingNumber: string;
    newTrackingNumber: string;
    replaces: string;
    estimatedDelivery: string;
    originalEstimate: string;
    latestUpdate: string;
  };
  /** Button to the carrier's tracking page. */
  trackCarrier: string;
  /** Button to the shop's own tracking page. */
  trackPage: string;
  unsubscribe: { sentence: string; link: string };
  handling_commitment: {
    subject: string;
    preheader: string;
    thanks: string;
    next: string;
    handling: string;
    online: string;
    quality: string;
    closing: string;
  };
  shipping_confirmation: {
    subject: string;
    preheader: string;
    intro: string;
    firstScan: string;
    noTracking: string;
    questions: string;
  };
  tracking_updated: {
    subject: string;
    preheader: string;
    intro: string;
    showUpdates: string;
    questions: string;
  };
  delay_notice: {
    subject: string;
    preheader: string;
    apology: string;
    happening: string;
    overdue: string;
    silent: string;
    exception: string;
    /** When the reason is unknown (a merchant previewing without a delay). */
    general: string;
    watching: string;
    canDo: string;
    checkLinks: string;
    rearrange: string;
    answerCarrier: string;
    replyToUs: string;
    thanks: string;
  };
  feedback_request: {
    subject: string;
    preheader: string;
    /** Thanks for the buyer's patience, printed first after a delay (`feedback.after_delay`). */
    patience: string;
    hope: string;
    /** Asks for an honest review, never for a particular rating (Google's and the FTC's rules). */
    review: string;
    /** Above the five star links. */
    rate: string;
    /** Each star link's visible text, 1 to 5 ("1 star" … "5 stars"). */
    stars: [string, string, string, string, string];
    reviewButton: string;
    /** Heading of the list of what the buyer bought. */
    products: string;
    /** With a contact form (`feedback.contact_url`): contact us first, and its button. */
    contactFirst: string;
    contactButton: string;
    /** Without a contact form: contact us first by replying. */
    problem: string;
    thanks: string;
  };
}

// ---------------------------------------------------------------------------
// Liquid snippets shared by the locale files

/** "3–6" or "6" business days, from `estimated_delivery`. */
export function dayspan(dash = "–"): string {
  return "{% if estimated_delivery.min_business_days == estimated_delivery.max_business_days %}{{ estimated_delivery.max_business_days }}{% else %}{{ estimated_delivery.min_business_days }}" + dash + "{{ estimated_delivery.max_business_days }}{% endif %}";
}

/** `one` when `expr` is 1, else `other`. */
export function plural(expr: string, one: string, other: string): string {
  return `{% if ${expr} == 1 %}${one}{% else %}${other}{% endif %}`;
}

// ---------------------------------------------------------------------------
// Blocks: one description renders to both HTML and plain text.

type Row = [label: string, value: string, condition?: string];
type Item = string | [condition: string, text: string];

type Block =
  | { type: "p"; text: string }
  | { type: "heading"; text: string }
  | { type: "list"; items: Item[] }
  | { type: "details"; rows: Row[] }
  | { type: "button"; url: string; label: string; secondary?: boolean }
  | { type: "stars"; labels: string[] }
  | { type: "products" }
  | { type: "if"; condition: string; then: Block[]; else?: Block[] }
  | { type: "case"; expr: string; when: [value: string, blocks: Block[]][]; else: Block[] }
  | { type: "signature" };

const p = (text: string): Block => ({ type: "p", text });
const heading = (text: string): Block => ({ type: "heading", text });
const list = (...items: Item[]): Block => ({ type: "list", items });
const details = (...rows: Row[]): Block => ({ type: "details", rows });
const when = (condition: string, then: Block[], otherwise?: Block[]): Block => ({ type: "if", condition, then, else: otherwise });
const signature: Block = { type: "signature" };

const bold = (text: string, html: boolean): string => text.replace(/\*\*(.+?)\*\*/g, html ? "<strong>$1</strong>" : "$1");

/**
 * Joins rendered pieces. Each piece begins with its own separator, and a conditional piece
 * opens with `\n{%- if … %}`: the `-` eats that newline, so a false condition leaves nothing.
 */
function sequence<T>(items: T[], first: string, sep: string, one: (item: T, sep: string, index: number) => string): string {
  return items.map((item, i) => one(item, i === 0 ? first : sep, i)).join("");
}

function conditional(open: string, branches: [tag: string, body: string][], close: string): string {
  return `\n{%- ${open} %}${branches.map(([tag, body]) => (tag ? `\n{%- ${tag} %}` : "") + body).join("")}\n{%- ${close} %}`;
}

// ---- HTML

interface Style {
  font: string;
}

function htmlButton(url: string, label: string, secondary: boolean, s: Style): string {
  const cell = secondary ? "border:1px solid #1d4ed8;border-radius:4px;background-color:#ffffff;" : "border-radius:4px;background-color:#1d4ed8;";
  const color = secondary ? "#1d4ed8" : "#ffffff";
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 20px 0;">
<tr>
<td style="${cell}"><a href="{{ ${url} }}" style="display:inline-block;padding:12px 24px;${s.font}font-size:15px;font-weight:bold;color:${color};text-decoration:none;border-radius:4px;">${label}</a></td>
</tr>
</table>`;
}

/**
 * Five star links in a row, each to `feedback.stars[i].url`, with its rating written under the star (the
 * accessible name in every mail client: no aria, no script, no image to block).
 */
function htmlStars(labels: string[], s: Style): string {
  const cells = labels
    .map(
      (label, i) => `<td align="center" style="padding:0 2px;"><a href="{{ feedback.stars[${i}].url }}" style="display:inline-block;min-width:48px;padding:4px 2px;${s.font}color:#b45309;text-decoration:none;"><span style="font-size:28px;line-height:32px;">&#9733;</span><br><span style="font-size:11px;line-height:14px;color:#4b5563;">${label}</span></a></td>`,
    )
    .join("\n");
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px 0;">
<tr>
${cells}
</tr>
</table>`;
}

/** What the buyer bought (at most three): image, title, link. */
function htmlProducts(s: Style): string {
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px 0;">
{%- for product in feedback.products limit: 3 %}
<tr>
<td width="64" style="padding:0 12px 8px 0;vertical-align:middle;">{% if product.image_url %}<img src="{{ product.image_url }}" width="56" height="56" alt="" style="display:block;width:56px;height:56px;border:0;border-radius:4px;object-fit:cover;">{% endif %}</td>
<td style="padding:0 0 8px 0;vertical-align:middle;${s.font}font-size:15px;"><a href="{{ product.url }}" style="color:#1d4ed8;">{{ product.title }}</a></td>
</tr>
{%- endfor %}
</table>`;
}

function htmlBlock(block: Block, sep: string, t: LocaleStrings, s: Style): string {
  switch (block.type) {
    case "p":
      return `${sep}<p style="margin:0 0 16px 0;">${bold(block.text, true)}</p>`;
    case "heading":
      return `${sep}<p style="margin:0 0 8px 0;"><strong>${block.text}</strong></p>`;
    case "list": {
      const items = sequence(block.items, "\n", "\n", (item, itemSep) => {
        const [condition, text] = typeof item === "string" ? [null, item] : item;
        const li = `${itemSep}<li style="margin:0 0 6px 0;">${bold(text, true)}</li>`;
        return condition ? conditional(`if ${condition}`, [["", li]], "endif") : li;
      });
      return `${sep}<ul style="margin:0 0 16px 0;padding-left:20px;">${items}\n</ul>`;
    }
    case "details": {
      const rows = sequence(block.rows, "\n", "\n", ([label, value, condition], rowSep) => {
        const tr = `${rowSep}<tr>
<td style="padding:4px 16px 4px 0;${s.font}font-size:14px;color:#6b7280;white-space:nowrap;vertical-align:top;">${label}</td>
<td style="padding:4px 0;${s.font}font-size:14px;color:#111827;font-weight:bold;">${value}</td>
</tr>`;
        return condition ? conditional(`if ${condition}`, [["", tr]], "endif") : tr;
      });
      return `${sep}<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px 0;">${rows}\n</table>`;
    }
    case "button":
      return `${sep}${htmlButton(block.url, block.label, block.secondary ?? false, s)}`;
    case "stars":
      return `${sep}${htmlStars(block.labels, s)}`;
    case "products":
      return `${sep}${htmlProducts(s)}`;
    case "if":
      return conditional(
        `if ${block.condition}`,
        [["", htmlBlocks(block.then, sep, t, s)], ...(block.else ? [["else", htmlBlocks(block.else, sep, t, s)] as [string, string]] : [])],
        "endif",
      );
    case "case":
      return conditional(
        `case ${block.expr}`,
        [...block.when.map(([value, blocks]) => [`when ${value}`, htmlBlocks(blocks, sep, t, s)] as [string, string]), ["else", htmlBlocks(block.else, sep, t, s)]],
        "endcase",
      );
    case "signature":
      return `${sep}<p style="margin:0;">${t.signoff}<br>{{ shop.name }}{% if shop.email %}<br>{{ shop.email }}{% endif %}</p>`;
  }
}

function htmlBlocks(blocks: Block[], first: string, t: LocaleStrings, s: Style): string {
  return sequence(blocks, first, "\n", (block, sep) => htmlBlock(block, sep, t, s));
}

function htmlDocument(t: LocaleStrings, preheader: string, blocks: Block[], unsubscribe: boolean): string {
  const s: Style = { font: `font-family:${t.font ?? "Arial,Helvetica,sans-serif"};` };
  const footer = unsubscribe
    ? `{%- if unsubscribe_url %}
<p style="margin:16px 0 0 0;${s.font}font-size:12px;color:#6b7280;">${t.unsubscribe.sentence}${t.space}<a href="{{ unsubscribe_url }}" style="color:#6b7280;">${t.unsubscribe.link}</a></p>
{%- endif %}
`
    : "";
  return `<!DOCTYPE html>
<html lang="${t.lang}">
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
<td style="padding:24px 32px 8px 32px;${s.font}font-size:20px;font-weight:bold;color:#111827;">{{ shop.name }}</td>
</tr>
<tr>
<td style="padding:8px 32px 24px 32px;${s.font}font-size:15px;line-height:1.6;color:#374151;">${htmlBlocks(blocks, "\n", t, s)}
</td>
</tr>
</table>
${footer}</td>
</tr>
</table>
</body>
</html>
`;
}

// ---- Plain text

function textBlock(block: Block, sep: string, t: LocaleStrings): string {
  switch (block.type) {
    case "p":
      return `${sep}${bold(block.text, false)}`;
    case "heading":
      // The heading sits directly above what follows it.
      return `${sep}${t.textHeading(block.text)}`;
    case "list":
      return sequence(block.items, sep, "\n", (item, itemSep) => {
        const [condition, text] = typeof item === "string" ? [null, item] : item;
        const line = `${itemSep}- ${bold(text, false)}`;
        return condition ? conditional(`if ${condition}`, [["", line]], "endif") : line;
      });
    case "details":
      return sequence(block.rows, sep, "\n", ([label, value, condition], rowSep) => {
        const line = `${rowSep}${label}${t.colon}${value}`;
        return condition ? conditional(`if ${condition}`, [["", line]], "endif") : line;
      });
    case "button":
      return `${sep}${block.label}${t.colon}{{ ${block.url} }}`;
    case "stars":
      return sequence(block.labels, sep, "\n", (label, lineSep, i) => `${lineSep}${label}${t.colon}{{ feedback.stars[${i}].url }}`);
    case "products":
      return `${sep}{%- for product in feedback.products limit: 3 %}
- {{ product.title }}${t.colon}{{ product.url }}
{%- endfor %}`;
    case "if":
      return conditional(
        `if ${block.condition}`,
        [["", textBlocks(block.then, sep, t)], ...(block.else ? [["else", textBlocks(block.else, sep, t)] as [string, string]] : [])],
        "endif",
      );
    case "case":
      return conditional(
        `case ${block.expr}`,
        [...block.when.map(([value, blocks]) => [`when ${value}`, textBlocks(blocks, sep, t)] as [string, string]), ["else", textBlocks(block.else, sep, t)]],
        "endcase",
      );
    case "signature":
      return `${sep}${t.signoff}
{{ shop.name }}
{%- if shop.email %}
{{ shop.email }}
{%- endif %}`;
  }
}

function textBlocks(blocks: Block[], first: string, t: LocaleStrings): string {
  // A heading binds to the block after it, and a list (or the star links) to the line introducing it.
  const bound = (block: Block, i: number): boolean => i > 0 && (blocks[i - 1].type === "heading" || block.type === "list" || block.type === "stars");
  return sequence(blocks, first, "\n\n", (block, sep, i) => textBlock(block, bound(block, i) ? "\n" : sep, t));
}

function textDocument(t: LocaleStrings, blocks: Block[], unsubscribe: boolean): string {
  const footer = unsubscribe
    ? `
{%- if unsubscribe_url %}

--
${t.unsubscribe.sentence}${t.space}${t.unsubscribe.link}${t.colon}{{ unsubscribe_url }}
{%- endif %}`
    : "";
  return `${textBlocks(blocks, "", t)}${footer}\n`;
}

// ---------------------------------------------------------------------------
// The five messages

function trackingButtons(t: LocaleStrings): Block[] {
  return [
    when("tracking.url", [{ type: "button", url: "tracking.url", label: t.trackCarrier }]),
    when("tracking.page_url", [{ type: "button", url: "tracking.page_url", label: t.trackPage, secondary: true }]),
  ];
}

interface Message {
  subject: string;
  preheader: string;
  blocks: Block[];
  unsubscribe?: boolean;
}

function messages(t: LocaleStrings): Record<MessageKind, Message> {
  const L = t.labels;
  const shippedOn = `{{ shipment.shipped_at | date: "${t.dateFormat}" }}`;
  const hc = t.handling_commitment;
  const sc = t.shipping_confirmation;
  const tu = t.tracking_updated;
  const dn = t.delay_notice;
  const fr = t.feedback_request;
  return {
    handling_commitment: {
      subject: hc.subject,
      preheader: hc.preheader,
      blocks: [
        p(t.greeting),
        p(hc.thanks),
        details(
          [L.order, "{{ order.name }}"],
          [L.orderDate, `{{ order.processed_at | date: "${t.dateFormat}" }}`, "order.processed_at"],
          [L.total, "{{ order.total_price | money }}"],
        ),
        p(hc.next),
        list(hc.handling, hc.online, hc.quality),
        p(hc.closing),
        signature,
      ],
    },
    shipping_confirmation: {
      subject: sc.subject,
      preheader: sc.preheader,
      blocks: [
        p(t.greeting),
        p(sc.intro),
        details(
          [L.order, "{{ order.name }}"],
          [L.shippedOn, shippedOn, "shipment.shipped_at"],
          [L.carrier, "{{ carrier.name }}", "carrier"],
          [L.trackingNumber, "{{ tracking.number }}", "tracking"],
          [L.estimatedDelivery, t.estimate, "estimated_delivery"],
        ),
        ...trackingButtons(t),
        when("tracking", [p(sc.firstScan)], [p(sc.noTracking)]),
        p(sc.questions),
        signature,
      ],
    },
    tracking_updated: {
      subject: tu.subject,
      preheader: tu.preheader,
      blocks: [
        p(t.greeting),
        p(tu.intro),
        details(
          [L.newTrackingNumber, "{{ tracking.number }}", "tracking"],
          [L.replaces, "{{ tracking.previous_number }}", "tracking.previous_number"],
          [L.carrier, "{{ carrier.name }}", "carrier"],
          [L.order, "{{ order.name }}"],
        ),
        ...trackingButtons(t),
        p(tu.showUpdates),
        p(tu.questions),
        signature,
      ],
    },
    delay_notice: {
      subject: dn.subject,
      preheader: dn.preheader,
      unsubscribe: true,
      blocks: [
        p(t.greeting),
        p(dn.apology),
        heading(dn.happening),
        {
          type: "case",
          expr: "delay.reason",
          when: [
            ['"overdue"', [p(dn.overdue)]],
            ['"silent"', [p(dn.silent)]],
            ['"exception"', [p(dn.exception)]],
          ],
          else: [p(dn.general)],
        },
        p(dn.watching),
        heading(dn.canDo),
        list(
          ["tracking.url or tracking.page_url", dn.checkLinks],
          ['delay.reason == "exception"', dn.rearrange],
          dn.answerCarrier,
          dn.replyToUs,
        ),
        details(
          [L.order, "{{ order.name }}"],
          [L.carrier, "{{ carrier.name }}", "carrier"],
          [L.trackingNumber, "{{ tracking.number }}", "tracking"],
          [L.originalEstimate, t.estimate, "estimated_delivery"],
          [
            L.latestUpdate,
            `{{ last_event.message }}{% if last_event.city %} ({{ last_event.city }}){% endif %}, {{ last_event.happened_at | date: "${t.dateFormat}" }}`,
            'last_event.message and delay.reason != "exception"',
          ],
        ),
        ...trackingButtons(t),
        p(dn.thanks),
        signature,
      ],
    },
    feedback_request: {
      subject: fr.subject,
      preheader: fr.preheader,
      unsubscribe: true,
      blocks: [
        p(t.greeting),
        when("feedback.after_delay", [p(fr.patience)]),
        p(fr.hope),
        p(fr.review),
        // Five stars, each to the same destination (the rating at most a parameter of its link).
        when("feedback.stars.size == 5", [p(fr.rate), { type: "stars", labels: fr.stars }]),
        when(
          "feedback.review_url",
          [{ type: "button", url: "feedback.review_url", label: fr.reviewButton }],
          [when("review_url", [{ type: "button", url: "review_url", label: fr.reviewButton }])],
        ),
        when("feedback.products.size > 0", [heading(fr.products), { type: "products" }]),
        when("feedback.contact_url", [p(fr.contactFirst), { type: "button", url: "feedback.contact_url", label: fr.contactButton, secondary: true }], [p(fr.problem)]),
        p(fr.thanks),
        signature,
      ],
    },
  };
}

export function buildTemplates(t: LocaleStrings): Record<MessageKind, TemplateSource> {
  const all = messages(t);
  const out = {} as Record<MessageKind, TemplateSource>;
  for (const [kind, m] of Object.entries(all) as [MessageKind, Message][]) {
    out[kind] = {
      subject: m.subject,
      html: htmlDocument(t, m.preheader, m.blocks, m.unsubscribe ?? false),
      text: textDocument(t, m.blocks, m.unsubscribe ?? false),
    };
  }
  return out;
}
