// What the data-layer suites share: each runs against SQLite (a migrated temp file) and against
// PostgreSQL when TEST_POSTGRES_URL is set (a fresh database per suite, dropped afterwards), and takes
// webhooks the way production does: the route's accept, then a worker's claim and processReceipt.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { createDb, type Db } from "~/db.server";
import { claimReceipt, InboxWriter, type AcceptOutcome, type WebhookDelivery } from "~/webhooks/inbox.server";
import { processReceipt, type RecordDeps } from "~/webhooks/record.server";
import { orderPayloadFor, type Buyer } from "#tests/demo/scenario";
import { openPostgres, openSqlite, type Backend, type Opened } from "../support/databases";

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const NOW = new Date("2026-11-20T12:00:00.000Z");
export const ago = (ms: number) => new Date(NOW.getTime() - ms);
export const later = (ms: number) => new Date(NOW.getTime() + ms);

// ---------------------------------------------------------------------------------------------------
// Backends

const sqlite: Backend = { name: "SQLite", open: openSqlite };
const postgres = (baseUrl: string): Backend => ({ name: "PostgreSQL", open: () => openPostgres(baseUrl) });

const POSTGRES_URL = process.env.TEST_POSTGRES_URL;
export const backends: Backend[] = [sqlite, ...(POSTGRES_URL ? [postgres(POSTGRES_URL)] : [])];

if (!POSTGRES_URL) {
  if (process.env.CI) {
    describe("PostgreSQL", () => {
      it("runs in CI", () => {
        throw new Error("TEST_POSTGRES_URL is not set: in CI the data-layer suites must run against PostgreSQL too");
      });
    });
  } else {
    console.warn(
      "\n[data-layer] PostgreSQL SKIPPED: TEST_POSTGRES_URL is not set, so only SQLite was tested.\n" +
        "[data-layer] Set e.g. TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/test to run the suites against PostgreSQL.\n",
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// Taking a webhook

export type Delivered = Exclude<AcceptOutcome, "accepted"> | "recorded" | "unknown_shop";
export type Deliver = (delivery: WebhookDelivery, deps?: Partial<RecordDeps>) => Promise<Delivered>;

/** The route's accept (one InboxWriter, as the route keeps), then a worker claiming and recording that delivery. */
export function webhookDeliverer(db: Db): Deliver {
  const inbox = new InboxWriter(db);
  return async (delivery, deps = {}) => {
    const accepted = await inbox.accept(delivery);
    if (accepted !== "accepted") return accepted;
    const seen = await db.webhookReceipt.findUniqueOrThrow({
      where: { shop_webhookId: { shop: delivery.shop, webhookId: delivery.webhookId } },
      select: { id: true, status: true, leaseUntil: true },
    });
    // As a worker would, at the wall clock.
    const now = new Date();
    const receipt = await claimReceipt(db, seen, now, MINUTE);
    const outcome = receipt ? await processReceipt({ db, ...deps }, receipt, now) : "already_processed";
    return outcome === "already_processed" ? "duplicate" : outcome;
  };
}

// ---------------------------------------------------------------------------------------------------
// Fixtures

export const buyer = (name: string, over: Partial<Buyer> = {}): Buyer => ({
  first: name,
  last: "Tester",
  email: `${name.toLowerCase()}@example.com`,
  locale: "en-US",
  country: "US",
  city: "Austin",
  zip: "78701",
  address1: "200 Congress Ave",
  ...over,
});

export const newShopDomain = (label: string) => `${label}-${randomBytes(5).toString("hex")}.myshopify.com`;

let webhookCounter = 0;
export function delivery(shop: string, topic: string, payload: unknown, ids: { webhookId?: string; eventId?: string; triggeredAt?: Date } = {}): WebhookDelivery {
  const webhookId = ids.webhookId ?? `wh-${++webhookCounter}-${randomBytes(3).toString("hex")}`;
  return { shop, topic, payload, webhookId, eventId: ids.eventId ?? `evt-${webhookId}`, triggeredAt: ids.triggeredAt ?? NOW };
}

/** Every row of every table, for "nothing changed" comparisons (timestamps included). */
export async function snapshot(db: Db) {
  const byId = { orderBy: { id: "asc" as const } };
  return {
    session: await db.session.findMany(byId),
    shop: await db.shop.findMany({ orderBy: { domain: "asc" } }),
    order: await db.order.findMany(byId),
    shipment: await db.shipment.findMany(byId),
    trackingEvent: await db.trackingEvent.findMany(byId),
    webhookReceipt: await db.webhookReceipt.findMany(byId),
    notification: await db.notification.findMany(byId),
    template: await db.template.findMany(byId),
    complianceRequest: await db.complianceRequest.findMany(byId),
    suppression: await db.suppression.findMany(byId),
    contactMessage: await db.contactMessage.findMany(byId),
  };
}

/** A shop's business records without ids, timestamps of the row itself or the shop, in a stable order. */
export async function records(db: Db, shop: string) {
  const strip = <T extends Record<string, unknown>>(rows: T[]) =>
    rows
      .map((row) => {
        const { id: _id, createdAt: _createdAt, updatedAt: _updatedAt, shop: _shop, ...rest } = row;
        return rest;
      })
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const where = { where: { shop } };
  return {
    order: strip(await db.order.findMany(where)),
    shipment: strip(await db.shipment.findMany(where)),
    trackingEvent: strip(await db.trackingEvent.findMany(where)),
    notification: strip(await db.notification.findMany(where)),
  };
}

/** Waits for every promise (none left running into the next test), then fails with the first error. */
export async function settle<T>(promises: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export function shuffled<T>(items: T[], seed: number): T[] {
  const random = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// One suite's database

export interface DataSuite {
  readonly opened: Opened;
  readonly db: Db;
  deliver: Deliver;
  newShop(label: string, data?: { name?: string; primaryLocale?: string }): Promise<string>;
  paidOrder(shop: string, id: number, who: Buyer, processed?: Date, extra?: Record<string, unknown>): Promise<ReturnType<typeof orderPayloadFor>>;
  notificationsOf(shop: string): ReturnType<Db["notification"]["findMany"]>;
}

/** Opens the backend's database for the enclosing describe (and closes it after). */
export function useDatabase(backend: Backend): DataSuite {
  let opened: Opened;
  let db: Db;
  let deliverer: Deliver;
  beforeAll(async () => {
    opened = await backend.open();
    db = createDb(opened.url);
    deliverer = webhookDeliverer(db);
  });
  afterAll(async () => {
    // Never hang the run on a connection a failed test left checked out; dropping the database ends it.
    await Promise.race([db?.$disconnect(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    await opened?.close();
  });
  const deliver: Deliver = (d, deps) => deliverer(d, deps);
  return {
    get opened() {
      return opened;
    },
    get db() {
      return db;
    },
    deliver,
    async newShop(label, data = {}) {
      const domain = newShopDomain(label);
      await db.shop.create({ data: { domain, ...data } });
      return domain;
    },
    async paidOrder(shop, id, who, processed = ago(DAY), extra = {}) {
      const payload = orderPayloadFor(id, id - 4000, who, { processed, updated: processed }, extra);
      expect(await deliver(delivery(shop, "orders/paid", payload))).toBe("recorded");
      return payload;
    },
    notificationsOf: (shop) => db.notification.findMany({ where: { shop }, orderBy: { planKey: "asc" } }),
  };
}
