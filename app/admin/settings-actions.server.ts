// What each form on the Timing & settings page does when submitted: check it, save it, and say what
// happened in the merchant's words. One function per form (the form's `intent`).
import type { Db } from "~/db.server";
import { isReadableWebhookKey } from "~/mail/events.server";
import type { SecretKeys } from "~/shops/secrets.server";
import {
  parseApiKeyForm,
  parseSenderForm,
  parseTimingForm,
  parseTransitForm,
  parseWebhookKeyForm,
  type FieldErrors,
  type SettingsFormResult,
} from "./settings-form";
import { removeApiKey, saveApiKey, saveCarrierTransit, saveSender, saveTiming, saveWebhookKey } from "./settings.server";
import { loadTemplate, previewShop, renderPreview } from "./templates.server";
import { sendTestMessage, type MailConfig } from "./test-send.server";

type Form = Record<string, unknown>;

const invalid = (intent: string, errors: FieldErrors): SettingsFormResult => ({ intent, errors, error: "Please fix the fields marked in red" });

export async function submitTiming(db: Db, shop: string, form: Form, now: Date): Promise<SettingsFormResult> {
  const parsed = parseTimingForm(form);
  if (!parsed.ok) return invalid("timing", parsed.errors);
  const replanned = await saveTiming(db, shop, parsed.value, now);
  return { intent: "timing", toast: replanned ? `Timing saved; ${replanned} ${replanned === 1 ? "order" : "orders"} re-planned` : "Timing saved" };
}

export async function submitSender(db: Db, shop: string, form: Form): Promise<SettingsFormResult> {
  const parsed = parseSenderForm(form);
  if (!parsed.ok) return invalid("sender", parsed.errors);
  await saveSender(db, shop, parsed.value);
  return { intent: "sender", toast: "Sender saved" };
}

export async function submitApiKey(db: Db, shop: string, form: Form, keys: SecretKeys): Promise<SettingsFormResult> {
  const parsed = parseApiKeyForm(form);
  if (!parsed.ok) return invalid("api-key", parsed.errors);
  await saveApiKey(db, shop, parsed.value, keys);
  return { intent: "api-key", toast: "SendGrid API key saved" };
}

export async function submitRemoveApiKey(db: Db, shop: string): Promise<SettingsFormResult> {
  await removeApiKey(db, shop);
  return { intent: "remove-api-key", toast: "Your SendGrid API key was removed" };
}

export async function submitWebhookKey(db: Db, shop: string, form: Form): Promise<SettingsFormResult> {
  const parsed = parseWebhookKeyForm(form, isReadableWebhookKey);
  if (!parsed.ok) return invalid("webhook-key", parsed.errors);
  await saveWebhookKey(db, shop, parsed.value);
  return { intent: "webhook-key", toast: parsed.value ? "Event webhook key saved" : "Event webhook key removed" };
}

export async function submitTransit(db: Db, shop: string, form: Form): Promise<SettingsFormResult> {
  const carrier = String(form.carrier ?? "");
  const parsed = parseTransitForm(carrier, form);
  if (!parsed.ok) return invalid("transit", parsed.errors);
  await saveCarrierTransit(db, shop, carrier, parsed.value);
  return { intent: "transit", toast: "Transit days saved" };
}

/** A sample shipping confirmation in the shop's primary language, to the shop's contact email; null when the shop is not installed. */
export async function submitTestSend(db: Db, shop: string, mail: MailConfig, appUrl: string, now: Date): Promise<SettingsFormResult | null> {
  const shopRow = await previewShop(db, shop, now);
  if (!shopRow) return null;
  const locale = shopRow.primaryLocale;
  const { source } = await loadTemplate(db, shop, "shipping_confirmation", locale);
  const preview = await renderPreview(source, { kind: "shipping_confirmation", carrierCode: "dhl_express", destination: "DE", locale }, shopRow, now, appUrl);
  if (!preview.ok) return { intent: "test-send", error: "Your shipping confirmation template has an error; fix it under Templates first" };
  const sent = await sendTestMessage(db, shop, { ...preview.message, kind: "shipping_confirmation" }, mail, now);
  return sent.ok ? { intent: "test-send", toast: `Test message sent to ${sent.to}` } : { intent: "test-send", error: sent.error };
}
