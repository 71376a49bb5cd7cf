// Date filters in the buyer's locale and time zone, with `'now'` the render's time.
import { filters as builtinFilters } from "liquidjs";
import type { Context } from "liquidjs";
import { asText, type FilterHandler } from "./filter-handler";
import { memo } from "./memo";
import { metaOf, safeLocale, safeTimeZone } from "./render-meta";

const shortDateFormat = memo(
  (locale) =>
    new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" }),
);

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

// liquidjs turns a zone name into its offset at the date with two `toLocaleString(…, { timeZone })`
// calls, each building an Intl.DateTimeFormat: over a third of a default template's render. The same
// computation on cached formatters (toLocaleString's defaults are these numeric fields), so a render
// passes liquidjs the offset in minutes instead of the name.
const LOCALE_STRING_FIELDS: Intl.DateTimeFormatOptions = { year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" };
const zoneFormat = memo((zone) => new Intl.DateTimeFormat("en-US", { ...LOCALE_STRING_FIELDS, timeZone: zone }), 500);

/** Minutes behind UTC of `zone` at `when`, as liquidjs' LiquidDate.getTimezoneOffset computes it. */
export function zoneOffsetMinutes(zone: string, when: Date): number {
  const local = new Date(zoneFormat(zone).format(when));
  const utc = new Date(zoneFormat("UTC").format(when));
  return (+utc - +local) / (60 * 1000);
}

// A zone-less date-time would otherwise be read in the server's time zone.
function normaliseIso(value: unknown): unknown {
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) {
    return `${value}Z`;
  }
  return value;
}

function toDate(value: unknown): Date | null {
  const d =
    value instanceof Date ? value : typeof value === "string" && value !== "" ? new Date(normaliseIso(value) as string) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
}

// liquidjs reads the clock for these; a render prints the time it was given.
function withNow(ctx: Context, value: unknown): unknown {
  return value === "now" || value === "today" ? metaOf(ctx).now : value;
}

// The engine options with another locale, one copy per locale.
const localeOpts = new WeakMap<object, Map<string, Context["opts"]>>();
function optsFor(ctx: Context, locale: string): Context["opts"] {
  let byLocale = localeOpts.get(ctx.opts);
  if (!byLocale) localeOpts.set(ctx.opts, (byLocale = new Map()));
  let opts = byLocale.get(locale);
  if (!opts) byLocale.set(locale, (opts = { ...ctx.opts, locale }));
  return opts;
}

const builtinDate = builtinFilters.date as FilterHandler;

// liquidjs' strftime `date`, with month/day names in the template's locale, printed in the buyer's
// time zone (a shipment at 03:00 UTC went out on the 25th for a buyer in Los Angeles). A calendar date
// without a time ("2026-12-01": the delivery window) stays that day everywhere; an explicit zone
// argument (`date: "%H:%M", "Asia/Tokyo"`) wins.
const date: FilterHandler = function (value, format, ...rest) {
  const { locale, timezone } = metaOf(this.context);
  const normalised = normaliseIso(withNow(this.context, value));
  const zone = rest[0] === undefined && !(typeof normalised === "string" && DATE_ONLY.test(normalised)) ? timezone : "UTC";
  const when = typeof format === "string" && format.includes("%") ? toDate(normalised) : null;
  if (when) {
    // Names the engine would print in English, "%%" left alone.
    format = (format as string).replace(/%%|%([BbhAa])/g, (token: string, conversion?: string) =>
      conversion ? nameFormat(`${locale}|${conversion}|${rest[0] === undefined ? zone : safeTimeZone(rest[0])}`).format(when) : token,
    );
  }
  const context = Object.create(this.context, { opts: { value: optsFor(this.context, locale) } }) as Context;
  // The zone's offset where liquidjs would compute the same from its name: a date it reads as given
  // (a Date, or a date string that is not epoch seconds), in a format that does not print the name (%Z).
  const instant = normalised instanceof Date ? normalised : typeof normalised === "string" && !/^\d+$/.test(normalised) ? new Date(normalised) : null;
  const offset = rest[0] === undefined && instant && !Number.isNaN(instant.getTime()) && typeof format === "string" && !format.includes("%Z") ? zoneOffsetMinutes(zone, instant) : null;
  return builtinDate.call({ ...this, context }, normalised, format, ...(rest[0] === undefined ? [offset ?? zone] : rest));
};

/** A built-in date filter, with `'now'` the render's time. */
function atRenderTime(builtin: FilterHandler): FilterHandler {
  return function (value, ...args) {
    return builtin.call(this, withNow(this.context, value), ...args);
  };
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

export const dateFilters: Record<string, FilterHandler> = {
  date,
  date_to_xmlschema: atRenderTime(builtinFilters.date_to_xmlschema as FilterHandler),
  date_to_rfc822: atRenderTime(builtinFilters.date_to_rfc822 as FilterHandler),
  date_to_string: atRenderTime(builtinFilters.date_to_string as FilterHandler),
  date_to_long_string: atRenderTime(builtinFilters.date_to_long_string as FilterHandler),
  date_range: dateRange,
};
