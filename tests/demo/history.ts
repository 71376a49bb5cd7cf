// The demo shop's last 60 days as Shopify's bulk export returns them (Admin GraphQL shape): about 2,000
// shipments from China and Hong Kong over several lanes, each lane with its own log-normal transit time,
// some parcels held at customs and a few never delivered. Seeded, so every run imports the same history.
import type { HistoryOrder } from "#tests/standins/bulk-operations";

interface Lane {
  carrier: string;
  origin: string;
  destination: string;
  province: string | null;
  /** Median transit in calendar days and the log-normal spread around it. */
  medianDays: number;
  sigma: number;
  weight: number;
  trackingNumber: (n: number) => string;
  estimates?: boolean;
}

const digits = (n: number, width: number) => String(n).padStart(width, "0").slice(-width);
const LANES: Lane[] = [
  { carrier: "DHL Express", origin: "HK", destination: "DE", province: "BY", medianDays: 6, sigma: 0.2, weight: 14, trackingNumber: (n) => digits(3_000_000_000 + n, 10), estimates: true },
  { carrier: "DHL Express", origin: "HK", destination: "US", province: "CA", medianDays: 5, sigma: 0.25, weight: 10, trackingNumber: (n) => digits(4_000_000_000 + n, 10), estimates: true },
  { carrier: "DHL Express", origin: "CN", destination: "FR", province: null, medianDays: 7, sigma: 0.25, weight: 8, trackingNumber: (n) => digits(5_000_000_000 + n, 10), estimates: true },
  { carrier: "UPS", origin: "CN", destination: "US", province: "NY", medianDays: 7, sigma: 0.3, weight: 10, trackingNumber: (n) => `1Z999AA1${digits(n, 10)}`, estimates: true },
  { carrier: "UPS", origin: "HK", destination: "DE", province: "BE", medianDays: 8, sigma: 0.3, weight: 6, trackingNumber: (n) => `1Z999AA2${digits(n, 10)}`, estimates: true },
  { carrier: "EMS", origin: "CN", destination: "JP", province: "13", medianDays: 6, sigma: 0.3, weight: 9, trackingNumber: (n) => `EE${digits(n, 9)}CN` },
  { carrier: "EMS", origin: "CN", destination: "BR", province: "SP", medianDays: 20, sigma: 0.35, weight: 5, trackingNumber: (n) => `EB${digits(n, 9)}CN` },
  { carrier: "China Post", origin: "CN", destination: "BR", province: "RJ", medianDays: 26, sigma: 0.3, weight: 10, trackingNumber: (n) => `RR${digits(n, 9)}CN` },
  { carrier: "China Post", origin: "CN", destination: "FR", province: null, medianDays: 15, sigma: 0.35, weight: 8, trackingNumber: (n) => `RF${digits(n, 9)}CN` },
  { carrier: "SF Express", origin: "CN", destination: "JP", province: "27", medianDays: 4, sigma: 0.2, weight: 8, trackingNumber: (n) => `SF${digits(n, 13)}` },
  { carrier: "SF Express", origin: "HK", destination: "US", province: "WA", medianDays: 8, sigma: 0.3, weight: 5, trackingNumber: (n) => `SF${digits(9_000_000_000 + n, 13)}` },
  { carrier: "Correios", origin: "CN", destination: "BR", province: "MG", medianDays: 30, sigma: 0.35, weight: 7, trackingNumber: (n) => `LB${digits(n, 9)}BR` },
];

const LOCALES: Record<string, string> = { DE: "de", FR: "fr", US: "en", BR: "pt-BR", JP: "ja" };
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** mulberry32: a small seeded PRNG, so the demo's history is the same on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoHistory {
  orders: HistoryOrder[];
  shipments: number;
  customsHolds: number;
  neverDelivered: number;
}

