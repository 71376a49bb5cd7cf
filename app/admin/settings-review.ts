// The Settings page's "Review destination" card: which review app (or URL template) the feedback
// request's review links open, checked on save (a Liquid error or a result that is not an http(s) link is
// reported on the field, nothing saved). The apps and their documented links: app/feedback/destinations.ts.
import type { Db } from "~/db.server";
import { checkUrlTemplate, DISCONTINUED_REVIEW_APPS, isReviewDestination, REVIEW_APPS, reviewAppFor } from "~/feedback/destinations";
import type { SettingsFormResult, Validated } from "./settings-form";

export interface ReviewDestinationSettings {
  reviewDestination: string;
  reviewUrlTemplate: string | null;
}

const TEMPLATE_MAX = 2000;

export function parseReviewDestinationForm(form: Record<string, unknown>, shopDomain: string): Validated<ReviewDestinationSettings> {
  const destination = String(form.reviewDestination ?? "");
  if (!isReviewDestination(destination)) return { ok: false, errors: { reviewDestination: "Choose where buyers leave their review" } };
  const app = reviewAppFor(destination);
  const template = String(form.reviewUrlTemplate ?? "").trim();
  if (app.link === "product_page") return { ok: true, value: { reviewDestination: destination, reviewUrlTemplate: null } };
  if (template === "") {
    return app.link === "template"
      ? { ok: false, errors: { reviewUrlTemplate: "Enter your review link, e.g. https://example.com/review?order={{ order.name }}&rating={{ rating }}" } }
      : { ok: true, value: { reviewDestination: destination, reviewUrlTemplate: null } };
  }
  if (template.length > TEMPLATE_MAX) return { ok: false, errors: { reviewUrlTemplate: `The link must be at most ${TEMPLATE_MAX} characters` } };
  if (/[\r\n]/.test(template)) return { ok: false, errors: { reviewUrlTemplate: "The link must be one line" } };
  const checked = checkUrlTemplate(template, shopDomain);
  if (!checked.ok) return { ok: false, errors: { reviewUrlTemplate: checked.error } };
  return { ok: true, value: { reviewDestination: destination, reviewUrlTemplate: template } };
}

export async function submitReviewDestination(db: Db, shop: string, form: Record<string, unknown>): Promise<SettingsFormResult> {
  const parsed = parseReviewDestinationForm(form, shop);
  if (!parsed.ok) return { intent: "review-destination", errors: parsed.errors, error: "Please fix the fields marked in red" };
  await db.shop.update({ where: { domain: shop }, data: parsed.value });
  return { intent: "review-destination", toast: "Review destination saved" };
}

/** What the card shows: the choice, the apps with what each documents, and the discontinued ones. */
export function reviewDestinationView(row: { reviewDestination: string; reviewUrlTemplate: string | null; reviewUrl: string | null }) {
  return {
    reviewDestination: reviewAppFor(row.reviewDestination).id,
    reviewUrlTemplate: row.reviewUrlTemplate,
    reviewUrl: row.reviewUrl,
    apps: REVIEW_APPS.map(({ id, name, link, note }) => ({ id, name, link, note })),
    discontinued: DISCONTINUED_REVIEW_APPS,
  };
}
