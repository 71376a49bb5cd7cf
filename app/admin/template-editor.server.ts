// What the template editor page loads and what each of its buttons does: save, reset, preview, and the
// two test sends (to the merchant, or to SendGrid's sandbox). Every query is keyed by the session's shop.
import type { Db } from "~/db.server";
import type { MessageKind } from "~/templates/variables";
import { validateTemplate } from "~/templates/validate";
import { checkTemplateForm, previewScenarioFrom, type TemplateEditorResult } from "./template-editor";
import { normalizeLocale, toEditorError } from "./templates";
import { DEFAULT_COVERAGE } from "~/lanes/estimate-window";
import { listPreviewLanes, loadPreviewLane } from "./preview-lanes.server";
import { loadTemplate, previewShop, renderPreview, resetTemplate, saveTemplate, templateOverview } from "./templates.server";
import { sendTestMessage, type MailConfig } from "./test-send.server";

/** The editor for one kind in the asked language (else the shop's primary one, else English), previewed; null when the shop is not installed. */
export async function loadTemplateEditor(db: Db, shop: string, kind: MessageKind, query: URLSearchParams, now: Date, appUrl: string) {
  const shopRow = await previewShop(db, shop, now);
  if (!shopRow) return null;
  const { locales } = await templateOverview(db, shop, shopRow.primaryLocale);
  const asked = normalizeLocale(query.get("locale") ?? "");
  const locale = asked ?? (locales.some((l) => l.locale === shopRow.primaryLocale) ? shopRow.primaryLocale : "en");
  const template = await loadTemplate(db, shop, kind, locale);
  const [lanes, lane] = await Promise.all([listPreviewLanes(db, shop), loadPreviewLane(db, shop, query.get("lane") ?? "", shopRow.estimateCoverage ?? DEFAULT_COVERAGE, now)]);
  // A lane the shop does not have is not chosen: the preview shows the sample.
  const scenario = { ...previewScenarioFrom(kind, query, locale), lane: lane ? (query.get("lane") ?? "") : "" };
  const problems = validateTemplate(template.source).map(toEditorError);
  const preview = problems.length ? null : await renderPreview(template.source, scenario, shopRow, now, appUrl, lane);
  return {
    kind,
    locale,
    locales: locales.some((l) => l.locale === locale) ? locales : [...locales, { locale, label: locale, builtIn: false, customized: false }],
    template,
    scenario,
    lanes,
    contactEmail: shopRow.contactEmail,
    preview: preview?.ok ? preview.message : null,
    problems: preview && !preview.ok ? preview.problems : problems,
  };
}

export type TemplateEditorPage = NonNullable<Awaited<ReturnType<typeof loadTemplateEditor>>>;

/** One button pressed in the editor for one kind and language, with the editor's text and sample. */
export interface EditorSubmission {
  db: Db;
  shop: string;
  kind: MessageKind;
  locale: string;
  form: FormData;
  now: Date;
  appUrl: string;
}

export async function resetToDefault({ db, shop, kind, locale }: EditorSubmission): Promise<TemplateEditorResult> {
  await resetTemplate(db, shop, kind, locale);
  return { intent: "reset", toast: "Back to Parcelwise's text" };
}

export async function submitTemplate({ db, shop, kind, locale, form, now }: EditorSubmission): Promise<TemplateEditorResult> {
  const checked = checkTemplateForm(Object.fromEntries(form));
  if (!checked.ok) return { intent: "save", errors: checked.errors, problems: checked.problems, error: "Not saved: fix the errors marked in red" };
  await saveTemplate(db, shop, kind, locale, checked.value, now);
  return { intent: "save", toast: "Template saved" };
}

/** The typed text rendered with the chosen sample; null when the shop is not installed. */
export function previewTemplate(request: EditorSubmission): Promise<TemplateEditorResult | null> {
  return renderOrSend(request, "preview", null);
}

/** A test send of the typed text to the shop's contact email; null when the shop is not installed. */
export function sendTemplateTest(request: EditorSubmission, mail: MailConfig): Promise<TemplateEditorResult | null> {
  return renderOrSend(request, "test", mail);
}

/** The typed text checked by SendGrid's sandbox, nothing delivered; null when the shop is not installed. */
export function checkWithSendGrid(request: EditorSubmission, mail: MailConfig): Promise<TemplateEditorResult | null> {
  return renderOrSend(request, "sandbox", mail);
}

async function renderOrSend(request: EditorSubmission, intent: "preview" | "test" | "sandbox", mail: MailConfig | null): Promise<TemplateEditorResult | null> {
  const { db, shop, kind, locale, form, now, appUrl } = request;
  const shopRow = await previewShop(db, shop, now);
  if (!shopRow) return null;
  // A preview with errors shows them; a send with errors is refused.
  const refused = mail ? { error: "Not sent: fix the errors marked in red" } : {};
  const checked = checkTemplateForm(Object.fromEntries(form));
  if (!checked.ok) return { intent, problems: checked.problems, preview: null, ...refused };
  const scenario = previewScenarioFrom(kind, form, locale);
  const lane = await loadPreviewLane(db, shop, scenario.lane ?? "", shopRow.estimateCoverage ?? DEFAULT_COVERAGE, now);
  const rendered = await renderPreview(checked.value, scenario, shopRow, now, appUrl, lane);
  if (!rendered.ok) return { intent, problems: rendered.problems, preview: null, ...refused };
  if (!mail) return { intent, problems: [], preview: rendered.message };
  const sent = await sendTestMessage(db, shop, { ...rendered.message, kind }, mail, now, { sandbox: intent === "sandbox" });
  if (!sent.ok) return { intent, error: sent.error };
  return { intent, toast: sent.sandbox ? "SendGrid accepted the message (sandbox): nothing was delivered" : `Test message sent to ${sent.to}` };
}
