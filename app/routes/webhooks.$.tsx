// POST /webhooks/<topic>: verify the HMAC, keep the delivery in the inbox, answer 200. Recording and
// planning happen in the worker (app/webhooks), well inside Shopify's 5-second deadline.
import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "~/webhooks/authenticate.server";
import { db } from "~/db.server";
import { log } from "~/log.server";
import { InboxWriter } from "~/webhooks/inbox.server";
import { isComplianceTopic, MalformedPayloadError } from "~/webhooks/topics";
import { notifyInbox } from "~/webhooks/inbox-signal.server";
import { isShopDomain } from "~/shops/shop-domain";
import { env } from "~/env.server";

const inbox = new InboxWriter(db);

export const action = async ({ request }: ActionFunctionArgs) => {
  if (!request.headers.get("x-shopify-hmac-sha256")) return new Response("Unauthorized", { status: 401 });
  const shopHeader = request.headers.get("x-shopify-shop-domain") ?? "";
  if (!isShopDomain(shopHeader, env().SHOP_CUSTOM_DOMAIN)) {
    // A 4xx, not a 5xx: Shopify would retry a 5xx for hours, and no retry makes this header a shop.
    log.warn("webhook rejected: shop header is not a myshopify.com domain", { topic: request.headers.get("x-shopify-topic"), shop: shopHeader.slice(0, 255) });
    return new Response("Bad Request: X-Shopify-Shop-Domain is not a shop's myshopify.com domain", { status: 400 });
  }
  let context;
  try {
    context = await authenticateWebhook(request);
  } catch (error) {
    if (error instanceof Response) return error;
    if (!(error instanceof SyntaxError)) throw error;
    log.warn("webhook rejected: body is not JSON", { topic: request.headers.get("x-shopify-topic") });
    return new Response("Bad Request: body is not JSON", { status: 400 });
  }
  const { shop, topic, webhookId, payload, session } = context;
  // No offline session: the shop never installed Parcelwise or has uninstalled it. Compliance requests
  // still count (shop/redact arrives 48 hours after an uninstall).
  if (!session && !isComplianceTopic(topic)) {
    log.info("webhook ignored: unknown shop", { shop, topic, webhookId });
    return new Response(null, { status: 200 });
  }
  const eventId = context.eventId;
  const triggeredAt = context.triggeredAt ? new Date(context.triggeredAt) : null;
  try {
    const outcome = await inbox.accept({ shop, topic, webhookId, eventId, triggeredAt, payload });
    if (outcome === "accepted") notifyInbox();
    log.debug("webhook", { shop, topic, webhookId, outcome });
    return new Response(null, { status: 200 });
  } catch (error) {
    if (error instanceof MalformedPayloadError) {
      log.warn("webhook rejected: malformed payload", { shop, topic, webhookId, error: error.message });
      return new Response(`Bad Request: ${error.message}`, { status: 400 });
    }
    log.error("webhook failed; Shopify will retry", { shop, topic, webhookId, error });
    return new Response("Internal Server Error", { status: 500 });
  }
};
