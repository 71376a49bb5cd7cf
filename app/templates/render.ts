// Renders merchant-authored (untrusted) Liquid message templates.

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
const RENDER_LIMIT_MS = 1_000;
const MEMORY_LIMIT = 10_000_000;
const RENDER_TIMEOUT_MS = 2_000;
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
}
const renderMeta = new WeakMap<object, RenderMeta>();

function metaOf(ctx: Context): RenderMeta {
  const known = renderMeta.get(ctx.environments as object);
  if (known) return known;
  const env = ctx.environments as Partial<MessageVariables>;
  return { locale: safeLocale(env.locale), currency: env.order?.currency || env.shop?.currency || "USD" };
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

// A zone-less date-time would otherwise be read in the server's time zone.
function normaliseIso(value: unknown): unknown {
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) {
    return `${value}Z`;
  }
  return value;
}

const builtinDate = builtinFilters.date as FilterHandler;

// liquidjs' strftime `date`, with month/day names in the template's locale.
const date: FilterHandler = function (value, ...args) {
  const { locale } = metaOf(this.context);
  const context = Object.create(this.context, {
    opts: { value: { ...this.context.opts, locale } },
  }) as Context;
  return builtinDate.call({ ...this, context }, normaliseIso(value), ...args);
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

function toTemplateError(part: TemplatePart, err: unknown): TemplateError {
  if (err instanceof TemplateError) return err;
  if (LiquidError.is(err)) {
    const [line, column] = err.token ? err.token.getPosition() : [null, null];
    return new TemplateError(part, line, cleanMessage(err), column);
  }
  return new TemplateError(part, null, err instanceof Error ? cleanMessage(err) : String(err));
}

// ---------------------------------------------------------------------------
// Parse cache

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

const parseCache = new LruCache<Template[]>(CACHE_SIZE);

/**
 * Parses one part, memoised by its text (HTML and plain parses differ: output
 * escaping is compiled in). Throws TemplateError.
 */
export function parseTemplate(part: TemplatePart, text: string): Template[] {
  const key = `${part === "html" ? "h" : "p"}:${text}`;
  const cached = parseCache.get(key);
  if (cached) return cached;
  let parsed: Template[];
  try {
    parsed = engineFor(part).parse(text);
  } catch (err) {
    throw toTemplateError(part, err);
  }
  parseCache.set(key, parsed);
  return parsed;
}

// ---------------------------------------------------------------------------
// Render

async function renderPart(part: TemplatePart, text: string, variables: MessageVariables): Promise<string> {
  const template = parseTemplate(part, text);
  // Fresh top-level copy: increment/decrement write into the scope object.
  const scope: MessageVariables = { ...variables };
  renderMeta.set(scope, {
    locale: safeLocale(variables.locale),
    currency: variables.order?.currency || variables.shop?.currency || "USD",
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Backstop only: liquidjs renders on microtasks, so this timer cannot interrupt a
  // busy render; renderLimit/memoryLimit are what stop runaway loops.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new TemplateError(part, null, `rendering took longer than ${RENDER_TIMEOUT_MS} ms`)),
      RENDER_TIMEOUT_MS,
    );
  });
  try {
    const output: unknown = await Promise.race([engineFor(part).render(template, scope), timeout]);
    const rendered = typeof output === "string" ? output : asText(output);
    if (rendered.length > MAX_OUTPUT_CHARS) {
      throw new TemplateError(part, null, `output exceeds ${MAX_OUTPUT_CHARS} characters`);
    }
    return rendered;
  } catch (err) {
    throw toTemplateError(part, err);
  } finally {
    clearTimeout(timer);
  }
}

/** Renders all three parts; throws TemplateError naming the failing part and line. */
export async function renderMessage(source: TemplateSource, variables: MessageVariables): Promise<RenderedMessage> {
  // One line: a newline in a header would break (or inject into) the mail.
  const subject = (await renderPart("subject", source.subject, variables)).replace(/\s+/g, " ").trim();
  const html = await renderPart("html", source.html, variables);
  const text = await renderPart("text", source.text, variables);
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
