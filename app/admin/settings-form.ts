// Timing & settings forms: a submitted form checked on the server, with what is wrong per field in the
// merchant's words. Pure: no database, no Remix.
import { z } from "zod";
import { CARRIERS, type Region, type TransitOverrides } from "~/carriers/registry";
import { COVERAGE_PERCENT, REGIONS, type TimingSettings } from "./settings";
import { AFTER_DELAY_CHOICES } from "~/feedback/rules";

export type FieldErrors = Record<string, string>;
export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** What a settings form's submission answers: a toast, or an error and what is wrong per field. */
export interface SettingsFormResult {
  intent: string;
  toast?: string;
  error?: string;
  errors?: FieldErrors;
}

const whole = (label: string, min: number, max: number, unit: string) =>
  z.coerce
    .number({ invalid_type_error: `${label} must be a number` })
    .refine((n) => Number.isInteger(n), `${label} must be a whole number of ${unit}`)
    .refine((n) => n >= min && n <= max, `${label} must be between ${min} and ${max} ${unit}`);

// An unchecked checkbox is simply absent from the form.
const checkbox = z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean());

const timingSchema = z.object({
  handlingEnabled: checkbox,
  handlingDelayMinutes: whole("The wait after payment", 0, 1440, "minutes"),
  handlingHours: whole("Handling time", 1, 720, "hours"),
  handlingHoursPinned: checkbox,
  onlineTrackingDays: whole("Days until tracking is online", 0, 30, "days"),
  onlineTrackingDaysPinned: checkbox,
  shippingEnabled: checkbox,
  feedbackEnabled: checkbox,
  feedbackDelayDays: whole("Days after delivery", 0, 60, "days"),
  feedbackFallbackDays: whole("Days after the estimated delivery", 0, 60, "days"),
  delayEnabled: checkbox,
  delayGraceDays: whole("Grace days", 0, 30, "days"),
  silenceDays: whole("Days without carrier news", 1, 60, "days"),
  estimateCoveragePercent: whole("Parcels inside the window", COVERAGE_PERCENT.min, COVERAGE_PERCENT.max, "percent"),
  atRiskRule: z.enum(["learned", "fixed"], { errorMap: () => ({ message: "Choose when a parcel counts as late" }) }),
  // Absent (a form from before these fields): the defaults.
  feedbackAfterDelay: z.enum(AFTER_DELAY_CHOICES, { errorMap: () => ({ message: "Choose what happens to the feedback request after a delay" }) }).default("reword"),
  feedbackBuyerGapDays: whole("Days between two requests to one buyer", 0, 365, "days").default(30),
});

function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.join(".");
    errors[field] ??= issue.message;
  }
  return errors;
}

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, input: Record<string, unknown>): Validated<T> {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: fieldErrors(result.error) };
}

export function parseTimingForm(form: Record<string, unknown>): Validated<TimingSettings> {
  // A number field left empty means "not given", not zero.
  const input = Object.fromEntries(Object.entries(form).map(([key, value]) => [key, value === "" ? undefined : value]));
  return parse(timingSchema, input);
}

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .refine((value) => !/[\r\n]/.test(value), `${label} must be one line`)
    .transform((value) => value || null);
const optionalEmail = (label: string) =>
  z
    .string()
    .trim()
    .max(254, `${label} is too long`)
    .refine((value) => value === "" || z.string().email().safeParse(value).success, `${label} must be an email address, like support@yourstore.com`)
    .transform((value) => value.toLowerCase() || null);

const senderSchema = z.object({
  senderName: optionalText(100, "Sender name"),
  senderEmail: optionalEmail("Sender address"),
  replyToEmail: optionalEmail("Reply-to address"),
  reviewUrl: z
    .string()
    .trim()
    .max(2000, "The review link is too long")
    .refine((value) => value === "" || /^https:\/\/[^\s]+$/.test(value), "The review link must start with https://")
    .refine((value) => value === "" || URL.canParse(value), "The review link is not a valid web address")
    .transform((value) => value || null),
});
export type SenderSettings = z.infer<typeof senderSchema>;

export function parseSenderForm(form: Record<string, unknown>): Validated<SenderSettings> {
  return parse(senderSchema, { senderName: "", senderEmail: "", replyToEmail: "", reviewUrl: "", ...form });
}

const apiKeySchema = z.object({
  sendgridApiKey: z
    .string()
    .trim()
    .min(1, "Paste your SendGrid API key")
    .refine((value) => /^SG\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}$/.test(value), "A SendGrid API key starts with SG. and has two more parts separated by a dot"),
});

/** The key itself is never put into an error message: errors go back to the browser. */
export function parseApiKeyForm(form: Record<string, unknown>): Validated<string> {
  const result = parse(apiKeySchema, { sendgridApiKey: "", ...form });
  return result.ok ? { ok: true, value: result.value.sendgridApiKey } : result;
}

/**
 * The verification key of the shop's own SendGrid Event Webhook (public, so it may be shown again); empty
 * removes it. `isReadable` checks it parses as SendGrid's key (the server's check, passed in).
 */
export function parseWebhookKeyForm(form: Record<string, unknown>, isReadable: (key: string) => boolean): Validated<string | null> {
  const key = String(form.sendgridWebhookPublicKey ?? "").trim();
  if (key === "") return { ok: true, value: null };
  if (key.length > 1000 || !isReadable(key)) {
    return { ok: false, errors: { sendgridWebhookPublicKey: "This is not a verification key: copy it from SendGrid's Event Webhook settings after turning on signing" } };
  }
  return { ok: true, value: key };
}

/**
 * The transit form of one carrier: `<region>.min` / `<region>.max` business days, both empty to use the
 * carrier's typical figures. Returns the carrier's overrides (possibly none).
 */
export function parseTransitForm(
  carrierCode: string,
  form: Record<string, unknown>,
): Validated<Partial<Record<Region, [number, number]>>> {
  if (!CARRIERS.some((carrier) => carrier.code === carrierCode)) return { ok: false, errors: { carrier: "Choose a carrier from the list" } };
  const errors: FieldErrors = {};
  const result: Partial<Record<Region, [number, number]>> = {};
  for (const region of REGIONS) {
    const rawMin = String(form[`${region}.min`] ?? "").trim();
    const rawMax = String(form[`${region}.max`] ?? "").trim();
    if (rawMin === "" && rawMax === "") continue;
    const read = (raw: string, field: string): number | null => {
      if (raw === "") {
        errors[field] = "Give both the fewest and the most days, or leave both empty";
        return null;
      }
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0 || n > 120) {
        errors[field] = "Use a whole number of business days from 0 to 120";
        return null;
      }
      return n;
    };
    const min = read(rawMin, `${region}.min`);
    const max = read(rawMax, `${region}.max`);
    if (min === null || max === null) continue;
    if (min > max) {
      errors[`${region}.max`] = "The most days cannot be fewer than the fewest days";
      continue;
    }
    result[region] = [min, max];
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: result };
}

/** The shop's overrides with one carrier's replaced (or removed when it has none left). */
export function withCarrierOverrides(
  all: TransitOverrides,
  carrierCode: string,
  own: Partial<Record<Region, [number, number]>>,
): TransitOverrides {
  const next: TransitOverrides = { ...all };
  if (Object.keys(own).length) next[carrierCode] = own;
  else delete next[carrierCode];
  return next;
}

