// The storefront tracking page (/apps/parcelwise/track, the link in the shipping confirmation) is the
// "Track your order" block itself: its Liquid, CSS, JS and translations from
// extensions/tracking-block, rendered here with the schema's default settings. One markup, one
// script, one set of strings for the block a merchant places and the page the app serves.
import { Liquid } from "liquidjs";
import { escapeHtml } from "~/templates/escape";
import { matchLocale } from "~/templates/locale";
import blockSource from "../../extensions/tracking-block/blocks/track-order.liquid?raw";
import blockCss from "../../extensions/tracking-block/assets/track-order.css?raw";
import blockJs from "../../extensions/tracking-block/assets/track-order.js?raw";

type Translations = Record<string, unknown>;

const localeFiles = import.meta.glob<Translations>("../../extensions/tracking-block/locales/*.json", { eager: true, import: "default" });

/** Storefront translations by locale ("en", "de", "zh-CN"); schema (theme editor) files left out. */
const TRANSLATIONS: Record<string, Translations> = Object.fromEntries(
  Object.entries(localeFiles)
    .filter(([path]) => !path.endsWith(".schema.json"))
    .map(([path, strings]) => [path.split("/").pop()!.replace(/(\.default)?\.json$/, ""), strings]),
);
export const STOREFRONT_LOCALES = Object.keys(TRANSLATIONS);
const DEFAULT_LOCALE = "en";

const SCHEMA = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/;

/** The block's settings as a merchant who changed nothing has them. */
export function defaultBlockSettings(): Record<string, unknown> {
  const schema = JSON.parse(SCHEMA.exec(blockSource)?.[1] ?? "{}") as { settings?: Array<{ id?: string; default?: unknown }> };
  return Object.fromEntries((schema.settings ?? []).filter((s) => s.id).map((s) => [s.id, s.default ?? ""]));
}

/** The best of the candidates (a ?locale= value, then Accept-Language entries) the block speaks. */
export function pickLocale(candidates: Array<string | null | undefined>): string {
  for (const candidate of candidates) {
    // Unlike the mail, the page has always shown Simplified Chinese to Traditional Chinese readers.
    const match = candidate ? matchLocale(candidate, STOREFRONT_LOCALES, { simplifiedForTraditional: true }) : null;
    if (match) return match;
  }
  return DEFAULT_LOCALE;
}

/** Accept-Language → languages in the order given (q-values rarely disagree with order). */
export function acceptedLanguages(header: string | null): string[] {
  return (header ?? "")
    .split(",")
    .map((part) => part.split(";")[0].trim())
    .filter((tag) => tag && tag !== "*");
}

function lookup(strings: Translations, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Translations)[part] : undefined), strings);
}

/**
 * Shopify's `t` filter: the key in the locale, else in English; `{{ name }}` filled from its
 * arguments; HTML-escaped unless the key ends in `_html`.
 */
function translate(locale: string, key: string, args: Array<[string, unknown]>): string {
  const value = lookup(TRANSLATIONS[locale] ?? {}, key) ?? lookup(TRANSLATIONS[DEFAULT_LOCALE], key);
  if (typeof value !== "string") return `translation missing: ${locale}.${key}`;
  const values = Object.fromEntries(args);
  const text = value.replace(/{{\s*(\w+)\s*}}/g, (all, name: string) => (name in values ? String(values[name]) : all));
  return key.endsWith("_html") ? text : escapeHtml(text);
}

function engine(locale: string): Liquid {
  const liquid = new Liquid({ ownPropertyOnly: true, strictFilters: true });
  liquid.registerFilter("t", (key: string, ...args: Array<[string, unknown]>) => translate(locale, key, args));
  return liquid;
}

/** The block's HTML as Shopify renders it in a theme (without the assets its schema loads). */
export function renderTrackOrderBlock(input: { locale: string; settings?: Record<string, unknown>; blockId?: string }): string {
  return engine(input.locale).parseAndRenderSync(blockSource.replace(SCHEMA, ""), {
    block: { id: input.blockId ?? "parcelwise", settings: { ...defaultBlockSettings(), ...input.settings }, shopify_attributes: "" },
    request: { locale: { iso_code: input.locale } },
  });
}

const pages = new Map<string, string>();
const STATUS_LINE = '<p class="pw-track__message" role="status" aria-live="polite" hidden>';

/**
 * The app proxy page: the block with its CSS and JS inline, returned as Liquid for Shopify to place in
 * the theme's layout. Shopify renders the answer as Liquid, so it must hold no Liquid of its own.
 */
export function trackingPageLiquid(locale: string, notice?: "link_expired"): string {
  const key = `${locale}\n${notice ?? ""}`;
  let page = pages.get(key);
  if (!page) {
    if (/<\/(style|script)/i.test(blockCss + blockJs)) throw new Error("an inlined asset would close its own tag");
    let block = renderTrackOrderBlock({ locale });
    // A notice known before any lookup (an expired link) is shown at once, in the block's status line.
    if (notice) block = block.replace(STATUS_LINE, `${STATUS_LINE.replace(" hidden>", ">")}${translate(locale, `track_order.${notice}`, [])}`);
    page = `<style>${blockCss}</style>\n${block}\n<script>${blockJs}</script>\n`;
    if (/{{|{%/.test(page)) throw new Error("the tracking page would be read as Liquid by Shopify");
    pages.set(key, page);
  }
  return page;
}
