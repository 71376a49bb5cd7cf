// Which language a buyer is addressed in: their locale, its language, the shop's primary locale, its
// language, then English; each matched against the languages there is text for.

export const FALLBACK_LOCALE = "en";

/** The locales to try for a buyer, best first: theirs, its language, the shop's primary locale, its language, English. */
export function localeCandidates(buyerLocale: string, shopLocale: string): string[] {
  const candidates = [buyerLocale, buyerLocale.split("-")[0], shopLocale, shopLocale.split("-")[0], FALLBACK_LOCALE];
  return [...new Set(candidates.filter(Boolean))];
}

// Other spellings of Simplified Chinese.
const ALIASES: Record<string, string> = {
  zh: "zh-CN",
  "zh-hans": "zh-CN",
  "zh-hans-cn": "zh-CN",
  "zh-sg": "zh-CN",
  "zh-hans-sg": "zh-CN",
  "zh-my": "zh-CN",
  "zh-hans-my": "zh-CN",
};
const TRADITIONAL_CHINESE = /^zh-(hant|tw|hk|mo)(-|$)/;

export interface MatchOptions {
  /** A Traditional Chinese reader ("zh-TW", "zh-HK", "zh-Hant") gets Simplified rather than no match. */
  simplifiedForTraditional?: boolean;
}

/**
 * The one of `supported` that serves `locale`, or null: exact ("pt-PT", "zh-CN", case and `_` ignored),
 * then an alias ("zh" → "zh-CN"), then the language ("pt-BR" → "pt", "de-AT" → "de").
 */
export function matchLocale(locale: string, supported: readonly string[], options: MatchOptions = {}): string | null {
  const wanted = locale.trim().toLowerCase().replace(/_/g, "-");
  if (wanted === "") return null;
  const byLowerCase = new Map(supported.map((tag) => [tag.toLowerCase(), tag]));
  const find = (tag: string) => byLowerCase.get(tag) ?? (ALIASES[tag] ? byLowerCase.get(ALIASES[tag].toLowerCase()) : undefined);
  const exact = find(wanted);
  if (exact) return exact;
  if (TRADITIONAL_CHINESE.test(wanted) && !options.simplifiedForTraditional) return null;
  return find(wanted.split("-")[0]) ?? null;
}
