// Signs and delivers webhooks exactly as Shopify does: HMAC-SHA256 of the raw body, base64, in
// X-Shopify-Hmac-Sha256, with the topic, shop, webhook id and event id headers.
import { createHmac, randomUUID } from "node:crypto";

export interface ShopifyDelivery {
  topic: string;
  shop: string;
  payload: unknown;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
  apiVersion?: string;
}

export function shopifyHmac(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export function webhookRequest(baseUrl: string, secret: string, delivery: ShopifyDelivery, rawBody?: string) {
  const body = rawBody ?? JSON.stringify(delivery.payload);
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": delivery.topic,
    "X-Shopify-Shop-Domain": delivery.shop,
    "X-Shopify-API-Version": delivery.apiVersion ?? "2026-10",
    "X-Shopify-Webhook-Id": delivery.webhookId ?? randomUUID(),
    "X-Shopify-Event-Id": delivery.eventId ?? randomUUID(),
    "X-Shopify-Triggered-At": delivery.triggeredAt ?? new Date().toISOString(),
    "X-Shopify-Hmac-Sha256": shopifyHmac(secret, body),
  };
  return { url: `${baseUrl}/webhooks/${delivery.topic}`, init: { method: "POST", headers, body } };
}

export async function sendWebhook(baseUrl: string, secret: string, delivery: ShopifyDelivery): Promise<Response> {
  const { url, init } = webhookRequest(baseUrl, secret, delivery);
  return fetch(url, init);
}
