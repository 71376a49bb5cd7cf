// Renders merchant-authored (untrusted) Liquid message templates.

import juice from "juice";
import { Liquid, LiquidError, filters as builtinFilters } from "liquidjs";
import type { Context, FilterImplOptions, LiquidOptions, Template } from "liquidjs";
import type { MessageVariables } from "~/templates/variables";

export type TemplatePart = "subject" | "html" | "text";

export class TemplateError extends Error {
  override name = "TemplateError";
  constructor(
    public part: TemplatePart,
    /** 1-based; null when the error has no position (limits, timeout). */
    public line: number | null,
    message: string,
    public column: number | null = null,
  ) {
    super(message);
  }
}

export interface TemplateSource {
  subject: string;
  html: string;
  text: string;
}

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
}

const PARSE_LIMIT = 100_000; // characters per template part
// The render timeout, per part: a deadline liquidjs checks between template nodes.
const RENDER_LIMIT_MS = 1_000;
const MEMORY_LIMIT = 10_000_000;
// The emitter does not charge memoryLimit, so cap the output itself; `.length` on a
// V8 rope is O(1), so checking it does not materialise a huge string.
const MAX_OUTPUT_CHARS = 1_000_000;
const CACHE_SIZE = 500;

type FilterImpl = ThisParameterType<Extract<FilterImplOptions, (...args: never[]) => unknown>>;
type FilterHandler = (this: FilterImpl, value: unknown, ...args: unknown[]) => unknown;

// ---------------------------------------------------------------------------
// Per-render locale/currency. Filters are engine-wide, so they look the values up by
// the scope object of the render. Kept out of the scope so templates cannot change
// them (`{% increment locale %}` writes to the scope).

interface RenderMeta {
  locale: string;
  currency: string;
  timezone: string;
}
const renderMeta = new WeakMap<object, RenderMeta>();

function metaOf(ctx: Context): RenderMeta {
  const known = renderMeta.get(ctx.environments as object);
  if (known) return known;
  const env = ctx.environments as Partial<MessageVariables>;
  return { locale: safeLocale(env.locale), currency: env.order?.currency || env.shop?.currency || "USD", timezone: safeTimeZone(env.timezone) };
}

const validZones = new Map<string, boolean>();
/** An IANA zone Intl knows, else UTC. */
function safeTimeZone(zone: unknown): string {
  if (typeof zone !== "string" || zone === "") return "UTC";
  let valid = validZones.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
      valid = true;
    } catch {
      valid = false;
    }
    if (validZones.size > 500) validZones.clear();
    validZones.set(zone, valid);
  }
  return valid ? zone : "UTC";
}

function safeLocale(locale: unknown, fallback = "en"): string {
  if (typeof locale !== "string" || locale === "") return fallback;
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? fallback;
  } catch {
    return fallback;
  }
}

// Intl constructors are slow relative to a format call; bounded memo.
function memo<T>(create: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      if (cache.size >= 200) cache.clear();
      value = create(key);
      cache.set(key, value);
    }
    return value;
  };
}

const currencyFormat = memo((key) => {
  const [locale, currency] = key.split("|");
  return new Intl.NumberFormat(locale, { style: "currency", currency });
});
const wholeCurrencyFormat = memo((key) => {
  const [locale, currency] = key.split("|");
  return new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: 0, maximumFractionDigits: 0 });
});
const decimalFormat = memo(
  (locale) => new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
);
const shortDateFormat = memo(
  (locale) =>
    new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" }),
);

// ---------------------------------------------------------------------------
// Filters

function toAmount(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return null;
}

function asText(value: unknown): string {
  return value === null || value === undefined ? "" : String(value);
}

