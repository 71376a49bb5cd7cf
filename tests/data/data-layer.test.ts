// The data layer against real databases: webhook ingest, compliance, planning and the worker, through
// the Prisma client the app uses. One suite, run against SQLite (a migrated temp file) and against
// PostgreSQL when TEST_POSTGRES_URL is set (a fresh database per run, dropped afterwards).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/db.server";
import { acceptWebhook, ingestWebhook, MalformedPayloadError, processReceipt, type IngestDeps, type WebhookDelivery } from "~/webhooks/ingest.server";
import { claimReceipts, processInbox, type InboxResult } from "~/webhooks/inbox.server";
import { demoScenario, fulfillmentEventFor, fulfillmentPayloadFor, orderPayloadFor, type Buyer } from "#tests/demo/scenario";
import { orderFacts, orderPayload, type OrderFacts } from "~/orders/payload";
import { claimDue, runBatch, type WorkerOptions } from "~/notifications/worker.server";
import { startCaptureServer, type CaptureServer } from "#tests/standins/capture-server";
import { createSendGridMailer } from "~/mail/sendgrid.server";
import { REDACTED } from "~/compliance/compliance.server";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = new Date("2026-11-20T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const later = (ms: number) => new Date(NOW.getTime() + ms);

// ---------------------------------------------------------------------------------------------------
// Backends

import { openPostgres, openSqlite, type Backend, type Opened } from "../support/databases";
import { randomBytes } from "node:crypto";

const sqlite: Backend = { name: "SQLite", open: openSqlite };
const postgres = (baseUrl: string): Backend => ({ name: "PostgreSQL", open: () => openPostgres(baseUrl) });

const POSTGRES_URL = process.env.TEST_POSTGRES_URL;
const backends: Backend[] = [sqlite, ...(POSTGRES_URL ? [postgres(POSTGRES_URL)] : [])];

if (!POSTGRES_URL) {
  if (process.env.CI) {
    describe("PostgreSQL", () => {
      it("runs in CI", () => {
        throw new Error("TEST_POSTGRES_URL is not set: in CI the data-layer suite must run against PostgreSQL too");
      });
    });
  } else {
    console.warn(
      "\n[data-layer] PostgreSQL SKIPPED: TEST_POSTGRES_URL is not set, so only SQLite was tested.\n" +
        "[data-layer] Set e.g. TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/test to run the suite against PostgreSQL.\n",
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// Fixtures

const buyer = (name: string, over: Partial<Buyer> = {}): Buyer => ({
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

const newShopDomain = (label: string) => `${label}-${randomBytes(5).toString("hex")}.myshopify.com`;

let webhookCounter = 0;
function delivery(shop: string, topic: string, payload: unknown, ids: { webhookId?: string; eventId?: string; triggeredAt?: Date } = {}): WebhookDelivery {
  const webhookId = ids.webhookId ?? `wh-${++webhookCounter}-${randomBytes(3).toString("hex")}`;
  return { shop, topic, payload, webhookId, eventId: ids.eventId ?? `evt-${webhookId}`, triggeredAt: ids.triggeredAt ?? NOW };
}

/** Every row of every table, for "nothing changed" comparisons (timestamps included). */
async function snapshot(db: Db) {
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
  };
}

/** A shop's business records without ids, timestamps of the row itself or the shop, in a stable order. */
async function records(db: Db, shop: string) {
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
async function settle<T>(promises: Promise<T>[]): Promise<T[]> {
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
function shuffled<T>(items: T[], seed: number): T[] {
  const random = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------

describe.each(backends)("data layer on $name", (backend) => {
  let opened: Opened;
  let db: Db;
  let capture: CaptureServer;

  beforeAll(async () => {
    opened = await backend.open();
    db = createDb(opened.url);
    capture = await startCaptureServer();
  });
  afterAll(async () => {
    await capture?.close();
    // Never hang the run on a connection a failed test left checked out; dropping the database ends it.
    await Promise.race([db?.$disconnect(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    await opened?.close();
  });

  const ingest = (d: WebhookDelivery, deps: Partial<IngestDeps> = {}) => ingestWebhook(d, { db, ...deps });
  async function newShop(label: string, data: { name?: string; primaryLocale?: string } = {}): Promise<string> {
    const domain = newShopDomain(label);
    await db.shop.create({ data: { domain, ...data } });
    return domain;
  }
  async function paidOrder(shop: string, id: number, who: Buyer, processed = ago(DAY), extra: Record<string, unknown> = {}) {
    const payload = orderPayloadFor(id, id - 4000, who, { processed, updated: processed }, extra);
    expect(await ingest(delivery(shop, "orders/paid", payload))).toBe("recorded");
    return payload;
  }
  const notificationsOf = (shop: string) => db.notification.findMany({ where: { shop }, orderBy: { planKey: "asc" } });

  describe("ingest", () => {
    it("needs the shop's row: an unknown shop's webhook is 'unknown_shop' and writes nothing", async () => {
      const domain = newShopDomain("unknown");
      const payload = orderPayloadFor(5001, 1001, buyer("Ann"), { processed: ago(DAY), updated: ago(DAY) });
      const before = await snapshot(db);
      for (const topic of ["orders/paid", "fulfillments/create", "app/uninstalled"]) {
        expect(await ingest(delivery(domain, topic, payload))).toBe("unknown_shop");
      }
      expect(await snapshot(db)).toEqual(before);

      await db.shop.create({ data: { domain } });
      const first = delivery(domain, "orders/paid", payload);
      expect(await ingest(first)).toBe("recorded");
      const order = await db.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop: domain, shopifyId: "5001" } } });
      expect(order).toMatchObject({ email: "ann@example.com", name: "#1001", paidAt: ago(DAY), locale: "en-US", destinationCountry: "US" });
      expect(await db.webhookReceipt.count({ where: { shop: domain, webhookId: first.webhookId } })).toBe(1);
    });

    it("a replayed webhook id is 'duplicate' and changes nothing, even with another payload", async () => {
      const shop = await newShop("replay");
      const order = orderPayloadFor(5001, 1001, buyer("Ann"), { processed: ago(3 * DAY), updated: ago(3 * DAY) });
      const fulfillment = fulfillmentPayloadFor(7001, 5001, "UPS", "1Z999AA10123456784", "US", { created: ago(2 * DAY), updated: ago(2 * DAY) });
      const event = fulfillmentEventFor(9001, 7001, 5001, "in_transit", ago(DAY));
      const deliveries = [delivery(shop, "orders/paid", order), delivery(shop, "fulfillments/create", fulfillment), delivery(shop, "fulfillment_events/create", event)];
      for (const d of deliveries) expect(await ingest(d)).toBe("recorded");
      const before = await snapshot(db);

      for (const d of deliveries) expect(await ingest(d)).toBe("duplicate");
      // Same webhook id, newer content: still the same delivery, so still nothing changes.
      const changed = { ...order, email: "someone.else@example.com", updated_at: NOW.toISOString() };
      expect(await ingest({ ...deliveries[0], payload: changed })).toBe("duplicate");
      expect(await snapshot(db)).toEqual(before);
    });

    it("the same event id on a second webhook id of the same topic is 'duplicate'", async () => {
      const shop = await newShop("event");
      const order = orderPayloadFor(5004, 1004, buyer("John"), { processed: ago(MINUTE), updated: ago(MINUTE) });
      const first = delivery(shop, "orders/paid", order, { webhookId: "wh-a", eventId: "evt-1" });
      expect(await ingest(first)).toBe("recorded");
      const before = await snapshot(db);
      expect(await ingest(delivery(shop, "orders/paid", order, { webhookId: "wh-b", eventId: "evt-1" }))).toBe("duplicate");
      expect(await snapshot(db)).toEqual(before);
      // A new event id on the same topic is a new delivery.
      expect(await ingest(delivery(shop, "orders/paid", order, { webhookId: "wh-c", eventId: "evt-2" }))).toBe("recorded");
      expect(await db.webhookReceipt.count({ where: { shop } })).toBe(2);
    });

    it("the demo scenario ingested in order and in shuffled orders ends in the same records", async () => {
      const scenarioFor = (shop: string) => demoScenario(NOW, shop).steps;
      // What the Admin API would answer: each order as Shopify has it now (its latest payload).
      const latestOrders = new Map<string, OrderFacts>();
      for (const step of scenarioFor("any.myshopify.com")) {
        if (!step.topic.startsWith("orders/")) continue;
        const facts = orderFacts(orderPayload.parse(step.payload));
        const known = latestOrders.get(facts.shopifyId);
        if (!known || known.shopifyUpdatedAt < facts.shopifyUpdatedAt) latestOrders.set(facts.shopifyId, facts);
      }

      async function run(order: (steps: ReturnType<typeof scenarioFor>) => ReturnType<typeof scenarioFor>) {
        const shop = await newShop("scenario");
        const fetched: string[] = [];
        const fetchOrder = async (id: string) => {
          fetched.push(id);
          return latestOrders.get(id) ?? null;
        };
        const outcomes: string[] = [];
        const steps = order(scenarioFor(shop));
        for (const step of steps) {
          outcomes.push(
            await ingest(
              { shop, topic: step.topic, payload: step.payload, webhookId: step.webhookId!, eventId: step.eventId, triggeredAt: new Date(step.triggeredAt!) },
              { fetchOrder },
            ),
          );
        }
        return { shop, fetched, outcomes, steps };
      }

      const inOrder = await run((steps) => steps);
      // One replayed webhook id and one event delivered to two subscriptions: two duplicates.
      expect(inOrder.outcomes.filter((o) => o === "duplicate")).toHaveLength(2);
      expect(inOrder.outcomes.filter((o) => o === "recorded")).toHaveLength(13);
      expect(inOrder.fetched).toEqual(["5003"]); // Yuki's fulfillment came before her order
      const expected = await records(db, inOrder.shop);

      // Sanity of the reference run itself.
      expect(expected.order).toHaveLength(5);
      expect(expected.shipment).toHaveLength(3);
      expect(expected.trackingEvent).toHaveLength(3);
      const maria = expected.order.find((o) => o.shopifyId === "5005")!;
      expect(maria.cancelledAt).toEqual(ago(HOUR));
      expect(maria.financialStatus).toBe("refunded");
      const camille = expected.shipment.find((s) => s.shopifyId === "7002")!;
      expect(camille).toMatchObject({ deliveredAt: ago(9 * DAY), shipmentStatus: "delivered", lastEventAt: ago(9 * DAY) });
      const live = expected.notification.filter((n) => n.status === "scheduled").map((n) => n.planKey).sort();
      // A handling commitment is planned only while an order has no live shipment: 5004 (not shipped) keeps
      // one; 5001–5003 have shipments, so theirs were withdrawn (or never planned) and nothing of theirs is
      // left to send but the confirmations and feedback requests.
      // Shipments not yet delivered also carry their delay notice, waiting for the window to pass.
      expect(live).toEqual([
        "delay_notice:7001",
        "delay_notice:7003",
        "feedback_request:5001",
        "feedback_request:5002",
        "feedback_request:5003",
        "handling_commitment:5004",
        "shipping_confirmation:7001",
        "shipping_confirmation:7002",
        "shipping_confirmation:7003",
      ]);
      expect(expected.notification.filter((n) => n.orderShopifyId === "5005" && n.status === "scheduled")).toEqual([]);
      // In order: Anna's and Camille's orders were paid before they shipped (planned, then withdrawn), Maria
      // paid before she cancelled (ditto); Yuki's order was fetched together with her shipment, so hers was
      // never planned at all.
      expect(expected.notification.filter((n) => n.status === "cancelled").map((n) => n.planKey).sort()).toEqual([
        "delay_notice:7002",
        "handling_commitment:5001",
        "handling_commitment:5002",
        "handling_commitment:5005",
      ]);

      // A plan entry that a later webhook withdraws stays behind as a "cancelled" row, so which cancelled
      // rows exist depends on the order; everything else must match exactly. Besides 7002's delay notice
      // (see checkWithdrawn), the only entry ever withdrawn is an order's handling commitment, and it exists (cancelled) exactly when the order was recorded
      // paid while it had no shipment and was not cancelled, and later shipped or was cancelled:
      //  - 5001–5003: the order's own webhook came before its fulfillment. A fulfillment that comes first
      //    fetches the order and records both in one transaction, so the commitment is never planned.
      //  - 5005 (Maria): a paid version (orders/paid, or the stale orders/updated, which is only stale once
      //    the cancellation is stored) came before orders/cancelled.
      //  - 5004 is never shipped nor cancelled: its commitment is always "scheduled", never withdrawn.
      // Carrier events never plan or withdraw anything by themselves (they record no order or shipment).
      type Step = ReturnType<typeof scenarioFor>[number];
      const about = (step: Step) => step.payload as { id?: number; order_id?: number };
      const firstIndex = (steps: Step[], test: (step: Step) => boolean) => {
        const i = steps.findIndex(test);
        return i < 0 ? Infinity : i;
      };
      const withdrawnFor = (steps: Step[]) => {
        const keys: string[] = [];
        for (const id of [5001, 5002, 5003]) {
          const ordered = firstIndex(steps, (s) => s.topic.startsWith("orders/") && about(s).id === id);
          const shipped = firstIndex(steps, (s) => s.topic.startsWith("fulfillments/") && about(s).order_id === id);
          if (ordered < shipped) keys.push(`handling_commitment:${id}`);
        }
        const mariaPaid = firstIndex(steps, (s) => (s.topic === "orders/paid" || s.topic === "orders/updated") && about(s).id === 5005);
        const mariaCancelled = firstIndex(steps, (s) => s.topic === "orders/cancelled" && about(s).id === 5005);
        if (mariaPaid < mariaCancelled) keys.push("handling_commitment:5005");
        return keys.sort();
      };
      const comparable = (r: Awaited<ReturnType<typeof records>>) => ({ ...r, notification: r.notification.filter((n) => n.status !== "cancelled") });
      // A withdrawn row is the commitment as it was planned (from the order's one paid version), never handed off;
      // the same plan key must be the same row whichever run it comes from.
      const withdrawnRows = new Map<string, unknown>();
      const checkWithdrawn = (r: Awaited<ReturnType<typeof records>>, steps: Step[], label: string) => {
        // Camille's parcel (7002) is delivered: a delay notice planned while it travelled (when its
        // fulfillment was recorded before the delivery event) is withdrawn; no other message ever is.
        const otherWithdrawn = r.notification.filter((n) => n.status === "cancelled" && n.kind !== "handling_commitment");
        expect(otherWithdrawn.map((n) => n.planKey).filter((k) => k !== "delay_notice:7002"), label).toEqual([]);
        const cancelled = r.notification.filter((n) => n.status === "cancelled" && n.kind === "handling_commitment");
        expect(cancelled.map((n) => n.planKey).sort(), label).toEqual(withdrawnFor(steps));
        for (const n of cancelled) {
          const order = r.order.find((o) => o.shopifyId === n.orderShopifyId)!;
          expect(n, `${label} ${n.planKey}`).toMatchObject({
            kind: "handling_commitment",
            recipient: latestOrders.get(n.orderShopifyId)!.email,
            scheduledFor: new Date(order.paidAt!.getTime() + 10 * MINUTE),
            attempts: 0,
            sentAt: null,
            providerMessageId: null,
          });
          if (!withdrawnRows.has(n.planKey)) withdrawnRows.set(n.planKey, n);
          expect(n, `${label} ${n.planKey} same as in other runs`).toEqual(withdrawnRows.get(n.planKey));
        }
        return cancelled.map((n) => n.planKey);
      };
      checkWithdrawn(expected, inOrder.steps, "in order");
      const seen = new Set<string>();
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const run2 = await run((steps) => shuffled(steps, seed));
        expect(run2.outcomes.filter((o) => o === "duplicate")).toHaveLength(2);
        const got = await records(db, run2.shop);
        expect(comparable(got), `shuffle seed ${seed}`).toEqual(comparable(expected));
        const withdrawn = checkWithdrawn(got, run2.steps, `shuffle seed ${seed}`);
        seen.add(withdrawn.join(","));
      }
      // The shuffles do exercise the order-dependence (otherwise this would only re-test the reference run).
      expect(seen.size, [...seen].join(" | ")).toBeGreaterThan(1);
    });

    it("a stale orders/updated (or fulfillments/update) changes nothing; a newer one updates the order and its notifications", async () => {
      const shop = await newShop("stale");
      const who = buyer("Sam");
      await paidOrder(shop, 5001, who, ago(2 * HOUR));
      const current = orderPayloadFor(5001, 1001, who, { processed: ago(2 * HOUR), updated: ago(HOUR) });
      expect(await ingest(delivery(shop, "orders/updated", current))).toBe("recorded");
      const shipped = { created: ago(HOUR), updated: ago(30 * MINUTE) };
      expect(await ingest(delivery(shop, "fulfillments/create", fulfillmentPayloadFor(7001, 5001, "UPS", "1Z999AA10123456784", "US", shipped)))).toBe("recorded");
      const { webhookReceipt: _receipts, ...before } = await snapshot(db);

      const stale = orderPayloadFor(5001, 1001, { ...who, email: "old.address@example.com" }, { processed: ago(2 * HOUR), updated: ago(90 * MINUTE) });
      expect(await ingest(delivery(shop, "orders/updated", stale))).toBe("recorded");
      const staleShipment = fulfillmentPayloadFor(7001, 5001, "UPS", "1Z999AA19999999999", "US", { created: ago(HOUR), updated: ago(45 * MINUTE) }, { status: "cancelled" });
      expect(await ingest(delivery(shop, "fulfillments/update", staleShipment))).toBe("recorded");
      const { webhookReceipt: _after, ...after } = await snapshot(db);
      expect(after).toEqual(before);
      expect(await db.webhookReceipt.count({ where: { shop } })).toBe(5); // received, just stale

      const newer = orderPayloadFor(5001, 1001, { ...who, email: "new.address@example.com", locale: "fr" }, { processed: ago(2 * HOUR), updated: ago(MINUTE) });
      expect(await ingest(delivery(shop, "orders/updated", newer))).toBe("recorded");
      const order = await db.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: "5001" } } });
      expect(order).toMatchObject({ email: "new.address@example.com", locale: "fr", shopifyUpdatedAt: ago(MINUTE), paidAt: ago(2 * HOUR) });
      // The order has shipped, so its handling commitment was withdrawn when the fulfillment arrived and the
      // newer update does not bring it back; every message still planned follows the new address and locale.
      const after2 = await notificationsOf(shop);
      expect(after2.map((n) => [n.planKey, n.status])).toEqual([
        ["delay_notice:7001", "scheduled"],
        ["feedback_request:5001", "scheduled"],
        ["handling_commitment:5001", "cancelled"],
        ["shipping_confirmation:7001", "scheduled"],
      ]);
      for (const n of after2.filter((n) => n.status === "scheduled")) {
        expect(n, n.planKey).toMatchObject({ recipient: "new.address@example.com", locale: "fr" });
      }
    });

    it("orders/cancelled cancels the order's scheduled notifications and leaves sent ones alone", async () => {
      const shop = await newShop("cancel");
      const order = await paidOrder(shop, 5001, buyer("Cat"), ago(DAY));
      await paidOrder(shop, 5002, buyer("Dan"), ago(DAY));
      // 5001's handling commitment went out while nothing had shipped; the fulfillment leaves it as sent
      // (replanning never touches a handed-off message).
      await db.notification.update({
        where: { shop_planKey: { shop, planKey: "handling_commitment:5001" } },
        data: { status: "sent", sentAt: ago(3 * HOUR), providerMessageId: "msg-1" },
      });
      const fulfillment = fulfillmentPayloadFor(7001, 5001, "UPS", "1Z999AA10123456784", "US", { created: ago(2 * HOUR), updated: ago(2 * HOUR) });
      expect(await ingest(delivery(shop, "fulfillments/create", fulfillment))).toBe("recorded");
      expect(await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "handling_commitment:5001" } } })).toMatchObject({
        status: "sent",
        providerMessageId: "msg-1",
      });

      const cancelled = { ...order, cancelled_at: ago(MINUTE).toISOString(), updated_at: ago(MINUTE).toISOString(), financial_status: "refunded" };
      expect(await ingest(delivery(shop, "orders/cancelled", cancelled))).toBe("recorded");
      const byKey = Object.fromEntries((await notificationsOf(shop)).map((n) => [n.planKey, n.status]));
      expect(byKey).toEqual({
        "handling_commitment:5001": "sent",
        "shipping_confirmation:7001": "cancelled",
        "delay_notice:7001": "cancelled",
        "feedback_request:5001": "cancelled",
        "handling_commitment:5002": "scheduled",
      });
      expect((await db.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: "5001" } } })).cancelledAt).toEqual(ago(MINUTE));
    });

    it("app/uninstalled cancels every scheduled notification, deletes sessions and marks the shop; other shops untouched", async () => {
      const shop = await newShop("uninstall");
      const other = await newShop("stays");
      for (const domain of [shop, other]) {
        await paidOrder(domain, 5001, buyer("Eve"), ago(DAY));
        await paidOrder(domain, 5002, buyer("Fay"), ago(DAY));
        await db.session.create({ data: { id: `offline_${domain}`, shop: domain, state: "", accessToken: "shpat_x" } });
        await db.session.create({ data: { id: `online_${domain}`, shop: domain, state: "", accessToken: "shpat_y", isOnline: true, userId: 42n } });
      }
      await db.notification.update({ where: { shop_planKey: { shop, planKey: "handling_commitment:5002" } }, data: { status: "sent" } });
      const otherBefore = { sessions: await db.session.findMany({ where: { shop: other } }), notifications: await notificationsOf(other), shop: await db.shop.findUnique({ where: { domain: other } }) };

      const triggeredAt = ago(5 * MINUTE);
      expect(await ingest(delivery(shop, "app/uninstalled", { id: 1, domain: shop }, { triggeredAt }))).toBe("recorded");

      expect((await db.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).toEqual(triggeredAt);
      expect(await db.session.count({ where: { shop } })).toBe(0);
      const statuses = (await notificationsOf(shop)).map((n) => [n.planKey, n.status, n.lastError]);
      expect(statuses).toEqual([
        ["handling_commitment:5001", "cancelled", "the shop uninstalled Parcelwise"],
        ["handling_commitment:5002", "sent", null],
      ]);
      // A later webhook for the uninstalled shop plans nothing.
      expect(await ingest(delivery(shop, "orders/paid", orderPayloadFor(5003, 1003, buyer("Gus"), { processed: ago(MINUTE), updated: ago(MINUTE) })))).toBe("recorded");
      expect(await db.notification.count({ where: { shop, orderShopifyId: "5003" } })).toBe(0);

      expect({ sessions: await db.session.findMany({ where: { shop: other } }), notifications: await notificationsOf(other), shop: await db.shop.findUnique({ where: { domain: other } }) }).toEqual(otherBefore);
    });

    it("concurrent webhooks for one order are all recorded, copies are duplicates, and the newest data wins", async () => {
      // Shopify sends orders/create, orders/paid and orders/updated for a new order within milliseconds,
      // and several app instances (or one instance's concurrent requests) ingest them at once.
      const topics = ["orders/create", "orders/paid", "orders/updated"];
      for (const round of [1, 2, 3, 4]) {
        const shop = await newShop(`race${round}`);
        const versions = Array.from({ length: 6 }, (_, i) =>
          delivery(shop, topics[i % 3], orderPayloadFor(5001, 1001, buyer("Rae", { email: `v${i + 1}@example.com` }), { processed: ago(DAY), updated: ago(DAY - (i + 1) * MINUTE) })),
        );
        const copies = [versions[2], versions[2]];
        const outcomes = await settle(shuffled([...versions, ...copies], round).map((d) => ingest(d)));
        expect(outcomes.filter((o) => o === "recorded"), `round ${round}: ${outcomes.join(", ")}`).toHaveLength(6);
        expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(2);
        expect(await db.webhookReceipt.count({ where: { shop } })).toBe(6);
        const order = await db.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: "5001" } } });
        expect(order, `round ${round}`).toMatchObject({ email: "v6@example.com", shopifyUpdatedAt: ago(DAY - 6 * MINUTE) });
        const notifications = await notificationsOf(shop);
        expect(notifications.map((n) => [n.planKey, n.status, n.recipient])).toEqual([["handling_commitment:5001", "scheduled", "v6@example.com"]]);
      }
    });

    it("concurrent webhooks for one fulfillment are all recorded and the newest fulfillment data wins", async () => {
      for (const round of [1, 2, 3, 4]) {
        const shop = await newShop(`frace${round}`);
        await paidOrder(shop, 5001, buyer("Ray"), ago(3 * DAY));
        const versions = Array.from({ length: 5 }, (_, i) =>
          delivery(
            shop,
            i === 0 ? "fulfillments/create" : "fulfillments/update",
            fulfillmentPayloadFor(7001, 5001, "UPS", `1Z999AA1000000000${i + 1}`, "US", { created: ago(2 * DAY), updated: ago(DAY - (i + 1) * MINUTE) }),
          ),
        );
        const events = [
          delivery(shop, "fulfillment_events/create", fulfillmentEventFor(9001, 7001, 5001, "in_transit", ago(DAY))),
          delivery(shop, "fulfillment_events/create", fulfillmentEventFor(9002, 7001, 5001, "out_for_delivery", ago(HOUR))),
        ];
        const outcomes = await settle(shuffled([...versions, ...events], round).map((d) => ingest(d)));
        expect(outcomes, `round ${round}`).toEqual(Array(7).fill("recorded"));
        const shipment = await db.shipment.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: "7001" } } });
        expect(shipment, `round ${round}`).toMatchObject({
          trackingNumbers: JSON.stringify(["1Z999AA10000000005"]),
          shopifyUpdatedAt: ago(DAY - 5 * MINUTE),
          shipmentStatus: "out_for_delivery",
          lastEventAt: ago(HOUR),
        });
        expect(await db.trackingEvent.count({ where: { shop } })).toBe(2);
        const confirmation = await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "shipping_confirmation:7001" } } });
        expect(confirmation).toMatchObject({ status: "scheduled", trackingNumber: "1Z999AA10000000005" });
        // Whichever delivery ran first, the order has a live shipment now: its handling commitment is withdrawn.
        expect((await notificationsOf(shop)).map((n) => [n.planKey, n.status]), `round ${round}`).toEqual([
          ["delay_notice:7001", "scheduled"],
          ["feedback_request:5001", "scheduled"],
          ["handling_commitment:5001", "cancelled"],
          ["shipping_confirmation:7001", "scheduled"],
        ]);
      }
    });

    it("a malformed payload throws MalformedPayloadError and writes nothing (not even a receipt)", async () => {
      const shop = await newShop("malformed");
      await paidOrder(shop, 5001, buyer("Hal"), ago(DAY));
      const good = orderPayloadFor(5001, 1001, buyer("Hal"), { processed: ago(DAY), updated: ago(HOUR) });
      const { updated_at: _u, ...withoutUpdatedAt } = good;
      const bad: Array<[string, unknown]> = [
        ["orders/updated", withoutUpdatedAt],
        ["orders/paid", { ...good, id: "" }],
        ["orders/cancelled", "not an object"],
        ["fulfillments/create", { ...fulfillmentPayloadFor(7001, 5001, "UPS", "1Z1", "US", { created: ago(HOUR), updated: ago(HOUR) }), created_at: "yesterday" }],
        ["fulfillment_events/create", { ...fulfillmentEventFor(9001, 7001, 5001, "in_transit", ago(HOUR)), happened_at: "not a date" }],
        ["customers/redact", { orders_to_redact: [5001] }],
        ["app/scopes_update", { current: "read_orders" }],
      ];
      const before = await snapshot(db);
      for (const [topic, payload] of bad) {
        const d = delivery(shop, topic, payload, { webhookId: `wh-bad-${topic}` });
        await expect(ingest(d), topic).rejects.toBeInstanceOf(MalformedPayloadError);
      }
      expect(await snapshot(db)).toEqual(before);
      // Nothing was recorded, so Shopify's retry with a fixed payload is not taken for a duplicate.
      expect(await ingest(delivery(shop, "orders/updated", good, { webhookId: "wh-bad-orders/updated" }))).toBe("recorded");
    });
  });

  describe("inbox", () => {
    const waiting = () => db.webhookReceipt.count({ where: { status: { in: ["pending", "processing"] } } });
    // processInbox claims across all shops. ingestWebhook (accept and process at once) leaves nothing waiting,
    // and each test here drains what it accepts, so every test starts with an empty inbox.
    beforeEach(async () => expect(await waiting()).toBe(0));
    // A receipt becomes available at the clock of its insert (the column default), which is the wall clock,
    // not this suite's NOW: process "now", plus a margin for the database rounding to milliseconds.
    const wallNow = () => new Date(Date.now() + SECOND);
    const nothing: InboxResult = { claimed: 0, processed: 0, retried: 0, failed: 0 };

    it("acceptWebhook only stores a delivery, deduplicated; processInbox records it once and drops the payload; one that can never be processed fails at once, a passing failure is retried with backoff", async () => {
      const shop = await newShop("inbox");
      const payload = orderPayloadFor(5001, 1001, buyer("Ida"), { processed: ago(HOUR), updated: ago(HOUR) });
      const first = delivery(shop, "orders/paid", payload, { webhookId: "wh-inbox-1", eventId: "evt-inbox-1" });
      expect(await acceptWebhook(db, first)).toBe("accepted");
      expect(await acceptWebhook(db, first)).toBe("duplicate");
      // The same event delivered to a second subscription (another webhook id).
      expect(await acceptWebhook(db, { ...first, webhookId: "wh-inbox-2" })).toBe("duplicate");
      expect(await acceptWebhook(db, { ...first, webhookId: "wh-inbox-3", topic: "products/update" })).toBe("ignored_topic");
      const receipts = await db.webhookReceipt.findMany({ where: { shop } });
      expect(receipts).toHaveLength(1);
      const [receipt] = receipts;
      expect(receipt).toMatchObject({ topic: "orders/paid", webhookId: "wh-inbox-1", eventId: "evt-inbox-1", triggeredAt: NOW, status: "pending", attempts: 0, leaseUntil: null, lastError: null, processedAt: null });
      expect(JSON.parse(receipt.payload!)).toEqual(payload);
      // The request's half records and plans nothing.
      expect(await db.order.count({ where: { shop } })).toBe(0);
      expect(await db.notification.count({ where: { shop } })).toBe(0);

      // A delivery for a shop that is not installed is accepted (the request does not look it up) and ignored.
      const stranger = newShopDomain("inbox-unknown");
      expect(await acceptWebhook(db, delivery(stranger, "orders/paid", payload))).toBe("accepted");
      // A receipt that can never be processed: acceptWebhook never stores a payload that is not JSON, so insert one.
      const broken = await db.webhookReceipt.create({ data: { shop, topic: "orders/paid", webhookId: "wh-inbox-broken", eventId: "evt-inbox-broken", payload: "{not json" } });

      const now = wallNow();
      expect(await processInbox({ db, now })).toEqual({ claimed: 3, processed: 2, retried: 0, failed: 1 });
      expect(await db.webhookReceipt.findUniqueOrThrow({ where: { id: receipt.id } })).toMatchObject({
        status: "processed",
        payload: null,
        processedAt: now,
        attempts: 1,
        leaseUntil: null,
        lastError: null,
      });
      expect(await db.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: "5001" } } })).toMatchObject({ email: "ida@example.com", paidAt: ago(HOUR) });
      expect((await notificationsOf(shop)).map((n) => [n.planKey, n.status, n.scheduledFor])).toEqual([["handling_commitment:5001", "scheduled", ago(50 * MINUTE)]]);
      expect(await db.webhookReceipt.findFirstOrThrow({ where: { shop: stranger } })).toMatchObject({ status: "ignored", payload: null, processedAt: now });
      expect(await db.order.count({ where: { shop: stranger } })).toBe(0);
      // Not JSON is malformed for good: failed at once, visibly, and never claimed again.
      const failed = await db.webhookReceipt.findUniqueOrThrow({ where: { id: broken.id } });
      expect(failed).toMatchObject({ status: "failed", attempts: 1, leaseUntil: null, processedAt: null });
      expect(failed.lastError).toMatch(/not JSON/);
      expect(await processInbox({ db, now: new Date(now.getTime() + DAY) })).toEqual(nothing);

      // A passing failure (the database refuses a transaction) is retried after 2^attempts seconds, then failed.
      const flaky = orderPayloadFor(5002, 1002, buyer("Flo"), { processed: ago(HOUR), updated: ago(HOUR) });
      expect(await acceptWebhook(db, delivery(shop, "orders/paid", flaky, { webhookId: "wh-inbox-flaky", eventId: "evt-inbox-flaky" }))).toBe("accepted");
      let refusals = 2;
      const refusing = new Proxy(db, {
        get(target, property) {
          if (property === "$transaction" && refusals > 0) {
            refusals--;
            return () => Promise.reject(new Error("database is locked"));
          }
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      const tFlaky = new Date(now.getTime() + DAY);
      expect(await processInbox({ db: refusing, now: tFlaky })).toEqual({ claimed: 1, processed: 0, retried: 1, failed: 0 });
      const retried = await db.webhookReceipt.findFirstOrThrow({ where: { shop, webhookId: "wh-inbox-flaky" } });
      expect(retried).toMatchObject({ status: "pending", attempts: 1, leaseUntil: null, processedAt: null, availableAt: new Date(tFlaky.getTime() + 2 * SECOND) });
      expect(retried.lastError).toMatch(/locked/);
      expect(JSON.parse(retried.payload!)).toEqual(flaky);
      expect(await processInbox({ db: refusing, now: new Date(tFlaky.getTime() + 2 * SECOND - 1) })).toEqual(nothing);
      const tFlaky2 = new Date(tFlaky.getTime() + 2 * SECOND);
      expect(await processInbox({ db: refusing, now: tFlaky2, maxAttempts: 2 })).toEqual({ claimed: 1, processed: 0, retried: 0, failed: 1 });
      expect(await db.webhookReceipt.findFirstOrThrow({ where: { shop, webhookId: "wh-inbox-flaky" } })).toMatchObject({ status: "failed", attempts: 2 });
      expect(await db.order.count({ where: { shop, shopifyId: "5002" } })).toBe(0);

      // Neither it nor the processed one changed anything after the fact.
      expect(await db.order.count({ where: { shop } })).toBe(1);
      expect(await notificationsOf(shop)).toHaveLength(1);

      // Shopify retrying after processing is still a duplicate: the receipt stays, without its payload.
      expect(await acceptWebhook(db, first)).toBe("duplicate");

      // A worker whose lease expires before it gets to a delivery: another worker claims it again and records it,
      // and when the first one gets there, the receipt is already processed and nothing happens twice.
      const update = orderPayloadFor(5001, 1001, buyer("Ida", { email: "ida.new@example.com" }), { processed: ago(HOUR), updated: ago(MINUTE) });
      expect(await acceptWebhook(db, delivery(shop, "orders/updated", update))).toBe("accepted");
      const t0 = wallNow();
      const [slow, ...others] = await claimReceipts(db, t0, 10, SECOND);
      expect(others).toEqual([]);
      expect(await claimReceipts(db, t0, 10, SECOND)).toEqual([]); // leased
      const t1 = new Date(t0.getTime() + SECOND + 1);
      const [fast] = await claimReceipts(db, t1, 10, SECOND);
      expect(fast).toMatchObject({ id: slow.id, status: "processing", attempts: 2 });
      expect(await processReceipt({ db }, fast, t1)).toBe("recorded");
      const once = await records(db, shop);
      expect(once.order.map((o) => o.email)).toEqual(["ida.new@example.com"]);
      expect(once.notification.map((n) => [n.planKey, n.status, n.recipient])).toEqual([["handling_commitment:5001", "scheduled", "ida.new@example.com"]]);
      expect(await processReceipt({ db }, slow, t1)).toBe("already_processed");
      expect(await records(db, shop)).toEqual(once);
      expect(await db.webhookReceipt.findUniqueOrThrow({ where: { id: slow.id } })).toMatchObject({ status: "processed", payload: null, processedAt: t1, attempts: 2 });
    });

    it("two workers draining the inbox at once process each of 30 deliveries exactly once", async () => {
      const shop = await newShop("inbox-race");
      const orders = new Map<string, OrderFacts>();
      const deliveries: WebhookDelivery[] = [];
      for (let i = 0; i < 10; i++) {
        const id = 5001 + i;
        const payload = orderPayloadFor(id, 1001 + i, buyer(`Buyer${i}`), { processed: ago(2 * DAY), updated: ago(2 * DAY) });
        orders.set(String(id), orderFacts(orderPayload.parse(payload)));
        deliveries.push(
          delivery(shop, "orders/paid", payload),
          delivery(shop, "fulfillments/create", fulfillmentPayloadFor(7001 + i, id, "UPS", `1Z999AA1000000${String(i).padStart(4, "0")}`, "US", { created: ago(DAY), updated: ago(DAY) })),
          delivery(shop, "fulfillment_events/create", fulfillmentEventFor(9001 + i, 7001 + i, id, "in_transit", ago(HOUR))),
        );
      }
      // Accepted in a mixed order, so fulfillments and events often come before their orders.
      for (const d of shuffled(deliveries, 7)) expect(await acceptWebhook(db, d)).toBe("accepted");
      const fetchOrderFor = (domain: string) => (domain === shop ? async (id: string) => orders.get(id) ?? null : undefined);

      // As in the claimDue test: separate clients (connection pools) on PostgreSQL, the one client on SQLite.
      const separate = backend.name === "PostgreSQL";
      const clients = Array.from({ length: 2 }, () => (separate ? createDb(opened.url) : db));
      const now = wallNow();
      let results: InboxResult[];
      try {
        results = await settle(clients.map((client) => processInbox({ db: client, now, fetchOrderFor })));
      } finally {
        if (separate) await Promise.all(clients.map((client) => client.$disconnect()));
      }
      const total = results.reduce((sum, r) => ({ claimed: sum.claimed + r.claimed, processed: sum.processed + r.processed, retried: sum.retried + r.retried, failed: sum.failed + r.failed }), nothing);
      expect(total, JSON.stringify(results)).toEqual({ claimed: 30, processed: 30, retried: 0, failed: 0 });

      const receipts = await db.webhookReceipt.findMany({ where: { shop } });
      expect(receipts).toHaveLength(30);
      for (const r of receipts) expect(r, r.webhookId).toMatchObject({ status: "processed", attempts: 1, payload: null, leaseUntil: null, lastError: null, processedAt: now });
      expect(await db.order.count({ where: { shop } })).toBe(10);
      expect(await db.trackingEvent.count({ where: { shop } })).toBe(10);
      const shipments = await db.shipment.findMany({ where: { shop } });
      expect(shipments).toHaveLength(10);
      // Each shipment derived from its fulfillment and its event, whichever came first.
      for (const s of shipments) expect(s, s.shopifyId).toMatchObject({ shipmentStatus: "in_transit", lastEventAt: ago(HOUR) });
      // Every order shipped: one scheduled confirmation each, and no handling commitment left to send.
      const notifications = await db.notification.findMany({ where: { shop } });
      expect(notifications.filter((n) => n.kind === "shipping_confirmation" && n.status === "scheduled").map((n) => n.shipmentShopifyId).sort()).toEqual(
        Array.from({ length: 10 }, (_, i) => String(7001 + i)),
      );
      expect(notifications.filter((n) => n.kind === "handling_commitment" && n.status !== "cancelled")).toEqual([]);
      // Nothing left for a third worker, even once every lease would have expired.
      expect(await processInbox({ db, now: new Date(now.getTime() + HOUR) })).toEqual(nothing);
    });
  });

  describe("compliance", () => {
    it("customers/redact erases that buyer from orders and notifications, and nobody else", async () => {
      const shop = await newShop("redact");
      const other = await newShop("redact-other");
      const ann = buyer("Ann", { email: "ann@example.com", address1: "Invalidenstraße 12", city: "Berlin" });
      const bob = buyer("Bob", { email: "bob@example.com" });
      await paidOrder(shop, 5001, ann, ago(2 * DAY));
      await paidOrder(shop, 5002, ann, ago(DAY));
      await paidOrder(shop, 5003, bob, ago(DAY));
      await paidOrder(other, 5001, ann, ago(DAY)); // the same buyer at another shop
      // Her first handling commitment went out before the order shipped (so it stays sent afterwards).
      await db.notification.update({
        where: { shop_planKey: { shop, planKey: "handling_commitment:5001" } },
        data: { status: "sent", subject: "Your order #1001, Ann", html: `<p>Hello Ann, we ship to Invalidenstraße 12</p>`, text: "Hello Ann" },
      });
      expect(await ingest(delivery(shop, "fulfillments/create", fulfillmentPayloadFor(7001, 5001, "UPS", "1Z999AA10123456784", "US", { created: ago(DAY), updated: ago(DAY) })))).toBe("recorded");
      expect(await ingest(delivery(shop, "customers/data_request", { shop_domain: shop, customer: { id: 555, email: ann.email }, orders_requested: [5001] }))).toBe("recorded");
      const bobBefore = {
        orders: await db.order.findMany({ where: { shop, email: bob.email } }),
        notifications: await db.notification.findMany({ where: { shop, orderShopifyId: "5003" } }),
      };
      // She unsubscribed since, at both shops.
      await db.suppression.create({ data: { shop, email: ann.email, reason: "unsubscribe" } });
      await db.suppression.create({ data: { shop: other, email: ann.email, reason: "unsubscribe" } });
      const otherBefore = await records(db, other);

      const request = { shop_id: 1, shop_domain: shop, customer: { id: 555, email: ann.email, phone: null }, orders_to_redact: [5001, 5002] };
      expect(await ingest(delivery(shop, "customers/redact", request))).toBe("recorded");

      const annOrders = await db.order.findMany({ where: { shop, shopifyId: { in: ["5001", "5002"] } } });
      expect(annOrders).toHaveLength(2);
      for (const order of annOrders) {
        expect(order).toMatchObject({ email: null, buyerName: null, shippingAddress: null });
        expect(order.redactedAt).toBeInstanceOf(Date);
      }
      const annNotifications = await db.notification.findMany({ where: { shop, orderShopifyId: { in: ["5001", "5002"] } } });
      expect(annNotifications.length).toBeGreaterThanOrEqual(3);
      for (const n of annNotifications) {
        expect(n.recipient).toBe(REDACTED);
        expect(n.subject).toBeNull();
        expect(n.html).toBeNull();
        expect(n.text).toBeNull();
        expect(n.status === "sent" || n.status === "cancelled", `${n.planKey} ${n.status}`).toBe(true);
      }
      expect(await db.suppression.count({ where: { shop } })).toBe(0);
      expect(await db.suppression.count({ where: { shop: other, email: ann.email } })).toBe(1);
      // Nothing anywhere in this shop still names her.
      const dump =
        JSON.stringify(await records(db, shop)) +
        JSON.stringify(await db.complianceRequest.findMany({ where: { shop } })) +
        JSON.stringify(await db.suppression.findMany({ where: { shop } }));
      expect(dump).not.toContain(ann.email);
      expect(dump).not.toContain("Invalidenstra");
      expect(dump).not.toMatch(/"Ann /);
      expect(await db.complianceRequest.count({ where: { shop, topic: "customers/redact" } })).toBe(1);

      expect({
        orders: await db.order.findMany({ where: { shop, email: bob.email } }),
        notifications: await db.notification.findMany({ where: { shop, orderShopifyId: "5003" } }),
      }).toEqual(bobBefore);
      expect(await records(db, other)).toEqual(otherBefore);

      // A later update of a redacted order does not bring the buyer back.
      const update = orderPayloadFor(5002, 1002, ann, { processed: ago(DAY), updated: NOW });
      expect(await ingest(delivery(shop, "orders/updated", update))).toBe("recorded");
      expect((await db.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: "5002" } } })).email).toBeNull();
      expect(await db.notification.count({ where: { shop, status: "scheduled", orderShopifyId: { in: ["5001", "5002"] } } })).toBe(0);
    });

    it("shop/redact deletes every row of that shop and no other shop's", async () => {
      const shop = await newShop("gone");
      const other = await newShop("kept");
      for (const domain of [shop, other]) {
        await paidOrder(domain, 5001, buyer("Ivy"), ago(3 * DAY));
        expect(await ingest(delivery(domain, "fulfillments/create", fulfillmentPayloadFor(7001, 5001, "UPS", "1Z999AA10123456784", "US", { created: ago(2 * DAY), updated: ago(2 * DAY) })))).toBe("recorded");
        expect(await ingest(delivery(domain, "fulfillment_events/create", fulfillmentEventFor(9001, 7001, 5001, "in_transit", ago(DAY))))).toBe("recorded");
        expect(await ingest(delivery(domain, "customers/data_request", { customer: { id: 1, email: "ivy@example.com" }, orders_requested: [5001] }))).toBe("recorded");
        await db.template.create({ data: { shop: domain, kind: "handling_commitment", locale: "en", subject: "s", html: "h", text: "t" } });
        await db.session.create({ data: { id: `offline_${domain}`, shop: domain, state: "", accessToken: "shpat_x" } });
        await db.suppression.create({ data: { shop: domain, email: "ivy@example.com", reason: "bounce" } });
      }
      const otherRows = async () => {
        const all = await snapshot(db);
        return Object.fromEntries(
          Object.entries(all).map(([table, rows]) => [table, (rows as Array<{ shop?: string; domain?: string }>).filter((r) => (r.shop ?? r.domain) === other)]),
        );
      };
      const otherBefore = await otherRows();
      expect(Object.values(otherBefore).every((rows) => rows.length > 0)).toBe(true);

      expect(await ingest(delivery(shop, "shop/redact", { shop_id: 1, shop_domain: shop }))).toBe("recorded");

      const all = await snapshot(db);
      for (const [table, rows] of Object.entries(all)) {
        const left = (rows as Array<{ shop?: string; domain?: string; topic?: string }>).filter((r) => (r.shop ?? r.domain) === shop);
        // Only the receipt of the shop/redact delivery itself remains (it names no one, and makes a retry a duplicate).
        if (table === "webhookReceipt") expect(left.map((r) => r.topic)).toEqual(["shop/redact"]);
        else expect(left, table).toEqual([]);
      }
      expect(await otherRows()).toEqual(otherBefore);
      // Shopify may send it again (also after the shop row is gone).
      expect(await ingest(delivery(shop, "shop/redact", { shop_id: 1, shop_domain: shop }))).toBe("recorded");
    });

    it("customers/data_request is recorded", async () => {
      const shop = await newShop("request");
      const payload = { shop_id: 1, shop_domain: shop, customer: { id: 777, email: "kim@example.com", phone: null }, orders_requested: [5001, "5002"], data_request: { id: 9 } };
      expect(await ingest(delivery(shop, "customers/data_request", payload))).toBe("recorded");
      const rows = await db.complianceRequest.findMany({ where: { shop } });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ topic: "customers/data_request", customerEmail: "kim@example.com", customerId: "777", answeredAt: null });
      expect(JSON.parse(rows[0].orderIds)).toEqual(["5001", "5002"]);
    });
  });

  describe("worker", () => {
    const from = { email: "notifications@parcelwise.test", name: "Parcelwise" };
    const options = (over: Partial<WorkerOptions> = {}): WorkerOptions => ({
      db,
      mailer: createSendGridMailer({ apiKey: "SG.data-layer-test", baseUrl: capture.url }),
      from,
      now: () => NOW,
      ...over,
    });

    // The worker claims across all shops: each test starts with no notification rows at all.
    beforeEach(async () => {
      await db.notification.deleteMany({});
      capture.clear();
    });
    afterEach(() => capture.clear());

    async function seedDue(shop: string, count: number, data: { scheduledFor?: (i: number) => Date } = {}) {
      await db.notification.createMany({
        data: Array.from({ length: count }, (_, i) => ({
          shop,
          kind: "handling_commitment",
          planKey: `handling_commitment:${i}`,
          orderShopifyId: String(i),
          locale: "en",
          recipient: `buyer${i}@example.com`,
          scheduledFor: data.scheduledFor?.(i) ?? new Date(NOW.getTime() - (i + 1) * 1000),
        })),
      });
    }

    it("claimDue never hands one notification to two concurrent claimers", async () => {
      const shop = await newShop("claim");
      await seedDue(shop, 200);
      // Four workers. On PostgreSQL each has its own client (connection pool), as separate worker
      // processes would; SQLite is served by one process (README), so its workers share the one client.
      const separate = backend.name === "PostgreSQL";
      const clients = Array.from({ length: 4 }, () => (separate ? createDb(opened.url) : db));
      try {
        const batches = await settle(clients.map((client) => claimDue(client, NOW, 200, 2 * MINUTE)));
        const ids = batches.flat().map((n) => n.id);
        expect(new Set(ids).size, "no notification claimed twice").toBe(ids.length);
        expect(ids).toHaveLength(200);
        for (const batch of batches) for (const n of batch) expect(n).toMatchObject({ status: "sending", attempts: 1, leaseUntil: later(2 * MINUTE) });
      } finally {
        if (separate) await Promise.all(clients.map((client) => client.$disconnect()));
      }
      const rows = await db.notification.findMany({ where: { shop } });
      expect(rows.every((n) => n.status === "sending" && n.attempts === 1)).toBe(true);
      // All leased: nothing left for anyone.
      expect(await claimDue(db, NOW, 200, 2 * MINUTE)).toEqual([]);
    });

    it("claimDue reclaims an expired lease, and leaves live leases, future and finished rows alone", async () => {
      const shop = await newShop("lease");
      const row = (planKey: string, data: Record<string, unknown>) =>
        db.notification.create({
          data: { shop, kind: "handling_commitment", planKey, orderShopifyId: planKey, locale: "en", recipient: "x@example.com", scheduledFor: ago(HOUR), ...data },
        });
      const expired = await row("expired", { status: "sending", leaseUntil: ago(1), attempts: 1 });
      await row("leased", { status: "sending", leaseUntil: later(MINUTE), attempts: 1 });
      await row("future", { status: "scheduled", scheduledFor: later(1) });
      const due = await row("due-now", { status: "scheduled", scheduledFor: NOW });
      for (const status of ["sent", "failed", "cancelled", "delivered", "bounced"]) await row(status, { status });

      const claimed = await claimDue(db, NOW, 50, 2 * MINUTE);
      expect(claimed.map((n) => n.id).sort()).toEqual([expired.id, due.id].sort());
      expect(claimed.find((n) => n.id === expired.id)).toMatchObject({ status: "sending", attempts: 2, leaseUntil: later(2 * MINUTE) });
      // Once the live lease expires, it is claimable.
      const afterLease = await claimDue(db, later(MINUTE + 1), 50, 2 * MINUTE);
      expect(afterLease.map((n) => n.planKey).sort()).toEqual(["future", "leased"]);
    });

    it("runBatch sends due notifications once through SendGrid and stores the message id", async () => {
      const shop = await newShop("send", { name: "Send Shop" });
      for (const [i, name] of ["Lia", "Max", "Ned", "Ora"].entries()) await paidOrder(shop, 5001 + i, buyer(name), ago(HOUR));
      // A shipment with tracking now, but shipped tomorrow: its confirmation is not due yet. Its order has a
      // live shipment, so that order's handling commitment is withdrawn (not sent); the three orders that
      // have not shipped keep theirs, due since 50 minutes ago.
      expect(await ingest(delivery(shop, "fulfillments/create", fulfillmentPayloadFor(7004, 5004, "UPS", "1Z999AA10123456784", "US", { created: later(DAY), updated: ago(MINUTE) })))).toBe("recorded");
      expect(await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "handling_commitment:5004" } } })).toMatchObject({ status: "cancelled" });

      const result = await runBatch(options());
      expect(result).toEqual({ claimed: 3, sent: 3, retried: 0, failed: 0, cancelled: 0 });
      expect(capture.count).toBe(3);
      const sent = await db.notification.findMany({ where: { shop, status: "sent" } });
      expect(sent).toHaveLength(3);
      for (const n of sent) {
        const mail = capture.mails.find((m) => m.customArgs.notification_id === n.id);
        expect(mail, n.planKey).toBeDefined();
        expect(n.providerMessageId).toBe(mail!.id);
        expect(n).toMatchObject({ sentAt: NOW, attempts: 1, leaseUntil: null, lastError: null });
        expect(n.subject).toBe(mail!.subject);
        const order = await db.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: n.orderShopifyId } } });
        expect(mail!.to).toEqual([order.email]);
        expect(mail!.from).toBe(from.email);
        expect(mail!.fromName).toBe("Send Shop");
        expect(mail!.categories).toEqual(["parcelwise", "handling_commitment"]);
      }
      expect(sent.map((n) => n.planKey).sort()).toEqual(["handling_commitment:5001", "handling_commitment:5002", "handling_commitment:5003"]);
      expect(await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "shipping_confirmation:7004" } } })).toMatchObject({ status: "scheduled", attempts: 0 });
      expect(await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "handling_commitment:5004" } } })).toMatchObject({ status: "cancelled", attempts: 0 });

      // Again, later the same minute: nothing is sent twice.
      expect(await runBatch(options({ now: () => later(MINUTE) }))).toEqual({ claimed: 0, sent: 0, retried: 0, failed: 0, cancelled: 0 });
      expect(capture.count).toBe(3);
    });

    it("a 500 from SendGrid reschedules with backoff, and a later batch sends it", async () => {
      const shop = await newShop("retry");
      await paidOrder(shop, 5001, buyer("Oli"), ago(HOUR));
      capture.failNext(500);
      expect(await runBatch(options())).toMatchObject({ claimed: 1, retried: 1, sent: 0 });
      const retried = await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "handling_commitment:5001" } } });
      expect(retried).toMatchObject({ status: "scheduled", attempts: 1, leaseUntil: null, providerMessageId: null });
      expect(retried.lastError).toContain("500");
      // First retry: between half a minute and a minute later.
      expect(retried.scheduledFor.getTime()).toBeGreaterThanOrEqual(later(30_000).getTime());
      expect(retried.scheduledFor.getTime()).toBeLessThanOrEqual(later(60_000).getTime());
      expect(capture.count).toBe(0);

      expect(await runBatch(options({ now: () => later(29_000) }))).toMatchObject({ claimed: 0 });
      expect(await runBatch(options({ now: () => later(2 * MINUTE) }))).toMatchObject({ claimed: 1, sent: 1 });
      const sent = await db.notification.findUniqueOrThrow({ where: { id: retried.id } });
      expect(sent).toMatchObject({ status: "sent", attempts: 2, sentAt: later(2 * MINUTE), lastError: null, providerMessageId: capture.mails[0].id });
      expect(capture.count).toBe(1);
    });

    it("a 400 from SendGrid marks the notification failed with SendGrid's message", async () => {
      const shop = await newShop("reject");
      await paidOrder(shop, 5001, buyer("Pia"), ago(HOUR));
      capture.failNext(400, 1, { message: "Does not contain a valid address." });
      expect(await runBatch(options())).toMatchObject({ claimed: 1, failed: 1, sent: 0 });
      const failed = await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "handling_commitment:5001" } } });
      expect(failed).toMatchObject({ status: "failed", leaseUntil: null, providerMessageId: null, sentAt: null });
      expect(failed.lastError).toBe("SendGrid HTTP 400: Does not contain a valid address.");
      expect(await runBatch(options({ now: () => later(DAY) }))).toMatchObject({ claimed: 0 });
      expect(capture.count).toBe(0);
    });

    it("a broken shop template fails that notification with the template error; the rest of the batch is sent", async () => {
      const shop = await newShop("template");
      await paidOrder(shop, 5001, buyer("Uwe", { locale: "de", country: "DE", email: "uwe@example.de" }), ago(HOUR));
      await paidOrder(shop, 5002, buyer("Val"), ago(HOUR));
      await paidOrder(shop, 5003, buyer("Wes"), ago(HOUR));
      await db.template.create({
        data: { shop, kind: "handling_commitment", locale: "de", subject: "Ihre Bestellung {{ order.name", html: "<p>{{ buyer.name }}</p>", text: "{{ buyer.name }}" },
      });

      expect(await runBatch(options())).toEqual({ claimed: 3, sent: 2, retried: 0, failed: 1, cancelled: 0 });
      const broken = await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "handling_commitment:5001" } } });
      expect(broken.status).toBe("failed");
      expect(broken.lastError).toMatch(/^template error in subject/);
      expect(broken.providerMessageId).toBeNull();
      expect(capture.mails.map((m) => m.to[0]).sort()).toEqual(["val@example.com", "wes@example.com"]);
      expect(await db.notification.count({ where: { shop, status: "sent" } })).toBe(2);
    });

    it("a tracking number changed after the confirmation was sent is announced exactly once", async () => {
      const shop = await newShop("tracking");
      await paidOrder(shop, 5001, buyer("Xia"), ago(2 * DAY));
      // The handling commitment goes out while nothing has shipped; the fulfillment then leaves it as sent.
      expect(await runBatch(options())).toMatchObject({ claimed: 1, sent: 1 });
      const shipped = { created: ago(DAY), updated: ago(DAY) };
      expect(await ingest(delivery(shop, "fulfillments/create", fulfillmentPayloadFor(7001, 5001, "UPS", "1Z999AA10123456784", "US", shipped)))).toBe("recorded");
      expect(await runBatch(options())).toMatchObject({ claimed: 1, sent: 1 }); // the confirmation
      expect(capture.mails.map((m) => m.categories[1])).toEqual(["handling_commitment", "shipping_confirmation"]);
      expect(await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "handling_commitment:5001" } } })).toMatchObject({ status: "sent" });

      const changed = fulfillmentPayloadFor(7001, 5001, "UPS", "1Z999AA10000000001", "US", { created: ago(DAY), updated: ago(HOUR) });
      for (let i = 0; i < 3; i++) expect(await ingest(delivery(shop, "fulfillments/update", changed))).toBe("recorded");
      const updates = await db.notification.findMany({ where: { shop, kind: "tracking_updated" } });
      expect(updates.map((n) => [n.planKey, n.status, n.trackingNumber])).toEqual([["tracking_updated:7001:1Z999AA10000000001", "scheduled", "1Z999AA10000000001"]]);

      capture.clear();
      expect(await runBatch(options({ now: () => later(MINUTE) }))).toMatchObject({ claimed: 1, sent: 1 });
      expect(capture.mails[0].text).toContain("1Z999AA10000000001");
      expect(await ingest(delivery(shop, "fulfillments/update", changed))).toBe("recorded");
      expect(await runBatch(options({ now: () => later(HOUR) }))).toMatchObject({ claimed: 0 });
      expect(await db.notification.count({ where: { shop, kind: "tracking_updated" } })).toBe(1);
      expect(await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "shipping_confirmation:7001" } } })).toMatchObject({
        status: "sent",
        trackingNumber: "1Z999AA10123456784",
      });
    });
  });

  describe("scoping by shop", () => {
    beforeEach(async () => {
      await db.notification.deleteMany({});
      capture.clear();
    });

    it("two shops with the same Shopify ids never see each other's records", async () => {
      const a = await newShop("twin-a", { name: "Shop A" });
      const b = await newShop("twin-b", { name: "Shop B" });
      const buyers = { [a]: buyer("Amy", { email: "amy@shop-a.example" }), [b]: buyer("Ben", { email: "ben@shop-b.example", locale: "ja", country: "JP" }) };
      // Delivered eight days ago, so both the confirmation and the feedback request (7 days after delivery)
      // are due; the handling commitment was withdrawn when the order shipped.
      for (const shop of [a, b]) {
        // The same webhook id too: receipts are per shop.
        expect(await ingest(delivery(shop, "orders/paid", orderPayloadFor(5001, 1001, buyers[shop], { processed: ago(10 * DAY), updated: ago(10 * DAY) }), { webhookId: "wh-same" }))).toBe("recorded");
        expect(await ingest(delivery(shop, "fulfillments/create", fulfillmentPayloadFor(7001, 5001, "UPS", "1Z999AA10123456784", buyers[shop].country, { created: ago(9 * DAY), updated: ago(9 * DAY) }), { webhookId: "wh-same-f" }))).toBe("recorded");
        expect(await ingest(delivery(shop, "fulfillment_events/create", fulfillmentEventFor(9001, 7001, 5001, "delivered", ago(8 * DAY)), { webhookId: "wh-same-e" }))).toBe("recorded");
      }
      for (const shop of [a, b]) {
        const r = await records(db, shop);
        expect(r.order.map((o) => o.email)).toEqual([buyers[shop].email]);
        expect(r.shipment.map((s) => [s.shopifyId, s.destinationCountry, s.deliveredAt])).toEqual([["7001", buyers[shop].country, ago(8 * DAY)]]);
        expect(r.trackingEvent).toHaveLength(1);
        expect(new Set(r.notification.map((n) => n.recipient))).toEqual(new Set([buyers[shop].email]));
        // The delay notice was planned while the parcel travelled and withdrawn when it was delivered.
        expect(r.notification.map((n) => [n.planKey, n.status]).sort()).toEqual([
          ["delay_notice:7001", "cancelled"],
          ["feedback_request:5001", "scheduled"],
          ["handling_commitment:5001", "cancelled"],
          ["shipping_confirmation:7001", "scheduled"],
        ]);
        expect(r.notification.filter((n) => n.status === "scheduled").every((n) => n.scheduledFor <= NOW), "both due").toBe(true);
      }

      // Cancelling and redacting in shop A leaves shop B as it was.
      const before = await records(db, b);
      const cancelled = orderPayloadFor(5001, 1001, buyers[a], { processed: ago(3 * DAY), updated: ago(HOUR) }, { cancelled_at: ago(HOUR).toISOString() });
      expect(await ingest(delivery(a, "orders/cancelled", cancelled))).toBe("recorded");
      expect(await ingest(delivery(a, "customers/redact", { customer: { id: 1, email: buyers[b].email }, orders_to_redact: [5001] }))).toBe("recorded");
      expect(await ingest(delivery(a, "fulfillment_events/create", fulfillmentEventFor(9002, 7001, 5001, "failure", ago(MINUTE))))).toBe("recorded");
      expect(await records(db, b)).toEqual(before);
      expect((await db.notification.findMany({ where: { shop: a } })).every((n) => n.status === "cancelled")).toBe(true);

      // The worker sends shop B's due messages to shop B's buyer, under shop B's name.
      const result = await runBatch({ db, mailer: createSendGridMailer({ apiKey: "SG.data-layer-test", baseUrl: capture.url }), from: { email: "notifications@parcelwise.test", name: "Parcelwise" }, now: () => NOW });
      // Shop A's due messages were cancelled with its order, so only shop B's two go out.
      expect(result).toMatchObject({ claimed: 2, sent: 2 });
      expect(capture.mails.map((m) => [m.to[0], m.fromName, m.customArgs.shop, m.categories[1]]).sort()).toEqual([
        [buyers[b].email, "Shop B", b, "feedback_request"],
        [buyers[b].email, "Shop B", b, "shipping_confirmation"],
      ]);

      // shop/redact of A leaves B whole.
      const bBefore = await records(db, b);
      expect(await ingest(delivery(a, "shop/redact", { shop_domain: a }))).toBe("recorded");
      expect(await records(db, a)).toEqual({ order: [], shipment: [], trackingEvent: [], notification: [] });
      expect(await records(db, b)).toEqual(bBefore);
    });
  });
});
