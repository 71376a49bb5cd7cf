// Finding the one order a buyer may see, and loading its tracking view. Every query is scoped by shop;
// a wrong email, a wrong number, a redacted order and an unknown shop all end in the same miss.
import { createHash, timingSafeEqual } from "node:crypto";
import { loadShopCommitment } from "~/lanes/commitment.server";
import type { Db } from "~/db.server";
import { normalizeEmail } from "~/mail/address";
import { normalizeOrderNumber, orderNamesFor } from "~/orders/order-number";
import { checkTrackingLinkToken } from "./link";
import { buildTrackingView, type TrackingView } from "./view";

export type TrackingLookup = { found: true; view: TrackingView } | { found: false; expired?: true };

const MISS: TrackingLookup = { found: false };
const MAX_EVENTS_LOADED = 500;

// Digests first: equal lengths for timingSafeEqual, and no early exit that tells how much matched.
const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
const sameText = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

async function ordersNamed(db: Db, shop: string, number: string) {
  return db.order.findMany({
    where: { shop, name: { in: orderNamesFor(number) }, redactedAt: null },
    select: { shopifyId: true, email: true, paidAt: true, createdAt: true },
    take: 10,
  });
}

/** Order number plus email, both as the buyer typed them. */
export async function lookupTracking(
  db: Db,
  shop: string,
  input: { orderNumber: string; email: string },
  now: Date,
): Promise<TrackingLookup> {
  const number = normalizeOrderNumber(input.orderNumber);
  const email = normalizeEmail(input.email);
  if (!number || !email) return MISS;
  const candidates = await ordersNamed(db, shop, number);
  const match = candidates.find((order) => order.email !== null && sameText(normalizeEmail(order.email), email));
  return match ? loadTrackingView(db, shop, match.shopifyId, now) : MISS;
}

/** Order number plus the token of a signed link (app/tracking/link.ts) from a mail; an expired link says so. */
export async function lookupTrackingByLink(
  db: Db,
  shop: string,
  input: { orderNumber: string; token: string },
  link: { secret: string; maxAgeDays: number },
  now: Date,
): Promise<TrackingLookup> {
  const number = normalizeOrderNumber(input.orderNumber);
  if (!number || !input.token) return MISS;
  const candidates = await ordersNamed(db, shop, number);
  for (const order of candidates) {
    const check = checkTrackingLinkToken({ ...link, shop, orderShopifyId: order.shopifyId, token: input.token, now, orderSince: order.paidAt ?? order.createdAt });
    if (check === "valid") return loadTrackingView(db, shop, order.shopifyId, now);
    // Only a link this app made for this order can be expired: saying so tells nothing new.
    if (check === "expired") return { found: false, expired: true };
  }
  return MISS;
}

/** The tracking view of an order already known to be the requester's (by Shopify id, numeric). */
export async function loadTrackingView(db: Db, shop: string, orderShopifyId: string, now: Date): Promise<TrackingLookup> {
  const [settings, order, shipments] = await Promise.all([
    db.shop.findUnique({
      where: { domain: shop },
      select: {
        uninstalledAt: true, handlingEnabled: true, handlingHours: true, handlingHoursPinned: true, onlineTrackingDays: true, onlineTrackingDaysPinned: true,
        delayGraceDays: true, silenceDays: true,
      },
    }),
    db.order.findUnique({
      where: { shop_shopifyId: { shop, shopifyId: orderShopifyId } },
      select: { name: true, cancelledAt: true, redactedAt: true },
    }),
    db.shipment.findMany({ where: { shop, orderShopifyId } }),
  ]);
  if (!settings || settings.uninstalledAt || !order || order.redactedAt) return MISS;
  const events = shipments.length
    ? await db.trackingEvent.findMany({
        where: { shop, fulfillmentShopifyId: { in: shipments.map((shipment) => shipment.shopifyId) } },
        select: { fulfillmentShopifyId: true, status: true, message: true, city: true, country: true, happenedAt: true },
        orderBy: { happenedAt: "desc" },
        take: MAX_EVENTS_LOADED,
      })
    : [];
  const commitment = await loadShopCommitment(db, shop, settings, now);
  return { found: true, view: buildTrackingView({ shop: { ...settings, ...commitment }, order, shipments, events }, now) };
}

/** The shop's handling commitment alone (the thank-you page, before the order is even recorded). */
export async function loadCommitment(
  db: Db,
  shop: string,
  now: Date,
): Promise<{ handlingHours: number; onlineTrackingDays: number } | null> {
  const settings = await db.shop.findUnique({
    where: { domain: shop },
    select: { uninstalledAt: true, handlingEnabled: true, handlingHours: true, handlingHoursPinned: true, onlineTrackingDays: true, onlineTrackingDaysPinned: true },
  });
  if (!settings || settings.uninstalledAt || !settings.handlingEnabled) return null;
  return loadShopCommitment(db, shop, settings, now);
}