function formatMoney(amount: number, currency: string, locale: string): string {
  try {
    return currencyFormat(`${locale}|${currency}`).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

function currencyArg(ctx: Context, currency: unknown): string {
  return typeof currency === "string" && currency !== "" ? currency.toUpperCase() : metaOf(ctx).currency;
}

// Unlike Shopify (integer cents), our amounts are decimal strings such as "49.90".
const money: FilterHandler = function (value, currency) {
  const amount = toAmount(value);
  if (amount === null) return asText(value);
  return formatMoney(amount, currencyArg(this.context, currency), metaOf(this.context).locale);
};

const moneyWithCurrency: FilterHandler = function (value, currency) {
  const amount = toAmount(value);
  if (amount === null) return asText(value);
  const code = currencyArg(this.context, currency);
  return `${formatMoney(amount, code, metaOf(this.context).locale)} ${code}`;
};

const moneyWithoutCurrency: FilterHandler = function (value) {
  const amount = toAmount(value);
  if (amount === null) return asText(value);
  return decimalFormat(metaOf(this.context).locale).format(amount);
};

// "€89.50", but "€90" for 90.00, like Shopify's filter of the same name.
const moneyWithoutTrailingZeros: FilterHandler = function (value, currency) {
  const amount = toAmount(value);
  if (amount === null) return asText(value);
  const code = currencyArg(this.context, currency);
  const { locale } = metaOf(this.context);
  if (!Number.isInteger(amount)) return formatMoney(amount, code, locale);
  try {
    return wholeCurrencyFormat(`${locale}|${code}`).format(amount);
  } catch {
    return `${amount} ${code}`;
  }
};

// Shopify's URL filters: url_escape keeps the URL's structure, url_param_escape
// escapes a value for use inside a query string.
const urlEscape: FilterHandler = (value) => encodeURI(asText(value)).replace(/'/g, "%27");
const urlParamEscape: FilterHandler = (value) => encodeURIComponent(asText(value)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

// Shopify's handleize / handle: "Blue Shirt!" → "blue-shirt".
const handleize: FilterHandler = (value) =>
  asText(value)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['"]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");

// A zone-less date-time would otherwise be read in the server's time zone.
function normaliseIso(value: unknown): unknown {
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) {
    return `${value}Z`;
  }
  return value;
}

const builtinDate = builtinFilters.date as FilterHandler;

// liquidjs builds a new Intl.DateTimeFormat for every %B/%b/%A/%a it prints, which
// dominated rendering time; the names come from these cached formatters instead.
const NAME_OPTIONS: Record<string, Intl.DateTimeFormatOptions> = {
  B: { month: "long" },
  b: { month: "short" },
  h: { month: "short" },
  A: { weekday: "long" },
  a: { weekday: "short" },
};
const nameFormat = memo((key) => {
  const [locale, conversion, zone] = key.split("|");
  return new Intl.DateTimeFormat(locale, { ...NAME_OPTIONS[conversion], timeZone: zone });
});

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

// The engine options with another locale, one copy per locale.
const localeOpts = new WeakMap<object, Map<string, Context["opts"]>>();
function optsFor(ctx: Context, locale: string): Context["opts"] {
  let byLocale = localeOpts.get(ctx.opts);
  if (!byLocale) localeOpts.set(ctx.opts, (byLocale = new Map()));
  let opts = byLocale.get(locale);
  if (!opts) byLocale.set(locale, (opts = { ...ctx.opts, locale }));
  return opts;
}

// liquidjs' strftime `date`, with month/day names in the template's locale, printed in the buyer's
// time zone (a shipment at 03:00 UTC went out on the 25th for a buyer in Los Angeles). A calendar date
// without a time ("2026-12-01": the delivery window) stays that day everywhere; an explicit zone
// argument (`date: "%H:%M", "Asia/Tokyo"`) wins.
const date: FilterHandler = function (value, format, ...rest) {
  const { locale, timezone } = metaOf(this.context);
  const normalised = normaliseIso(value);
  const zone = rest[0] === undefined && !(typeof normalised === "string" && DATE_ONLY.test(normalised)) ? timezone : "UTC";
  const when = typeof format === "string" && format.includes("%") ? toDate(normalised) : null;
  if (when) {
    // Names the engine would print in English, "%%" left alone.
    format = (format as string).replace(/%%|%([BbhAa])/g, (token: string, conversion?: string) =>
      conversion ? nameFormat(`${locale}|${conversion}|${rest[0] === undefined ? zone : safeTimeZone(rest[0])}`).format(when) : token,
    );
  }
  const context = Object.create(this.context, { opts: { value: optsFor(this.context, locale) } }) as Context;
  return builtinDate.call({ ...this, context }, normalised, format, ...(rest[0] === undefined ? [zone] : rest));
};

function toDate(value: unknown): Date | null {
  const d =
    value instanceof Date ? value : typeof value === "string" && value !== "" ? new Date(normaliseIso(value) as string) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
}

// "Dec 1 – 5, 2026" / "Nov 28 – Dec 5, 2026", in UTC so ISO dates keep their day.
const dateRange: FilterHandler = function (from, to, locale) {
  const start = toDate(from);
  if (!start) return asText(from);
  const fmt = shortDateFormat(safeLocale(locale, metaOf(this.context).locale));
  const end = toDate(to);
  if (!end || end.getTime() === start.getTime()) return fmt.format(start);
  return start < end ? fmt.formatRange(start, end) : fmt.formatRange(end, start);
};

const customFilters: Record<string, FilterHandler> = {
  money,
  money_with_currency: moneyWithCurrency,
  money_without_currency: moneyWithoutCurrency,
  money_without_trailing_zeros: moneyWithoutTrailingZeros,
  url_escape: urlEscape,
  url_param_escape: urlParamEscape,
  handleize,
  handle: handleize,
  date,
  date_range: dateRange,
};

// ---------------------------------------------------------------------------
// Engines

// Deny-all file system: nothing outside the template text can ever be read.
const noFs: NonNullable<LiquidOptions["fs"]> = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async (file) => {
    throw new Error(`file access is disabled (${file})`);
  },
  readFileSync: (file) => {
    throw new Error(`file access is disabled (${file})`);
  },
  resolve: (_dir, file) => file,
  contains: async () => false,
  containsSync: () => false,
};

const FILE_TAGS = ["include", "render", "layout"];

function createEngine(opts: { html: boolean; catchAllErrors?: boolean }): Liquid {
  const engine = new Liquid({
    ownPropertyOnly: true,
    strictFilters: true,
    strictVariables: false,
    parseLimit: PARSE_LIMIT,
    renderLimit: RENDER_LIMIT_MS,
    memoryLimit: MEMORY_LIMIT,
    root: [],
    partials: [],
    layouts: [],
    relativeReference: false,
    fs: noFs,
    timezoneOffset: 0,
    locale: "en-US",
    catchAllErrors: opts.catchAllErrors ?? false,
    // escape_once, not escape: merchants used to Shopify write `{{ x | escape }}`, which
    // would otherwise be escaped twice. The output is still fully escaped.
    outputEscape: opts.html ? (builtinFilters.escape_once as (value: unknown) => string) : undefined,
  });
  // Without these tags, using one is a parse error the editor can show (and the fs above is a second wall).
  for (const tag of FILE_TAGS) delete engine.tags[tag];
  for (const [name, handler] of Object.entries(customFilters)) {
    engine.registerFilter(name, handler as FilterImplOptions);
  }
  return engine;
}

const htmlEngine = createEngine({ html: true });
const plainEngine = createEngine({ html: false });
// Parse-only, collects every error instead of stopping at the first.
const validationEngine = createEngine({ html: false, catchAllErrors: true });

function engineFor(part: TemplatePart): Liquid {
  return part === "html" ? htmlEngine : plainEngine;
}

// ---------------------------------------------------------------------------
// Errors

function cleanMessage(err: { message: string }): string {
  const message = err.message.replace(/(, file:\S+)?, line:\d+, col:\d+$/, "");
  const fileTag = /^tag "(include|render|layout)" not found$/.exec(message);
  if (fileTag) return `{% ${fileTag[1]} %} is not available in message templates`;
  return message;
}

function toTemplateError(
  part: TemplatePart,
  err: unknown,
  position?: (offset: number) => [number, number] | null,
): TemplateError {
  if (err instanceof TemplateError) return err;
  if (LiquidError.is(err)) {
    const [line, column] = !err.token ? [null, null] : position ? (position(err.token.begin) ?? [null, null]) : err.token.getPosition();
    return new TemplateError(part, line, cleanMessage(err), column);
  }
  return new TemplateError(part, null, err instanceof Error ? cleanMessage(err) : String(err));
}

// ---------------------------------------------------------------------------
// Bounded LRU for parsed templates, keyed by the template text.

class LruCache<V> {
  private map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
}

// ---------------------------------------------------------------------------
// CSS inlining. Mail clients drop <style>, so a merchant's <style> block is inlined into
// style attributes with juice, once per template text at parse time (cached with the
// parse), never per render. Liquid is set aside as placeholders first so juice's HTML
// parser cannot touch it; if any placeholder does not come back exactly once and in
// order, or the result does not parse, the merchant's original text is used instead.

const STYLE_BLOCK = /<style[\s>]/i;
const LIQUID_CHUNK =
  /\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}|\{%-?\s*comment\s*-?%\}[\s\S]*?\{%-?\s*endcomment\s*-?%\}|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
// juice's work grows with rules × elements (1,000 × 4,000 takes seconds); beyond this
// product the template is sent as written rather than stalling the process.
const INLINE_WORK_LIMIT = 250_000;
// Lower case letters and digits only: valid as text, attribute value, attribute name
// (htmlparser2 lower-cases those) and CSS value.
const PLACEHOLDER = /pwlq(\d+)x(?:="")?/gi;

/** Where a Liquid chunk ended up in the inlined text, to report positions in the original. */
interface MovedChunk {
  at: number; // offset in the inlined text
  from: number; // offset in the original text
  length: number;
}

interface Inlined {
  text: string;
  chunks: MovedChunk[];
}

export function inlineCss(source: string): Inlined | null {
  if (!STYLE_BLOCK.test(source) || /pwlq\d+x/i.test(source)) return null;
  let rules = 0;
  for (const [, css] of source.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) rules += css.split("{").length - 1;
  const elements = source.split(/<[a-z]/i).length - 1;
  if (rules * elements > INLINE_WORK_LIMIT) return null;
  const originals: { text: string; from: number }[] = [];
  const masked = source.replace(LIQUID_CHUNK, (chunk: string, offset: number) => {
    originals.push({ text: chunk, from: offset });
    return `pwlq${originals.length - 1}x`;
  });
  let juiced: string;
  try {
    juiced = juice(masked, {
      removeStyleTags: true,
      preserveMediaQueries: true,
      preserveFontFaces: true,
      preserveKeyFrames: true,
      preservePseudos: true,
      insertPreservedExtraCss: true,
      xmlMode: false,
    });
  } catch {
    return null;
  }
  const chunks: MovedChunk[] = [];
  let text = "";
  let last = 0;
  let next = 0;
  for (const match of juiced.matchAll(PLACEHOLDER)) {
    const index = Number(match[1]);
    if (index !== next) return null; // dropped, duplicated or reordered
    const original = originals[index];
    text += juiced.slice(last, match.index);
    chunks.push({ at: text.length, from: original.from, length: original.text.length });
    text += original.text;
    last = match.index + match[0].length;
    next++;
  }
  if (next !== originals.length) return null;
  return { text: text + juiced.slice(last), chunks };
}

/** 1-based [line, column] of `offset` in `text`. */
function positionIn(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return [line, offset - before.lastIndexOf("\n")];
}

// ---------------------------------------------------------------------------
// Parse cache

interface Parsed {
  templates: Template[];
  /** Maps an error position in what was parsed back to the merchant's text. */
  position?: (offset: number) => [number, number] | null;
}

const parseCache = new LruCache<Parsed>(CACHE_SIZE);

function parseCached(part: TemplatePart, text: string): Parsed {
  const key = `${part === "html" ? "h" : "p"}:${text}`;
  const cached = parseCache.get(key);
  if (cached) return cached;
  let parsed: Parsed;
  try {
    // The original first: syntax errors are reported against what the merchant wrote.
    parsed = { templates: engineFor(part).parse(text) };
  } catch (err) {
    throw toTemplateError(part, err);
  }
  const inlined = part === "html" ? inlineCss(text) : null;
  if (inlined) {
    try {
      parsed = {
        templates: htmlEngine.parse(inlined.text),
        position: (offset) => {
          const chunk = inlined.chunks.find((c) => offset >= c.at && offset < c.at + c.length);
          return chunk ? positionIn(text, chunk.from + (offset - chunk.at)) : null;
        },
      };
    } catch {
      // keep the original parse
    }
  }
  parseCache.set(key, parsed);
  return parsed;
}

/**
 * Parses one part, memoised by its text (HTML and plain parses differ: output
 * escaping is compiled in, and HTML has its <style> inlined). Throws TemplateError.
 */
export function parseTemplate(part: TemplatePart, text: string): Template[] {
  return parseCached(part, text).templates;
}

// ---------------------------------------------------------------------------
// Render

function renderPart(part: TemplatePart, text: string, variables: MessageVariables): string {
  const { templates: template, position } = parseCached(part, text);
  // Fresh top-level copy: increment/decrement write into the scope object.
  const scope: MessageVariables = { ...variables };
  renderMeta.set(scope, {
    locale: safeLocale(variables.locale),
    currency: variables.order?.currency || variables.shop?.currency || "USD",
    timezone: safeTimeZone(variables.timezone),
  });
  try {
    // Synchronous: our filters and tags never wait on anything, and a render that does not
    // interleave with others is both faster and measured alone by renderLimit, the
    // deadline liquidjs checks between nodes (the render timeout). An asynchronous render
    // would be charged for every other render sharing the event loop, so a busy worker
    // would fail innocent templates, while no timer could interrupt a busy one anyway.
    const output: unknown = engineFor(part).renderSync(template, scope);
    const rendered = typeof output === "string" ? output : asText(output);
    if (rendered.length > MAX_OUTPUT_CHARS) {
      throw new TemplateError(part, null, `output exceeds ${MAX_OUTPUT_CHARS} characters`);
    }
    return rendered;
  } catch (err) {
    throw toTemplateError(part, err, position);
  }
}

/**
 * Renders all three parts; rejects with a TemplateError naming the failing part and line.
 * (Asynchronous for callers' sake; the work itself is synchronous, see renderPart.)
 */
export async function renderMessage(source: TemplateSource, variables: MessageVariables): Promise<RenderedMessage> {
  // One line: a newline in a header would break (or inject into) the mail.
  const subject = renderPart("subject", source.subject, variables).replace(/\s+/g, " ").trim();
  const html = renderPart("html", source.html, variables);
  const text = renderPart("text", source.text, variables);
  return { subject, html, text };
}

/** Parse-only check of all three parts for the editor; [] when every part parses. */
export function validateTemplate(source: TemplateSource): TemplateError[] {
  const errors: TemplateError[] = [];
  for (const part of ["subject", "html", "text"] as const) {
    try {
      validationEngine.parse(source[part]);
    } catch (err) {
      const found = (err as { errors?: unknown[] }).errors ?? [err];
      const partErrors = found.map((e) => toTemplateError(part, e));
      // A block whose opening tag failed leaves its `{% endX %}` orphaned: an echo, not news.
      errors.push(
        ...partErrors.filter((e, i) => i === 0 || !/^tag "end\w*" not found$/.test(e.message)),
      );
    }
  }
  return errors;
}
