// Per-render locale, currency, time zone and now. Filters are engine-wide, so they look the values up by
// the scope object of the render. Kept out of the scope so templates cannot change them
// (`{% increment locale %}` writes to the scope).
import type { Context } from "liquidjs";
import type { MessageVariables } from "~/templates/variables";
import { memo } from "./memo";

export interface RenderMeta {
  locale: string;
  currency: string;
  timezone: string;
  /** What `'now'` and `'today'` print: the render's time, never the clock. */
  now: Date;
}

const renderMeta = new WeakMap<object, RenderMeta>();

/** Records the meta of a render whose scope is `scope`. */
export function setRenderMeta(scope: MessageVariables, now: Date): void {
  renderMeta.set(scope, {
    locale: safeLocale(scope.locale),
    currency: scope.order?.currency || scope.shop?.currency || "USD",
    timezone: safeTimeZone(scope.timezone),
    now,
  });
}

export function metaOf(ctx: Context): RenderMeta {
  const meta = renderMeta.get(ctx.environments as object);
  // Every render goes through renderMessage, which sets it.
  if (!meta) throw new Error("a message template rendered outside renderMessage");
  return meta;
}

const isKnownZone = memo((zone) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 500);

/** An IANA zone Intl knows, else UTC. */
export function safeTimeZone(zone: unknown): string {
  if (typeof zone !== "string" || zone === "") return "UTC";
  return isKnownZone(zone) ? zone : "UTC";
}

/** The canonical form of a BCP 47 tag, or "" when it is not one. */
const canonicalLocale = memo((locale) => {
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? "";
  } catch {
    return "";
  }
}, 500);

/** A canonical BCP 47 tag, else `fallback`. */
export function safeLocale(locale: unknown, fallback = "en"): string {
  if (typeof locale !== "string" || locale === "") return fallback;
  return canonicalLocale(locale) || fallback;
}
