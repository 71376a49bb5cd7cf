// The Carriers page's report, kept per shop until something it is computed from changes: about a second
// of CPU at 20,000 shipments to compute, a few small queries to check.
import { LRUCache } from "lru-cache";
import type { CarriersReport } from "~/carriers/performance";
import type { Db } from "~/db.server";
import { HOUR_MS } from "~/time";

const SHOPS = 50;
// On PostgreSQL a write committed late can carry an older updatedAt than one already seen: no entry
// outlives this, so such a change shows within minutes even then.
const TTL_MS = 10 * 60_000;

/**
 * What the report depends on, cheaply: the shop's shipments (count, last change), carrier events (count,
 * last recorded), sent delay notices (count, last sent), the shop's country (the origin when a
 * fulfillment names none) and the hour, since parcels still out age as time passes.
 */
export async function carriersFingerprint(db: Db, shop: string, now: Date): Promise<string> {
  // Counts see rows removed (a redaction); the newest row, read from its index, sees rows added or changed.
  const [shipments, lastShipment, events, lastEvent, notices, shopRow] = await Promise.all([
    db.shipment.count({ where: { shop } }),
    db.shipment.findFirst({ where: { shop }, orderBy: { updatedAt: "desc" }, select: { updatedAt: true } }),
    db.trackingEvent.count({ where: { shop } }),
    db.trackingEvent.findFirst({ where: { shop }, orderBy: { createdAt: "desc" }, select: { createdAt: true } }),
    db.notification.aggregate({ where: { shop, kind: "delay_notice", sentAt: { not: null } }, _count: { _all: true }, _max: { sentAt: true } }),
    db.shop.findUnique({ where: { domain: shop }, select: { country: true } }),
  ]);
  return JSON.stringify([
    Math.floor(now.getTime() / HOUR_MS),
    shipments,
    lastShipment?.updatedAt.getTime() ?? null,
    events,
    lastEvent?.createdAt.getTime() ?? null,
    notices._count._all,
    notices._max.sentAt?.getTime() ?? null,
    shopRow?.country ?? null,
  ]);
}

interface Entry {
  fingerprint: string;
  report: CarriersReport;
}

// Per database client (tests open several), then per shop.
const caches = new WeakMap<Db, LRUCache<string, Entry>>();

/** The cached report while its fingerprint holds, else `compute`'s, kept for the next load. */
export async function cachedCarriersReport(db: Db, shop: string, now: Date, compute: () => Promise<CarriersReport>): Promise<CarriersReport> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new LRUCache<string, Entry>({ max: SHOPS, ttl: TTL_MS })));
  // Taken before computing: a change made meanwhile gives a newer fingerprint next time, never a stale hit.
  const fingerprint = await carriersFingerprint(db, shop, now);
  const hit = cache.get(shop);
  if (hit?.fingerprint === fingerprint) return hit.report;
  const report = await compute();
  cache.set(shop, { fingerprint, report });
  return report;
}
