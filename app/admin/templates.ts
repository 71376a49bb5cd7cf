// The template editor's catalogue: what each message is, which languages a shop has, how errors read,
// the preview's choices and the variable reference. Pure and free of server code (the page renders it).
import { CARRIERS } from "~/carriers/registry";
import type { TemplateError, TemplatePart } from "~/templates/template-error";
import { MESSAGE_KINDS, type MessageKind } from "~/templates/variables";
import type { FieldErrors } from "./settings-form";

export const KIND_INFO: Record<MessageKind, { title: string; summary: string }> = {
  handling_commitment: {
    title: "Handling commitment",
    summary: "After payment, while nothing has shipped: when the order will be ready and when tracking starts.",
  },
  shipping_confirmation: {
    title: "Shipping confirmation",
    summary: "When a shipment gets a tracking number: carrier, tracking link and estimated delivery.",
  },
  tracking_updated: {
    title: "Tracking number changed",
    summary: "When the tracking number of a shipment changes after the confirmation went out.",
  },
  delay_notice: {
    title: "Delay notice",
    summary: "When a parcel is past its estimated delivery or the carrier has gone silent: an apology and what to do.",
  },
  feedback_request: {
    title: "Feedback request",
    summary: "Some days after delivery: a request for a review, and to contact you first about any problem.",
  },
};

export function isMessageKind(value: string): value is MessageKind {
  return (MESSAGE_KINDS as readonly string[]).includes(value);
}

/** Canonical BCP 47 ("pt-br" → "pt-BR"), or null for anything that is not a plain language tag. */
export function normalizeLocale(input: string): string | null {
  const trimmed = input.trim().replace(/_/g, "-");
  if (!/^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|\d{3}))?$/.test(trimmed)) return null;
  try {
    return Intl.getCanonicalLocales(trimmed)[0] ?? null;
  } catch {
    return null;
  }
}

export function localeLabel(locale: string): string {
  try {
    const name = new Intl.DisplayNames(["en"], { type: "language" }).of(locale);
    return name && name !== locale ? `${name} (${locale})` : locale;
  } catch {
    return locale;
  }
}

/** Languages merchants commonly add; the built-in ones come from the templates' defaults. */
export const COMMON_LOCALES = [
  "ar", "cs", "da", "de", "el", "en", "es", "fi", "fr", "he", "hu", "id", "it", "ja", "ko", "nb", "nl", "pl",
  "pt", "pt-BR", "pt-PT", "ro", "ru", "sv", "th", "tr", "uk", "vi", "zh-CN", "zh-TW",
];

export interface EditorLocale {
  locale: string;
  label: string;
  builtIn: boolean;
  customized: boolean;
}

/** The languages a shop's templates exist in: the built-in ones and any the merchant added. */
export function shopLocales(builtIn: readonly string[], customLocales: readonly string[], primaryLocale: string): EditorLocale[] {
  const all = new Set([...builtIn, ...customLocales]);
  const primary = normalizeLocale(primaryLocale);
  if (primary && !all.has(primary) && builtIn.includes(primary.split("-")[0])) all.add(primary);
  return [...all]
    .map((locale) => ({ locale, label: localeLabel(locale), builtIn: builtIn.includes(locale), customized: customLocales.includes(locale) }))
    .sort((a, b) => a.label.localeCompare(b.label, "en"));
}

export interface EditorError {
  part: TemplatePart;
  line: number | null;
  column: number | null;
  message: string;
}

export const PART_LABELS: Record<TemplatePart, string> = { subject: "Subject", html: "HTML", text: "Plain text" };

export function toEditorError(error: TemplateError): EditorError {
  return { part: error.part, line: error.line, column: error.column, message: error.message };
}

/** "Line 3: tag "iff" not found", or the message alone when it has no position. */
export function describeError(error: EditorError): string {
  return error.line ? `Line ${error.line}${error.column ? `, column ${error.column}` : ""}: ${error.message}` : error.message;
}

