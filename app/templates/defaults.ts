// Built-in message templates, used until a merchant customises a kind. They are also
// the starting text in the editor, so they stay readable Liquid. The layout lives in
// locales/build.ts; each language's phrases in locales/<locale>.ts.

import type { TemplateSource } from "~/templates/render";
import type { MessageKind } from "~/templates/variables";
import { buildTemplates, type LocaleStrings } from "~/templates/locales/build";
import { FALLBACK_LOCALE, matchLocale } from "~/templates/locale";
import en from "~/templates/locales/en";
import es from "~/templates/locales/es";
import fr from "~/templates/locales/fr";
import de from "~/templates/locales/de";
import pt from "~/templates/locales/pt";
import ptPT from "~/templates/locales/pt-PT";
import it from "~/templates/locales/it";
import ja from "~/templates/locales/ja";
import zhCN from "~/templates/locales/zh-CN";

// ---------------------------------------------------------------------------
// Registry: adding a language is adding an entry here. Keys are the locale codes
// Shopify uses for `customer_locale` and shop locales.

const STRINGS: Record<string, LocaleStrings> = {
  en,
  es,
  fr,
  de,
  pt, // Brazilian Portuguese, also used for "pt-BR" and any other "pt-*"
  "pt-PT": ptPT,
  it,
  ja,
  "zh-CN": zhCN,
};

const DEFAULTS: Record<string, Record<MessageKind, TemplateSource>> = Object.fromEntries(
  Object.entries(STRINGS).map(([locale, strings]) => [locale, buildTemplates(strings)]),
);

/** The locales that have built-in templates, as canonical keys (what the worker and admin list). */
export const DEFAULT_LOCALES: string[] = Object.keys(DEFAULTS);

/**
 * The built-in locale used for `locale` (see matchLocale), or null when there is none and English is
 * used. A Traditional Chinese reader ("zh-TW", "zh-HK", "zh-Hant") is not sent Simplified.
 */
export function resolveDefaultLocale(locale: string): string | null {
  return matchLocale(locale, DEFAULT_LOCALES);
}

/** The built-in template for `kind` in `locale` (see resolveDefaultLocale), else English. */
export function defaultTemplate(kind: MessageKind, locale: string): TemplateSource {
  const set = DEFAULTS[resolveDefaultLocale(locale) ?? FALLBACK_LOCALE];
  // A copy: callers may edit it (the editor starts from it).
  return { ...set[kind] };
}
