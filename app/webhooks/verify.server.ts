// Shopify's webhook verification, as @shopify/shopify-api's `webhooks.validate` decides it (the same
// verdict and fields: app/webhooks/verify.test.ts compares the two on Shopify's sample deliveries and on
// forged, truncated and header-less ones), on node:crypto. The library computes the HMAC with WebCrypto
// (a key import and an asynchronous sign per delivery) and canonicalises every header name with regular
// expressions on each lookup: together a third of the web process's CPU per webhook, the largest share
// of it, where this costs microseconds.
//
// The checks, in the library's order: a body (else missing_body), the HMAC header of the delivery's kind
// (Shopify-Hmac-Sha256 for an event subscription, X-Shopify-Hmac-Sha256 otherwise; else missing_hmac),
// the HMAC-SHA256 of the body text under the app's secret, base64, compared in constant time (else
// invalid_hmac), then the kind's required headers (else missing_headers, naming them).
import { createHmac, timingSafeEqual } from "node:crypto";

export type WebhookKind = "webhooks" | "events";

export type Verdict =
  | {
      valid: true;
      webhookType: WebhookKind;
      hmac: string;
      /** As the library stores it: "ORDERS_PAID" for orders/paid. */
      topic: string;
      domain: string;
      apiVersion: string;
      webhookId: string;
      name?: string;
      triggeredAt?: string;
      eventId?: string;
      handle?: string;
      action?: string;
    }
  | { valid: false; reason: "missing_body" | "missing_hmac" | "invalid_hmac" }
  | { valid: false; reason: "missing_headers"; missingHeaders: string[] };

// The library's header names (ShopifyHeader, ShopifyEventsHeader), spelled as it reports them missing.
const HEADERS = {
  webhooks: {
    hmac: "X-Shopify-Hmac-Sha256",
    topic: "X-Shopify-Topic",
    domain: "X-Shopify-Shop-Domain",
    apiVersion: "X-Shopify-API-Version",
    webhookId: "X-Shopify-Webhook-Id",
    optional: { name: "X-Shopify-Name", triggeredAt: "X-Shopify-Triggered-At", eventId: "X-Shopify-Event-Id" },
  },
  events: {
    hmac: "shopify-hmac-sha256",
    topic: "shopify-topic",
    domain: "shopify-shop-domain",
    apiVersion: "shopify-api-version",
    webhookId: "shopify-webhook-id",
    optional: { handle: "shopify-handle", action: "shopify-action", triggeredAt: "shopify-triggered-at" },
  },
} as const;

/** The library's topicForStorage. */
export const topicForStorage = (topic: string): string => topic.toUpperCase().replace(/\/|\./g, "_");

/** One header's value as the library reads it: the values of a repeated header joined by ", " (as Headers#get does), "" as absent. */
function header(headers: Headers, name: string): string | undefined {
  const value = headers.get(name);
  return value ? value : undefined;
}

/** Whether `given` is the base64 HMAC-SHA256 of `body` under `secret`, compared in constant time. */
export function hmacMatches(secret: string, body: string, given: string): boolean {
  const expected = Buffer.from(createHmac("sha256", secret).update(body, "utf8").digest("base64"));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Verifies a delivery: its body text (as Request#text reads it) and headers, under the app's secret. */
export function verifyWebhook(secret: string, body: string, headers: Headers): Verdict {
  const kind: WebhookKind = header(headers, HEADERS.events.hmac) ? "events" : "webhooks";
  const names = HEADERS[kind];
  if (!body.length) return { valid: false, reason: "missing_body" };
  const hmac = header(headers, names.hmac);
  if (!hmac) return { valid: false, reason: "missing_hmac" };
  if (!hmacMatches(secret, body, hmac)) return { valid: false, reason: "invalid_hmac" };
  const missingHeaders: string[] = [];
  const required = (name: string) => {
    const value = header(headers, name);
    if (!value) missingHeaders.push(name);
    return value ?? "";
  };
  const topic = required(names.topic);
  const domain = required(names.domain);
  const apiVersion = required(names.apiVersion);
  const webhookId = required(names.webhookId);
  if (missingHeaders.length) return { valid: false, reason: "missing_headers", missingHeaders };
  const verdict: Extract<Verdict, { valid: true }> = { valid: true, webhookType: kind, hmac, topic: topicForStorage(topic), domain, apiVersion, webhookId };
  for (const [field, name] of Object.entries(names.optional)) {
    const value = header(headers, name);
    if (value) (verdict as unknown as Record<string, string>)[field] = value;
  }
  return verdict;
}
