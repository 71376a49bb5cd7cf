// The webhook route's authentication (app/routes/webhooks.$.tsx): Shopify's verification of a delivery
// (verify.server.ts) and the shop's offline session.
import { env } from "~/env.server";
import { log } from "~/log.server";
import { sessionStorage } from "~/shopify.server";
import { isShopDomain } from "~/shops/shop-domain";
import { verifyWebhook } from "./verify.server";

/**
 * Shopify's verification of a delivery, as `authenticate.webhook` of @shopify/shopify-app-remix does it
 * (the library's `webhooks.validate` verdict, on node:crypto: app/webhooks/verify.server.ts), and the
 * shop's offline session from the same session storage: 405 for anything but a POST, 401 for a wrong
 * HMAC, 400 for a missing body or header, a SyntaxError for a body that is not JSON. No token refresh
 * here: the route never calls the Admin API.
 */
export async function authenticateWebhook(request: Request) {
  if (request.method !== "POST") throw new Response(undefined, { status: 405, statusText: "Method not allowed" });
  const rawBody = await request.text();
  const check = verifyWebhook(env().SHOPIFY_API_SECRET, rawBody, request.headers);
  if (!check.valid) {
    log.debug("webhook validation failed", { reason: check.reason });
    throw check.reason === "invalid_hmac" ? new Response(undefined, { status: 401, statusText: "Unauthorized" }) : new Response(undefined, { status: 400, statusText: "Bad Request" });
  }
  // The library's offline session id (session.getOfflineId) for a shop domain it accepts as it is.
  if (!isShopDomain(check.domain, env().SHOP_CUSTOM_DOMAIN)) throw new Response(undefined, { status: 400, statusText: "Bad Request" });
  const payload: unknown = JSON.parse(rawBody);
  const session = await sessionStorage.loadSession(`offline_${check.domain}`);
  return { shop: check.domain, topic: check.topic, webhookId: check.webhookId, eventId: check.eventId ?? null, triggeredAt: check.triggeredAt, payload, session };
}
