// POST /webhooks/sendgrid: SendGrid's signed Event Webhook. Verify the signature over the exact bytes,
// fold the batch into notification statuses and suppressions, answer 200. SendGrid retries any other
// answer for 24 hours, so events about messages we do not know are acknowledged too.
import type { ActionFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { log } from "~/log.server";
import { InvalidWebhookKeyError, processSendGridEvents, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySendGridSignature } from "~/mail/events.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
  const config = env();
  const publicKey = config.SENDGRID_WEBHOOK_PUBLIC_KEY;
  if (!publicKey) {
    (config.NODE_ENV === "production" ? log.error : log.warn)("SendGrid events refused: SENDGRID_WEBHOOK_PUBLIC_KEY is not set");
    return new Response("Service Unavailable: the event webhook verification key is not configured", { status: 503 });
  }
  const signature = request.headers.get(SIGNATURE_HEADER);
  const timestamp = request.headers.get(TIMESTAMP_HEADER);
  if (!signature || !timestamp) return new Response("Unauthorized", { status: 401 });

  const rawBody = Buffer.from(await request.arrayBuffer());
  let verified: boolean;
  try {
    verified = verifySendGridSignature(publicKey, rawBody, signature, timestamp);
  } catch (error) {
    if (!(error instanceof InvalidWebhookKeyError)) throw error;
    log.error("SendGrid events refused: SENDGRID_WEBHOOK_PUBLIC_KEY cannot be read", { error });
    return new Response("Service Unavailable: the event webhook verification key is unusable", { status: 503 });
  }
  if (!verified) {
    log.warn("SendGrid events refused: signature does not verify");
    return new Response("Forbidden", { status: 403 });
  }

  let events: unknown;
  try {
    events = JSON.parse(rawBody.toString("utf8"));
  } catch {
    log.warn("SendGrid events rejected: body is not JSON", { bytes: rawBody.length });
    return new Response("Bad Request: body is not JSON", { status: 400 });
  }
  if (!Array.isArray(events)) {
    log.warn("SendGrid events rejected: body is not a JSON array");
    return new Response("Bad Request: expected a JSON array of events", { status: 400 });
  }

  try {
    const result = await processSendGridEvents(db, events, new Date());
    log.info("SendGrid events", { ...result });
    return new Response(null, { status: 200 });
  } catch (error) {
    log.error("SendGrid events failed; SendGrid will retry", { error });
    return new Response("Internal Server Error", { status: 500 });
  }
};
