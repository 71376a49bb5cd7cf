// POST /webhooks/<topic>: verify, record, plan, answer 200. The domain does the work (app/webhooks).
import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { log } from "~/log.server";
import { fetchOrder } from "~/orders/fetch-order.server";
import { ingestWebhook, MalformedPayloadError } from "~/webhooks/ingest.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  if (!request.headers.get("x-shopify-hmac-sha256")) return new Response("Unauthorized", { status: 401 });
  let context;
  try {
    context = await authenticate.webhook(request);
  } catch (error) {
    if (error instanceof Response) return error;
    if (!(error instanceof SyntaxError)) throw error;
    log.warn("webhook rejected: body is not JSON", { topic: request.headers.get("x-shopify-topic"), error });
    return new Response("Bad Request: body is not JSON", { status: 400 });
  }
  const { shop, topic, webhookId, payload, admin } = context;
  const eventId = "eventId" in context ? (context.eventId ?? null) : null;
  const triggeredAt = context.triggeredAt ? new Date(context.triggeredAt) : null;
  try {
    const outcome = await ingestWebhook(
      { shop, topic, webhookId, eventId, triggeredAt, payload },
      { db, fetchOrder: admin ? (id) => fetchOrder(admin.graphql, id) : undefined },
    );
    log.info("webhook", { shop, topic, webhookId, outcome });
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
