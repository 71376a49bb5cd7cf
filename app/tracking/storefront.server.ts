// The storefront lookup behind the app proxy: a buyer's order number plus email (or plus the token of
// a signed link) in, the order's tracking view or one neutral miss out, within per-address and
// per-order attempt limits; a valid signed link is never held back by others' guesses at its order.
// The route has already verified Shopify's app proxy signature.
import { z } from "zod";
import type { Db } from "~/db.server";
import { normalizeOrderNumber } from "~/orders/order-number";
import { lookupTracking, lookupTrackingByLink } from "./lookup.server";
import type { TrackingRateLimits } from "./rate-limit";
import type { TrackingView } from "./view";

const MAX_BODY_BYTES = 4096;

const lookupRequest = z.union([
  z.object({ orderNumber: z.string().min(1).max(64), token: z.string().min(1).max(64) }),
  z.object({ orderNumber: z.string().min(1).max(64), email: z.string().min(1).max(254) }),
]);
export type LookupRequest = z.infer<typeof lookupRequest>;

/** The block posts JSON; a plain form post (order, email) is read the same way. Null when neither. */
export async function readLookupRequest(request: Request): Promise<LookupRequest | null> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return null;
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) return null;
  let body: unknown;
  if ((request.headers.get("content-type") ?? "").includes("application/json")) {
    try {
      body = JSON.parse(text);
    } catch {
      return null;
    }
  } else {
    const form = new URLSearchParams(text);
    body = { orderNumber: form.get("orderNumber") ?? form.get("order") ?? "", email: form.get("email") ?? "" };
  }
  const parsed = lookupRequest.safeParse(body);
  return parsed.success ? parsed.data : null;
}

export type StorefrontAnswer =
  | { status: 200; body: { tracking: TrackingView } }
  | { status: 404; body: { error: "not_found" } }
  | { status: 410; body: { error: "link_expired" } }
  | { status: 429; body: { error: "rate_limited" }; retryAfterSeconds: number };

const NOT_FOUND = { status: 404, body: { error: "not_found" } } as const;
const MISSED: { found: false; expired?: true } = { found: false };

const rateLimited = (decision: { retryAfterMs: number }): StorefrontAnswer => ({
  status: 429,
  body: { error: "rate_limited" },
  retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)),
});

export async function storefrontLookup(deps: {
  db: Db;
  limits: TrackingRateLimits;
  link: { secret: string; maxAgeDays: number };
  shop: string;
  /** False when the shop has no offline session (not installed): every lookup misses. */
  installed: boolean;
  ip: string;
  request: LookupRequest;
  now: Date;
}): Promise<StorefrontAnswer> {
  const { db, shop, request, now } = deps;
  // Counted before anything is looked up, so a refusal reveals nothing.
  const fromAddress = await deps.limits.fromAddress({ shop, ip: deps.ip });
  if (!fromAddress.allowed) return rateLimited(fromAddress);
  const orderNumber = normalizeOrderNumber(request.orderNumber) ?? "";
  if ("token" in request) {
    // A valid signed link opens its order whatever others guessed at it; only a wrong token counts as a guess.
    const result = deps.installed ? await lookupTrackingByLink(db, shop, { orderNumber: request.orderNumber, token: request.token }, deps.link, now) : MISSED;
    if (result.found) return { status: 200, body: { tracking: result.view } };
    // The buyer's own link, only too old: the page asks for the email instead.
    if (result.expired) return { status: 410, body: { error: "link_expired" } };
    const atOrder = await deps.limits.atOrder({ shop, orderNumber });
    return atOrder.allowed ? NOT_FOUND : rateLimited(atOrder);
  }
  const atOrder = await deps.limits.atOrder({ shop, orderNumber });
  if (!atOrder.allowed) return rateLimited(atOrder);
  if (!deps.installed) return NOT_FOUND;
  const result = await lookupTracking(db, shop, { orderNumber: request.orderNumber, email: request.email }, now);
  return result.found ? { status: 200, body: { tracking: result.view } } : NOT_FOUND;
}
