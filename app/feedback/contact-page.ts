// The contact page's HTML, for the app proxy to place in the shop's theme: the form (order name, the
// rating the buyer came with, one message box), the confirmation, and the error pages. Plain HTML and a
// form POST, no script. Shopify reads a proxied answer as Liquid, so every value is HTML-escaped and its
// braces too: a message that contains "{{" re-shown after an error stays text.
import { escapeHtml } from "~/templates/escape";
import { CONTACT_STRINGS, type ContactStrings } from "./contact-strings";
import { CONTACT_PAGE_PATH } from "./contact-link";

/** The longest message the form takes, in characters (line breaks count once). */
export const CONTACT_MESSAGE_MAX_CHARS = 2000;

export type ContactFormError = "empty" | "too_long" | "rate_limited";

export type ContactPageView =
  | {
      kind: "form";
      locale: string;
      shopName: string;
      orderName: string;
      rating: number | null;
      token: string;
      /** Where the form posts, on the shop's domain: the proxy's path prefix (e.g. /apps/parcelwise). */
      pathPrefix: string;
      error?: ContactFormError;
      /** What the buyer typed, shown again after an error. */
      message?: string;
    }
  | { kind: "sent"; locale: string; shopName: string; orderName: string }
  | { kind: "expired" | "invalid"; locale: string; shopName: string };

const STYLE = `
.pw-contact { box-sizing: border-box; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; font: inherit; color: inherit; }
.pw-contact * { box-sizing: border-box; }
.pw-contact h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 0.75rem; }
.pw-contact p { margin: 0 0 0.75rem; line-height: 1.5; }
.pw-contact__stars { color: #b7791f; letter-spacing: 0.1em; }
.pw-contact__error { border-left: 4px solid #b42318; background: #fef3f2; color: #7a271a; padding: 0.6rem 0.8rem; }
.pw-contact label { display: block; font-weight: 600; margin: 1rem 0 0.35rem; }
.pw-contact textarea { display: block; width: 100%; min-height: 10rem; padding: 0.6rem; font: inherit; border: 1px solid #8c9196; border-radius: 4px; resize: vertical; }
.pw-contact textarea:focus { outline: 2px solid #005bd3; outline-offset: 1px; }
.pw-contact__hint { font-size: 0.9rem; opacity: 0.8; margin-top: 0.35rem; }
.pw-contact button { margin-top: 1rem; padding: 0.7rem 1.4rem; font: inherit; font-weight: 600; color: #fff; background: #1a1a1a; border: 0; border-radius: 4px; cursor: pointer; }
.pw-contact button:focus { outline: 2px solid #005bd3; outline-offset: 2px; }
`;

/** Escaped for HTML and unreadable as Liquid. */
export function pageText(text: string): string {
  return escapeHtml(text).replace(/{/g, "&#123;").replace(/}/g, "&#125;");
}

function fill(template: string, values: Record<string, string | number>): string {
  return pageText(template.replace(/{(\w+)}/g, (all, name: string) => (name in values ? String(values[name]) : all)));
}

const PATH_PREFIX = /^\/(apps|a|community|tools)\/[A-Za-z0-9_-]{1,64}$/;

/** The proxy's prefix as Shopify signed it, else the one shopify.app.toml declares. */
export function formAction(pathPrefix: string | null | undefined): string {
  return `${pathPrefix && PATH_PREFIX.test(pathPrefix) ? pathPrefix : "/apps/parcelwise"}/${CONTACT_PAGE_PATH}`;
}

function body(view: ContactPageView, s: ContactStrings): string {
  const shop = view.shopName;
  switch (view.kind) {
    case "expired":
    case "invalid":
      return `<h1>${pageText(s[`${view.kind}_title`])}</h1>\n<p>${fill(s[`${view.kind}_body`], { shop })}</p>`;
    case "sent":
      return `<h1>${pageText(s.sent_title)}</h1>\n<p role="status">${fill(s.sent_body, { shop, order: view.orderName })}</p>`;
    case "form": {
      const max = CONTACT_MESSAGE_MAX_CHARS;
      const lines = [`<h1>${fill(s.title, { shop })}</h1>`, `<p>${fill(s.intro, { order: view.orderName })}</p>`];
      if (view.rating) {
        lines.push(`<p><span class="pw-contact__stars" aria-hidden="true">${"★".repeat(view.rating)}${"☆".repeat(5 - view.rating)}</span> ${fill(s.rated, { rating: view.rating })}</p>`);
      }
      if (view.error) lines.push(`<p class="pw-contact__error" role="alert" id="pw-contact-error">${fill(s[`error_${view.error}`], { max })}</p>`);
      const described = view.error ? "pw-contact-hint pw-contact-error" : "pw-contact-hint";
      lines.push(
        `<form method="post" action="${pageText(formAction(view.pathPrefix))}" accept-charset="utf-8">`,
        `<input type="hidden" name="t" value="${pageText(view.token)}">`,
        `<label for="pw-contact-message">${pageText(s.label)}</label>`,
        `<textarea id="pw-contact-message" name="message" rows="8" maxlength="${max}" required aria-describedby="${described}"${view.error ? ' aria-invalid="true"' : ""}>${pageText(view.message ?? "")}</textarea>`,
        `<p class="pw-contact__hint" id="pw-contact-hint">${fill(s.hint, { max, shop })}</p>`,
        `<button type="submit">${pageText(s.submit)}</button>`,
        `</form>`,
      );
      return lines.join("\n");
    }
  }
}

/** The page as the app proxy returns it (no Liquid of its own: Shopify renders it into the theme). */
export function contactPageHtml(view: ContactPageView): string {
  const strings = CONTACT_STRINGS[view.locale] ?? CONTACT_STRINGS.en;
  const page = `<style>${STYLE}</style>\n<section class="pw-contact" lang="${pageText(view.locale)}">\n${body(view, strings)}\n</section>\n`;
  if (/{{|{%/.test(page)) throw new Error("the contact page would be read as Liquid by Shopify");
  return page;
}