export function demoHistory(now: Date, { orders: count = 1950, seed = 20261126, days = 58 } = {}): DemoHistory {
  const random = prng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const totalWeight = LANES.reduce((sum, lane) => sum + lane.weight, 0);
  const pickLane = () => {
    let r = random() * totalWeight;
    for (const lane of LANES) if ((r -= lane.weight) < 0) return lane;
    return LANES[0]!;
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  const orders: HistoryOrder[] = [];
  let shipments = 0;
  let customsHolds = 0;
  let neverDelivered = 0;
  let eventId = 0;
  for (let i = 0; i < count; i++) {
    const lane = pickLane();
    // Oldest first, spread over the window, none in the last day (those still arrive by webhook).
    const created = now.getTime() - (days - ((days - 1) * i) / count) * DAY - random() * 6 * HOUR;
    const orderId = 5_100_000_000 + i;
    const parcels = random() < 0.03 ? 2 : 1;
    const fulfillments: NonNullable<HistoryOrder["fulfillments"]> = [];
    let updated = created + HOUR;
    for (let p = 0; p < parcels; p++) {
      const n = shipments++;
      const shipped = created + (0.5 + random() * 2.5) * DAY;
      if (shipped > now.getTime() - HOUR) continue;
      let transit = lane.medianDays * Math.exp(lane.sigma * normal()) * DAY;
      const held = random() < 0.07;
      const lost = !held && now.getTime() - shipped > 45 * DAY && random() < 0.08;
      const events: Array<Record<string, unknown>> = [];
      const event = (status: string, at: number, message: string) => {
        events.push({ id: `gid://shopify/FulfillmentEvent/${7_100_000_000 + eventId++}`, status, happenedAt: iso(at), createdAt: iso(at + 10 * 60_000), message, estimatedDeliveryAt: null, city: null, country: null });
      };
      const pickedUp = shipped + (4 + random() * 20) * HOUR;
      if (pickedUp < now.getTime()) event("IN_TRANSIT", pickedUp, "Shipment picked up");
      if (held) {
        // Customs: a delay event, then nothing for a week or two before the parcel moves again.
        const holdAt = shipped + transit * 0.5;
        const holdDays = 5 + random() * 10;
        if (holdAt < now.getTime()) event("DELAYED", holdAt, "Held at customs: awaiting clearance");
        if (holdAt + holdDays * DAY < now.getTime()) event("IN_TRANSIT", holdAt + holdDays * DAY, "Released by customs");
        transit += holdDays * DAY;
        customsHolds++;
      } else if (!lost && shipped + transit * 0.6 < now.getTime()) {
        event("IN_TRANSIT", shipped + transit * 0.6, `Arrived in ${lane.destination}`);
      }
      const arrives = shipped + transit;
      const delivered = !lost && arrives < now.getTime();
      if (lost) neverDelivered++;
      if (delivered) {
        event("OUT_FOR_DELIVERY", arrives - 5 * HOUR, "Out for delivery");
        event("DELIVERED", arrives, "Delivered");
      }
      const last = events.length ? Date.parse(String(events.at(-1)!.happenedAt)) : shipped;
      updated = Math.max(updated, last + 15 * 60_000);
      fulfillments.push({
        id: `gid://shopify/Fulfillment/${6_100_000_000 + n}`,
        name: `#${2001 + i}.${p + 1}`,
        createdAt: iso(shipped),
        updatedAt: iso(last + 15 * 60_000),
        status: "SUCCESS",
        displayStatus: delivered ? "DELIVERED" : held && events.at(-1)?.status === "DELAYED" ? "DELAYED" : events.length ? "IN_TRANSIT" : "FULFILLED",
        deliveredAt: delivered ? iso(arrives) : null,
        inTransitAt: events.length ? String(events[0]!.happenedAt) : null,
        estimatedDeliveryAt: lane.estimates ? iso(shipped + lane.medianDays * DAY) : null,
        trackingInfo: [{ company: lane.carrier, number: lane.trackingNumber(n), url: null }],
        originAddress: { countryCode: lane.origin, provinceCode: null },
        events,
      });
    }
    orders.push({
      id: `gid://shopify/Order/${orderId}`,
      name: `#${2001 + i}`,
      email: `buyer${2001 + i}@example.test`,
      createdAt: iso(created),
      updatedAt: iso(updated),
      processedAt: iso(created),
      cancelledAt: null,
      displayFinancialStatus: "PAID",
      customerLocale: LOCALES[lane.destination] ?? "en",
      currencyCode: "USD",
      totalPriceSet: { shopMoney: { amount: (20 + Math.floor(random() * 18000) / 100).toFixed(2) } },
      shippingAddress: { countryCodeV2: lane.destination, provinceCode: lane.province },
      fulfillments,
    });
  }
  return { orders, shipments: orders.reduce((sum, o) => sum + (o.fulfillments?.length ?? 0), 0), customsHolds, neverDelivered };
}