export function errorsByPart(problems: EditorError[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const problem of problems) {
    errors[problem.part] = errors[problem.part] ? `${errors[problem.part]}; ${describeError(problem)}` : describeError(problem);
  }
  return errors;
}

/** Destinations to preview with: one or two per region, where Parcelwise's merchants ship most. */
export const PREVIEW_DESTINATIONS = ["US", "CA", "GB", "DE", "FR", "ES", "IT", "NL", "SE", "AU", "NZ", "JP", "KR", "SG", "BR", "MX", "AE", "IL", "ZA"];

export function countryLabel(code: string): string {
  try {
    return new Intl.DisplayNames(["en"], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

export const PREVIEW_CARRIERS = CARRIERS.map((carrier) => ({ code: carrier.code, name: carrier.name }));

export interface VariableDoc {
  name: string;
  description: string;
}

/** The variable reference beside the editor (the stable set in templates/variables.ts). */
export const VARIABLE_REFERENCE: Array<{ group: string; variables: VariableDoc[] }> = [
  {
    group: "Shop and order",
    variables: [
      { name: "shop.name", description: "Your store's name" },
      { name: "shop.email", description: "Your contact email" },
      { name: "order.name", description: "Order number as buyers know it, e.g. #1001" },
      { name: "order.total_price | money", description: "Order total in the order's currency" },
      { name: "order.processed_at | date: '%B %-d, %Y'", description: "Order date" },
    ],
  },
  {
    group: "Buyer",
    variables: [
      { name: "buyer.first_name", description: "First name (may be empty)" },
      { name: "buyer.name", description: "Full name" },
    ],
  },
  {
    group: "Shipment and tracking",
    variables: [
      { name: "carrier.name", description: "Carrier, e.g. DHL Express" },
      { name: "tracking.number", description: "Tracking number" },
      { name: "tracking.url", description: "The carrier's tracking page" },
      { name: "tracking.page_url", description: "Your store's tracking page for this order" },
      { name: "tracking.previous_number", description: "The replaced number (tracking number changed)" },
      { name: "shipment.shipped_at | date: '%B %-d'", description: "Shipping date" },
      { name: "shipment.destination_country", description: "Destination country code, e.g. DE" },
      { name: "last_event.message", description: "The carrier's latest update" },
    ],
  },
  {
    group: "Delivery estimate",
    variables: [
      { name: "estimated_delivery.range", description: "The window in the buyer's language, e.g. 1–4 December 2026" },
      { name: "estimated_delivery.min_business_days", description: "Fewest business days in transit" },
      { name: "estimated_delivery.max_business_days", description: "Most business days in transit" },
      { name: "estimated_delivery.source", description: "Where the window comes from: carrier, lane (learned from your parcels) or registry (typical time for the carrier)" },
      { name: "estimated_delivery.parcels", description: "How many of your parcels a learned window rests on, e.g. 143" },
      { name: "delay.days_overdue", description: "Delay notice: business days past the window" },
      { name: "delay.reason", description: "Delay notice: overdue, silent or exception" },
    ],
  },
  {
    group: "Promises and links",
    variables: [
      { name: "commitment.handling_hours", description: "Handling time: learned from your orders unless pinned (Timing & settings)" },
      { name: "commitment.online_tracking_days", description: "Days until tracking is online: learned unless pinned" },
      { name: "review_url", description: "Your review page (Timing & settings)" },
      { name: "feedback.contact_url", description: "Feedback request: the \"contact us first\" form on your store, whose message reaches you by email" },
      { name: "feedback.after_delay", description: "Feedback request: true after a delay notice or a parcel later than its window" },
      { name: "feedback.products", description: "Feedback request: up to 3 products bought, each with title (buyer's language), url and image_url" },
      { name: "unsubscribe_url", description: "The buyer's unsubscribe link" },
    ],
  },
];
