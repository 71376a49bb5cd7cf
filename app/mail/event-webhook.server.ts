// One signed Event Webhook post, from request to answer, for both addresses SendGrid posts to: the app's
// own (`/webhooks/sendgrid`, key SENDGRID_WEBHOOK_PUBLIC_KEY, events of any shop) and a shop's own
// SendGrid account (`/webhooks/sendgrid/<shop>`, the shop's key, only events naming that shop). SendGrid
// retries any answer but 2xx for 24 hours, so events about messages we do not know are acknowledged too.
import type { Db } from "~/db.server";
import { log } from "~/log.server";
import { InvalidWebhookKeyError, processSendGridEvents, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySendGridSignature } from "./events.server";

/** Where a batch arrives, and the key its signature must verify with (null: none configured). */
export type EventWebhookEndpoint =
  | { kind: "app"; publicKey: string | null; production: boolean }
  | { kind: "shop"; shop: string; publicKey: string | null };

/** How far from now a batch's signed timestamp may be (SENDGRID_EVENT_MAX_AGE_SECONDS, default 600). */
export interface ReplayWindow {
  maxAgeSeconds: number;
}

/** Seconds between the signed timestamp and now (negative: ahead of us); null when it is no unix time. */
function signedAgeSeconds(timestamp: string, now: Date): number | null {
  if (!/^\d{1,12}$/.test(timestamp)) return null;
  return Math.floor(now.getTime() / 1000) - Number(timestamp);
}

/** Where a shop's own SendGrid account posts its events. */
export function shopEventWebhookUrl(appUrl: string, shop: string): string {
  return `${appUrl.replace(/\/+$/, "")}/webhooks/sendgrid/${shop}`;
}

/** The shop's own verification key; null for an unknown shop and for a shop without one alike. */
export async function shopEventWebhookKey(db: Db, shop: string): Promise<string | null> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { sendgridWebhookPublicKey: true } });
  return row?.sendgridWebhookPublicKey ?? null;
}

// A shop's address answers alike whether the shop is unknown, has no key or an unreadable one.
const NOT_FOUND = () => new Response("Not Found", { status: 404 });

function keyUnavailable(endpoint: EventWebhookEndpoint, problem: "missing" | "unreadable", error?: unknown): Response {
  if (endpoint.kind === "shop") {
    if (problem === "unreadable") log.error("SendGrid events refused: the shop's event webhook key cannot be read", { shop: endpoint.shop, error });
    else log.warn("SendGrid events refused: no shop with an event webhook key at this address", { shop: endpoint.shop });
    return NOT_FOUND();
  }
  if (problem === "unreadable") {
    log.error("SendGrid events refused: SENDGRID_WEBHOOK_PUBLIC_KEY cannot be read", { error });
    return new Response("Service Unavailable: the event webhook verification key is unusable", { status: 503 });
  }
  (endpoint.production ? log.error : log.warn)("SendGrid events refused: SENDGRID_WEBHOOK_PUBLIC_KEY is not set");
  return new Response("Service Unavailable: the event webhook verification key is not configured", { status: 503 });
}

const namesShop = (event: unknown, shop: string) =>
  typeof event === "object" && event !== null && typeof (event as { shop?: unknown }).shop === "string" && (event as { shop: string }).shop.trim() === shop;

/** Verifies the signature over the exact bytes, applies the batch and answers as SendGrid expects. */
export async function receiveSendGridEvents(db: Db, request: Request, endpoint: EventWebhookEndpoint, window: ReplayWindow, now: Date): Promise<Response> {
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
  const { publicKey } = endpoint;
  if (!publicKey) return keyUnavailable(endpoint, "missing");
  const signature = request.headers.get(SIGNATURE_HEADER);
  const timestamp = request.headers.get(TIMESTAMP_HEADER);
  if (!signature || !timestamp) return new Response("Unauthorized", { status: 401 });

  const rawBody = Buffer.from(await request.arrayBuffer());
  let verified: boolean;
  try {
    verified = verifySendGridSignature(publicKey, rawBody, signature, timestamp);
  } catch (error) {
    if (!(error instanceof InvalidWebhookKeyError)) throw error;
    return keyUnavailable(endpoint, "unreadable", error);
  }
  const shop = endpoint.kind === "shop" ? { shop: endpoint.shop } : {};
  if (!verified) {
    log.warn("SendGrid events refused: signature does not verify", shop);
    return new Response("Forbidden", { status: 403 });
  }
  // The signature covers the timestamp: a batch signed long ago (or ahead of our clock) is a replay.
  const age = signedAgeSeconds(timestamp, now);
  if (age === null || Math.abs(age) > window.maxAgeSeconds) {
    log.warn("SendGrid events refused: signed outside the replay window", { ...shop, ageSeconds: age, maxAgeSeconds: window.maxAgeSeconds });
    return new Response(`Forbidden: the batch was not signed within ${window.maxAgeSeconds} seconds of now`, { status: 403 });
  }

  let events: unknown;
  try {
    events = JSON.parse(rawBody.toString("utf8"));
  } catch {
    log.warn("SendGrid events rejected: body is not JSON", { ...shop, bytes: rawBody.length });
    return new Response("Bad Request: body is not JSON", { status: 400 });
  }
  if (!Array.isArray(events)) {
    log.warn("SendGrid events rejected: body is not a JSON array", shop);
    return new Response("Bad Request: expected a JSON array of events", { status: 400 });
  }

  // A shop's own key vouches for that shop's events only: one merchant's key never reaches another's rows.
  const applied = endpoint.kind === "shop" ? events.filter((event) => namesShop(event, endpoint.shop)) : events;
  try {
    const result = await processSendGridEvents(db, applied, now);
    log.info("SendGrid events", { ...shop, ...result, received: events.length, ignored: result.ignored + events.length - applied.length });
    return new Response(null, { status: 200 });
  } catch (error) {
    log.error("SendGrid events failed; SendGrid will retry", { ...shop, error });
    return new Response("Internal Server Error", { status: 500 });
  }
}
