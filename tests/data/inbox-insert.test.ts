// The webhook route's inbox insert (app/webhooks/inbox-insert.server.ts) against Prisma, on real
// databases: the row the raw multi-row insert writes is the row Prisma's create writes (ids, defaults,
// nulls, dates as stored), duplicates within one batch and against stored rows are told apart in order,
// and on SQLite an insert that meets another connection's write lock waits without blocking the event loop.
import { describe, expect, it } from "vitest";
import { createClient } from "@libsql/client";
import { sqliteUrlOf } from "~/db.server";
import { InboxWriter, type WebhookDelivery } from "~/webhooks/inbox.server";
import { insertReceipts, receiptRows } from "~/webhooks/inbox-insert.server";
import { fulfillmentPayloadFor, orderPayloadFor } from "#tests/demo/scenario";
import { ago, backends, buyer, DAY, HOUR, useDatabase } from "./harness";

describe.each(backends)("inbox insert on $name", (backend) => {
  const suite = useDatabase(backend);
  const { newShop } = suite;

  const fulfillment = (shop: string, n: number): WebhookDelivery => ({
    shop,
    topic: "fulfillments/create",
    webhookId: `wh-ins-${n}`,
    eventId: `evt-ins-${n}`,
    triggeredAt: ago(HOUR),
    payload: fulfillmentPayloadFor(7000 + n, 5000 + n, "UPS", `1Z${n}`, "US", { created: ago(DAY), updated: ago(DAY) }),
  });

  it("writes the row Prisma's create writes: id shape, defaults, nulls, dates as stored", async () => {
    const shop = await newShop("ins-same");
    const db = suite.db;
    const data = {
      shop,
      topic: "orders/paid",
      orderShopifyId: "5001",
      webhookId: "wh-prisma",
      eventId: null,
      triggeredAt: new Date("2026-11-19T08:15:30.123Z"),
      payload: JSON.stringify({ id: 5001, note: "Zürich" }),
    };
    const viaPrisma = await db.webhookReceipt.create({ data });
    const [row] = receiptRows([{ ...data, webhookId: "wh-raw" }]);
    expect([...(await insertReceipts(db, [row!]))]).toEqual([row!.id]);
    const viaRaw = await db.webhookReceipt.findUniqueOrThrow({ where: { id: row!.id } });
    const same = (r: Record<string, unknown>) => {
      const { id: _id, webhookId: _w, availableAt: _a, receivedAt: _r, ...rest } = r;
      return rest;
    };
    expect(same(viaRaw)).toEqual(same(viaPrisma));
    expect(viaRaw.id).toMatch(/^c[0-9a-z]{20,}$/);
    expect(viaRaw.status).toBe("pending");
    expect(viaRaw.attempts).toBe(0);
    expect(viaRaw.availableAt).toBeInstanceOf(Date);
    expect(viaRaw.availableAt.getTime()).toBe(viaRaw.receivedAt.getTime());
    expect(Math.abs(viaRaw.receivedAt.getTime() - viaPrisma.receivedAt.getTime())).toBeLessThan(60_000);
    // As stored, below Prisma: the same text (SQLite) or values for every column but the id and key.
    const columns = `"shop", "topic", "eventId", "triggeredAt", "payload", "orderShopifyId", "status", "attempts", "leaseUntil", "lastError", "processedAt"`;
    // SQLite keeps a DateTime as text: the default dates must be stored in Prisma's very format too.
    const dates = backend.name === "SQLite" ? `, length("availableAt") AS "a", length("receivedAt") AS "r", substr("receivedAt", 24) AS "zone"` : "";
    const stored = await db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT ${columns}${dates} FROM "WebhookReceipt" WHERE "id" IN ('${viaPrisma.id}', '${viaRaw.id}')`);
    expect(stored).toHaveLength(2);
    expect(stored[1]).toEqual(stored[0]);
  });

  it("an InboxWriter batch tells duplicates apart in order: within the batch, against stored rows, by webhook id and by event id", async () => {
    const shop = await newShop("ins-dup");
    const db = suite.db;
    const writer = new InboxWriter(db);
    expect(await writer.accept(fulfillment(shop, 1))).toBe("accepted");
    const outcomes = await Promise.all([
      writer.accept(fulfillment(shop, 2)),
      writer.accept(fulfillment(shop, 1)), // stored already
      writer.accept({ ...fulfillment(shop, 3), eventId: "evt-ins-2" }), // the same event as the first of this batch
      writer.accept({ ...fulfillment(shop, 2), eventId: "evt-ins-other" }), // the same webhook id as the first of this batch
      writer.accept({ ...fulfillment(shop, 4), eventId: null }),
      writer.accept({ ...fulfillment(shop, 5), eventId: null }),
    ]);
    expect(outcomes).toEqual(["accepted", "duplicate", "duplicate", "duplicate", "accepted", "accepted"]);
    const rows = await db.webhookReceipt.findMany({ where: { shop }, orderBy: { webhookId: "asc" } });
    expect(rows.map((r) => [r.webhookId, r.eventId])).toEqual([
      ["wh-ins-1", "evt-ins-1"],
      ["wh-ins-2", "evt-ins-2"],
      ["wh-ins-4", null],
      ["wh-ins-5", null],
    ]);
  });

  // SQLite's write lock is the database's own; PostgreSQL's inserts wait on the server, off the event loop.
  if (backend.name === "SQLite") it("an insert meeting another connection's write lock waits for it with the event loop free, and goes in after", async () => {
    const shop = await newShop("ins-lock");
    const db = suite.db;
    const writer = new InboxWriter(db);
    await writer.accept(fulfillment(shop, 10)); // the insert's connection is open
    const other = createClient({ url: sqliteUrlOf(db)! });
    await other.execute("BEGIN IMMEDIATE");
    await other.execute(`UPDATE "Shop" SET "updatedAt" = "updatedAt" WHERE "domain" = '${shop}'`);
    let gap = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      gap = Math.max(gap, now - last);
      last = now;
    }, 5);
    const accepted = writer.accept(fulfillment(shop, 11));
    let settled = false;
    void accepted.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    await other.execute("COMMIT");
    expect(await accepted).toBe("accepted");
    clearInterval(ticker);
    other.close();
    // The event loop kept turning while the insert waited: a busy handler sleeping on it would have held
    // it for the lock's whole 300 ms (with room here for a busy machine's scheduling).
    expect(gap).toBeLessThan(150);
    expect(await db.webhookReceipt.count({ where: { shop } })).toBe(2);
  });

  it("an orders/paid delivery and a fulfillment in one batch both go in", async () => {
    const shop = await newShop("ins-mixed");
    const db = suite.db;
    const writer = new InboxWriter(db);
    const order: WebhookDelivery = { shop, topic: "orders/paid", webhookId: "wh-ins-order", payload: orderPayloadFor(5020, 1020, buyer("Eve"), { processed: ago(DAY), updated: ago(DAY) }) };
    expect(await Promise.all([writer.accept(order), writer.accept(fulfillment(shop, 20))])).toEqual(["accepted", "accepted"]);
    const rows = await db.webhookReceipt.findMany({ where: { shop }, orderBy: { topic: "desc" } });
    expect(rows.map((r) => [r.topic, r.orderShopifyId, r.eventId])).toEqual([
      ["orders/paid", "5020", null],
      ["fulfillments/create", "5020", "evt-ins-20"],
    ]);
  });
});
