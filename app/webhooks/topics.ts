// The Shopify topics Parcelwise handles (shopify.app.toml subscribes to exactly these) and the shape each
// payload must have: a payload that does not fit is refused before anything is stored.
import { z } from "zod/v4";
import { fulfillmentEventPayload, fulfillmentPayload, orderPayload } from "~/orders/payload";
import { complianceCustomerPayload } from "~/compliance/payload";
import { refundPayload, returnPayload } from "~/feedback/payload";

export const SHOPIFY_TOPICS = [
  "orders/create",
  "orders/paid",
  "orders/updated",
  "orders/cancelled",
  "fulfillments/create",
  "fulfillments/update",
  "fulfillment_events/create",
  "app/uninstalled",
  "app/scopes_update",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
  "bulk_operations/finish",
  // The feedback rules: no request after a refund of a line or with an open return (returns need read_returns).
  "refunds/create",
  "returns/request",
  "returns/approve",
  "returns/decline",
  "returns/cancel",
  "returns/close",
  "returns/reopen",
  "returns/process",
] as const;
export type ShopifyTopic = (typeof SHOPIFY_TOPICS)[number];

/** Shopify's mandatory privacy topics: they count even for a shop that has uninstalled Parcelwise. */
export const COMPLIANCE_TOPICS: readonly ShopifyTopic[] = ["customers/data_request", "customers/redact", "shop/redact"];

export class MalformedPayloadError extends Error {}

/** Normalises ORDERS_PAID / orders/paid to orders/paid. */
export function normaliseTopic(topic: string): string {
  if (topic.includes("/")) return topic.toLowerCase();
  const lower = topic.toLowerCase();
  for (const known of SHOPIFY_TOPICS) if (known.replace("/", "_") === lower) return known;
  return lower;
}

export const isShopifyTopic = (topic: string): topic is ShopifyTopic => (SHOPIFY_TOPICS as readonly string[]).includes(topic);
export const isComplianceTopic = (topic: string) => (COMPLIANCE_TOPICS as readonly string[]).includes(normaliseTopic(topic));

export const scopesUpdatePayload = z.object({ current: z.array(z.string()) }).passthrough();

const PAYLOAD_SCHEMAS: Record<ShopifyTopic, z.ZodTypeAny> = {
  "orders/create": orderPayload,
  "orders/paid": orderPayload,
  "orders/updated": orderPayload,
  "orders/cancelled": orderPayload,
  "fulfillments/create": fulfillmentPayload,
  "fulfillments/update": fulfillmentPayload,
  "fulfillment_events/create": fulfillmentEventPayload,
  "app/uninstalled": z.object({}).passthrough(),
  "app/scopes_update": scopesUpdatePayload,
  "customers/data_request": complianceCustomerPayload,
  "customers/redact": complianceCustomerPayload,
  "shop/redact": z.object({}).passthrough(),
  "bulk_operations/finish": z.lazy(() => bulkOperationFinishPayload),
  "refunds/create": refundPayload,
  "returns/request": returnPayload,
  "returns/approve": returnPayload,
  "returns/decline": returnPayload,
  "returns/cancel": returnPayload,
  "returns/close": returnPayload,
  "returns/reopen": returnPayload,
  "returns/process": returnPayload,
};

/** Throws MalformedPayloadError unless the payload has the topic's shape. */
export function checkPayload(topic: ShopifyTopic, payload: unknown): void {
  parsePayload(PAYLOAD_SCHEMAS[topic], payload, topic);
}

export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown, topic: string): T {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const detail = result.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "payload"} ${i.message}`);
    throw new MalformedPayloadError(`${topic} payload is malformed: ${detail.join("; ")}`);
  }
  return result.data;
}

export const bulkOperationFinishPayload = z
  .object({ admin_graphql_api_id: z.string(), status: z.string(), error_code: z.string().nullish() })
  .passthrough();
