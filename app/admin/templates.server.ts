// One shop's message templates: the merchant's own per kind and language, else the built-in default.
// Every query is keyed by the shop's domain from the session, never by an id from the browser.
import type { Db } from "~/db.server";
import { parseTransitOverrides } from "~/carriers/registry";
import { loadShopCommitment } from "~/lanes/commitment.server";
import { DEFAULT_LOCALES, defaultTemplate } from "~/templates/defaults";
import type { RenderedMessage, TemplateSource } from "~/templates/render";
import { previewPool } from "~/templates/render-pools.server";
import { MESSAGE_KINDS, type MessageKind } from "~/templates/variables";
import { previewVariables, type PreviewLane, type PreviewScenario, type PreviewShop } from "./template-editor";
import { shopLocales, toEditorError, type EditorError } from "./templates";

export async function previewShop(db: Db, shop: string, now: Date): Promise<(PreviewShop & { primaryLocale: string; templatesReviewedAt: Date | null }) | null> {
  const row = await db.shop.findUnique({ where: { domain: shop } });
  if (!row) return null;
  // The preview prints the commitment buyers get now: learned, unless pinned.
  const commitment = await loadShopCommitment(db, shop, row, now);
  return {
    domain: row.domain,
    name: row.name,
    contactEmail: row.contactEmail,
    currency: row.currency,
    reviewUrl: row.reviewUrl,
    reviewDestination: row.reviewDestination,
    reviewUrlTemplate: row.reviewUrlTemplate,
    handlingHours: commitment.handlingHours,
    onlineTrackingDays: commitment.onlineTrackingDays,
    carrierTransitOverrides: parseTransitOverrides(row.carrierTransitOverrides),
    estimateCoverage: row.estimateCoverage,
    timezone: row.timezone,
    primaryLocale: row.primaryLocale,
    templatesReviewedAt: row.templatesReviewedAt,
  };
}

/** Per kind, the languages the merchant has customised; and the shop's languages. */
export async function templateOverview(db: Db, shop: string, primaryLocale: string) {
  const own = await db.template.findMany({ where: { shop }, select: { kind: true, locale: true, updatedAt: true }, orderBy: { locale: "asc" } });
  const customLocales = [...new Set(own.map((t) => t.locale))];
  return {
    locales: shopLocales(DEFAULT_LOCALES, customLocales, primaryLocale),
    kinds: MESSAGE_KINDS.map((kind) => ({ kind, customized: own.filter((t) => t.kind === kind).map((t) => t.locale) })),
  };
}

export async function loadTemplate(db: Db, shop: string, kind: MessageKind, locale: string) {
  const own = await db.template.findUnique({ where: { shop_kind_locale: { shop, kind, locale } } });
  const source: TemplateSource = own ? { subject: own.subject, html: own.html, text: own.text } : defaultTemplate(kind, locale);
  return { source, customized: Boolean(own), updatedAt: own?.updatedAt.toISOString() ?? null };
}

export async function saveTemplate(db: Db, shop: string, kind: MessageKind, locale: string, source: TemplateSource, now: Date): Promise<void> {
  await db.$transaction([
    db.template.upsert({
      where: { shop_kind_locale: { shop, kind, locale } },
      create: { shop, kind, locale, ...source },
      update: source,
    }),
    db.shop.update({ where: { domain: shop }, data: { templatesReviewedAt: now } }),
  ]);
}

/** Back to the built-in text for one kind and language. */
export async function resetTemplate(db: Db, shop: string, kind: MessageKind, locale: string): Promise<void> {
  await db.template.deleteMany({ where: { shop, kind, locale } });
}

/** A new language: every kind starts from the closest built-in text, for the merchant to translate. */
export async function addLocale(db: Db, shop: string, locale: string): Promise<void> {
  const existing = await db.template.findMany({ where: { shop, locale }, select: { kind: true } });
  const missing = MESSAGE_KINDS.filter((kind) => !existing.some((t) => t.kind === kind));
  await db.$transaction(missing.map((kind) => db.template.create({ data: { shop, kind, locale, ...defaultTemplate(kind, locale) } })));
}

/** Removes a language the merchant added; buyers in it then get the shop's primary language. */
export async function removeLocale(db: Db, shop: string, locale: string): Promise<void> {
  await db.template.deleteMany({ where: { shop, locale } });
}

export async function markTemplatesReviewed(db: Db, shop: string, now: Date): Promise<void> {
  await db.shop.update({ where: { domain: shop }, data: { templatesReviewedAt: now } });
}

export type PreviewResult = { ok: true; message: RenderedMessage } | { ok: false; problems: EditorError[] };

/**
 * Renders the editor's current text with sample data on a render thread; render-time errors (limits, and
 * a render stopped at the time limit) come back per part. `lane` fills the estimate from one of the shop's learned lanes.
 */
export async function renderPreview(
  source: TemplateSource,
  scenario: PreviewScenario,
  shop: PreviewShop,
  now: Date,
  appUrl: string,
  lane: PreviewLane | null = null,
): Promise<PreviewResult> {
  const rendered = await previewPool().render({ source, variables: previewVariables(scenario, shop, now, { appUrl }, lane), now });
  return rendered.ok ? { ok: true, message: rendered.message } : { ok: false, problems: [toEditorError(rendered.error)] };
}
