// The webhook inbox (app/webhooks/inbox.server.ts) against real databases: the route's accept deduplicates
// and refuses malformed payloads before writing; workers claim, record once, retry and fail.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/db.server";
import { ago, backends, buyer, DAY, delivery, HOUR, MINUTE, newShopDomain, NOW, records, SECOND, settle, shuffled, snapshot, useDatabase } from "./harness";
import { claimReceipts, InboxWriter, processInbox, type InboxResult, type WebhookDelivery } from "~/webhooks/inbox.server";
import { processReceipt } from "~/webhooks/record.server";
import { MalformedPayloadError } from "~/webhooks/topics";
import { fulfillmentEventFor, fulfillmentPayloadFor, orderPayloadFor } from "#tests/demo/scenario";
import { orderFacts, orderPayload, type OrderFacts } from "~/orders/payload";

describe.each(backends)("inbox on $name", (backend) => {
  const suite = useDatabase(backend);
  const { deliver, newShop, paidOrder, notificationsOf } = suite;
  let db: Db;
  let inbox: InboxWriter;
  beforeAll(() => {
    db = suite.db;
    inbox = new InboxWriter(db);
  });

  it("a replayed webhook id is 'duplicate' and changes nothing, even with another payload", async () => {
    const shop = await newShop("replay");
    const order = orderPayloadFor(5001, 1001, buyer("Ann"), { processed: ago(3 * DAY), updated: ago(3 * DAY) });
    const fulfillment = fulfillmentPayloadFor(7001, 5001, "UPS", "1Z999AA10123456784", "US", { created: ago(2 * DAY), updated: ago(2 * DAY) });
    const event = fulfillmentEventFor(9001, 7001, 5001, "in_transit", ago(DAY));
    const deliveries = [delivery(shop, "orders/paid", order), delivery(shop, "fulfillments/create", fulfillment), delivery(shop, "fulfillment_events/create", event)];
    for (const d of deliveries) expect(await deliver(d)).toBe("recorded");
    const before = await snapshot(db);

    for (const d of deliveries) expect(await deliver(d)).toBe("duplicate");
    // Same webhook id, newer content: still the same delivery, so still nothing changes.
    const changed = { ...order, email: "someone.else@example.com", updated_at: NOW.toISOString() };
    expect(await deliver({ ...deliveries[0], payload: changed })).toBe("duplicate");
    expect(await snapshot(db)).toEqual(before);
  });

  it("the same event id on a second webhook id of the same topic is 'duplicate'", async () => {
    const shop = await newShop("event");
    const order = orderPayloadFor(5004, 1004, buyer("John"), { processed: ago(MINUTE), updated: ago(MINUTE) });
    const first = delivery(shop, "orders/paid", order, { webhookId: "wh-a", eventId: "evt-1" });
    expect(await deliver(first)).toBe("recorded");
    const before = await snapshot(db);
    expect(await deliver(delivery(shop, "orders/paid", order, { webhookId: "wh-b", eventId: "evt-1" }))).toBe("duplicate");
    expect(await snapshot(db)).toEqual(before);
    // A new event id on the same topic is a new delivery.
    expect(await deliver(delivery(shop, "orders/paid", order, { webhookId: "wh-c", eventId: "evt-2" }))).toBe("recorded");
    expect(await db.webhookReceipt.count({ where: { shop } })).toBe(2);
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
      await expect(deliver(d), topic).rejects.toBeInstanceOf(MalformedPayloadError);
    }
    expect(await snapshot(db)).toEqual(before);
    // Nothing was recorded, so Shopify's retry with a fixed payload is not taken for a duplicate.
    expect(await deliver(delivery(shop, "orders/updated", good, { webhookId: "wh-bad-orders/updated" }))).toBe("recorded");
  });

  const waiting = () => db.webhookReceipt.count({ where: { status: { in: ["pending", "processing"] } } });
  // processInbox claims across all shops. deliver (accept, then claim and record that one) leaves nothing waiting,
  // and each test here drains what it accepts, so every test starts with an empty inbox.
  beforeEach(async () => expect(await waiting()).toBe(0));
  // A receipt becomes available at the clock of its insert (the column default), which is the wall clock,
  // not this suite's NOW: process "now", plus a margin for the database rounding to milliseconds.
  const wallNow = () => new Date(Date.now() + SECOND);
  const nothing: InboxResult = { claimed: 0, processed: 0, retried: 0, failed: 0 };

  it("the route's accept only stores a delivery, deduplicated; processInbox records it once and drops the payload; one that can never be processed fails at once, a passing failure is retried with backoff", async () => {
    const shop = await newShop("inbox");
    const payload = orderPayloadFor(5001, 1001, buyer("Ida"), { processed: ago(HOUR), updated: ago(HOUR) });
    const first = delivery(shop, "orders/paid", payload, { webhookId: "wh-inbox-1", eventId: "evt-inbox-1" });
    expect(await inbox.accept(first)).toBe("accepted");
    expect(await inbox.accept(first)).toBe("duplicate");
    // The same event delivered to a second subscription (another webhook id).
    expect(await inbox.accept({ ...first, webhookId: "wh-inbox-2" })).toBe("duplicate");
    expect(await inbox.accept({ ...first, webhookId: "wh-inbox-3", topic: "products/update" })).toBe("ignored_topic");
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
    expect(await inbox.accept(delivery(stranger, "orders/paid", payload))).toBe("accepted");
    // A receipt that can never be processed: the route's accept never stores a payload that is not JSON, so insert one.
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

    // A passing failure (the database refuses the delivery's transaction: here a row in the way of the
    // message it plans) is retried after 2^attempts seconds, then failed.
    const flaky = orderPayloadFor(5002, 1002, buyer("Flo"), { processed: ago(HOUR), updated: ago(HOUR) });
    expect(await inbox.accept(delivery(shop, "orders/paid", flaky, { webhookId: "wh-inbox-flaky", eventId: "evt-inbox-flaky" }))).toBe("accepted");
    const blocker = await db.notification.create({
      data: { shop, kind: "handling_commitment", planKey: "handling_commitment:5002", orderShopifyId: "elsewhere", locale: "en", recipient: "x@example.com", scheduledFor: NOW, status: "cancelled" },
    });
    const tFlaky = new Date(now.getTime() + DAY);
    expect(await processInbox({ db, now: tFlaky })).toEqual({ claimed: 1, processed: 0, retried: 1, failed: 0 });
    const retried = await db.webhookReceipt.findFirstOrThrow({ where: { shop, webhookId: "wh-inbox-flaky" } });
    expect(retried).toMatchObject({ status: "pending", attempts: 1, leaseUntil: null, processedAt: null, availableAt: new Date(tFlaky.getTime() + 2 * SECOND) });
    expect(retried.lastError).toMatch(/Unique constraint/i);
    expect(JSON.parse(retried.payload!)).toEqual(flaky);
    expect(await processInbox({ db, now: new Date(tFlaky.getTime() + 2 * SECOND - 1) })).toEqual(nothing);
    const tFlaky2 = new Date(tFlaky.getTime() + 2 * SECOND);
    expect(await processInbox({ db, now: tFlaky2, maxAttempts: 2 })).toEqual({ claimed: 1, processed: 0, retried: 0, failed: 1 });
    expect(await db.webhookReceipt.findFirstOrThrow({ where: { shop, webhookId: "wh-inbox-flaky" } })).toMatchObject({ status: "failed", attempts: 2 });
    expect(await db.order.count({ where: { shop, shopifyId: "5002" } })).toBe(0);
    await db.notification.delete({ where: { id: blocker.id } });

    // Neither it nor the processed one changed anything after the fact.
    expect(await db.order.count({ where: { shop } })).toBe(1);
    expect(await notificationsOf(shop)).toHaveLength(1);

    // Shopify retrying after processing is still a duplicate: the receipt stays, without its payload.
    expect(await inbox.accept(first)).toBe("duplicate");

    // A worker whose lease expires before it gets to a delivery: another worker claims it again and records it,
    // and when the first one gets there, the receipt is already processed and nothing happens twice.
    const update = orderPayloadFor(5001, 1001, buyer("Ida", { email: "ida.new@example.com" }), { processed: ago(HOUR), updated: ago(MINUTE) });
    expect(await inbox.accept(delivery(shop, "orders/updated", update))).toBe("accepted");
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
    for (const d of shuffled(deliveries, 7)) expect(await inbox.accept(d)).toBe("accepted");
    const fetchOrderFor = (domain: string) => (domain === shop ? async (id: string) => orders.get(id) ?? null : undefined);

    // As in the claimDue test: separate clients (connection pools) on PostgreSQL, the one client on SQLite.
    const separate = backend.name === "PostgreSQL";
    const clients = Array.from({ length: 2 }, () => (separate ? createDb(suite.opened.url) : db));
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
