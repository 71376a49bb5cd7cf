// The storefront lookup behind the app proxy: a buyer's order number plus email (or plus the token of
// a signed link) in, the order's tracking view or one neutral miss out, within per-address and
// per-order attempt limits. The route has already verified Shopify's app proxy signature.
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

/**
 * The buyer's address as Shopify's proxy reports it (the first X-Forwarded-For entry). A client could
 * put its own value first; the per-order limit, which no header can change, is the firm bound.
 */
export function clientIp(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}

export type StorefrontAnswer =
  | { status: 200; body: { tracking: TrackingView } }
  | { status: 404; body: { error: "not_found" } }
  | { status: 429; body: { error: "rate_limited" }; retryAfterSeconds: number };

const NOT_FOUND = { status: 404, body: { error: "not_found" } } as const;

export async function storefrontLookup(deps: {
  db: Db;
  limits: TrackingRateLimits;
  secret: string;
  shop: string;
  /** False when the shop has no offline session (not installed): every lookup misses. */
  installed: boolean;
  ip: string;
  request: LookupRequest;
  now: Date;
}): Promise<StorefrontAnswer> {
  const { db, shop, request, now } = deps;
  // Counted before anything is looked up, under the number as typed, so a refusal reveals nothing.
  const decision = await deps.limits.attempt({ shop, ip: deps.ip, orderNumber: normalizeOrderNumber(request.orderNumber) ?? "" });
  if (!decision.allowed) {
    return { status: 429, body: { error: "rate_limited" }, retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)) };
  }
  if (!deps.installed) return NOT_FOUND;
  const result =
    "token" in request
      ? await lookupTrackingByLink(db, shop, { orderNumber: request.orderNumber, token: request.token }, deps.secret, now)
      : await lookupTracking(db, shop, { orderNumber: request.orderNumber, email: request.email }, now);
  return result.found ? { status: 200, body: { tracking: result.view } } : NOT_FOUND;
}
