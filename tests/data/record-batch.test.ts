// The inbox's batch path (app/webhooks/record-batch.server.ts) against the per-delivery path, on real
// databases: the same deliveries in the same order end in the same rows (orders, shipments, events,
// notifications, the learned lane model), whatever order they came in; a malformed delivery fails
// alone; a batch whose lease ran out applies nothing; two workers record each delivery once.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, type Db } from "~/db.server";
import { log } from "~/log.server";
import { claimReceipts, InboxWriter, processInbox, type InboxResult, type WebhookDelivery } from "~/webhooks/inbox.server";
import { onWritePhase, recordBatch, type WritePhase } from "~/webhooks/record-batch.server";
import { orderFacts, orderPayload, type OrderFacts } from "~/orders/payload";
import { demoScenario, fulfillmentEventFor, fulfillmentPayloadFor, orderPayloadFor } from "#tests/demo/scenario";
import { ago, backends, buyer, DAY, delivery, HOUR, MINUTE, NOW, records, settle, shuffled, snapshot, useDatabase } from "./harness";

const nothing: InboxResult = { claimed: 0, processed: 0, retried: 0, failed: 0 };

/** Eight orders of one shop, each paid, updated (and a stale update), fulfilled, moved and scanned twice. */
function mixedDeliveries(shop: string): WebhookDelivery[] {
  const out: WebhookDelivery[] = [];
  for (let i = 0; i < 8; i++) {
    const id = 6001 + i;
    const who = buyer(`Mix${i}`, { country: i % 2 ? "DE" : "US" });
    const paid = orderPayloadFor(id, 2001 + i, who, { processed: ago(3 * DAY), updated: ago(3 * DAY) });
    const updated = { ...paid, email: `mix${i}.new@example.com`, updated_at: ago(2 * DAY).toISOString() };
    const stale = { ...paid, email: `mix${i}.stale@example.com`, updated_at: ago(3 * DAY + HOUR).toISOString() };
    const fulfillment = fulfillmentPayloadFor(8001 + i, id, "DHL Express", `JD01460000${String(i).padStart(4, "0")}`, who.country, { created: ago(2 * DAY), updated: ago(2 * DAY) });
    const moved = { ...fulfillment, tracking_number: `JD01469999${String(i).padStart(4, "0")}`, updated_at: ago(DAY).toISOString() };
    out.push(
      delivery(shop, "orders/paid", paid, { webhookId: `paid-${i}` }),
      delivery(shop, "orders/updated", updated, { webhookId: `updated-${i}` }),
      delivery(shop, "orders/updated", stale, { webhookId: `stale-${i}` }),
      delivery(shop, "fulfillments/create", fulfillment, { webhookId: `ff-${i}` }),
      delivery(shop, "fulfillments/update", moved, { webhookId: `ffu-${i}` }),
      delivery(shop, "fulfillment_events/create", fulfillmentEventFor(9101 + i * 2, 8001 + i, id, "in_transit", ago(DAY + HOUR)), { webhookId: `ev1-${i}` }),
      delivery(shop, "fulfillment_events/create", fulfillmentEventFor(9102 + i * 2, 8001 + i, id, i % 3 ? "out_for_delivery" : "delivered", ago(HOUR)), { webhookId: `ev2-${i}` }),
    );
  }
  return out;
}

describe.each(backends)("recording a batch on $name", (backend) => {
  const suite = useDatabase(backend);
  const { deliver, newShop } = suite;
  let db: Db;
  let inbox: InboxWriter;
  beforeAll(() => {
    db = suite.db;
    inbox = new InboxWriter(db);
  });
  afterEach(() => vi.restoreAllMocks());

  /** The shop's learned lane rows, with the shop's own name taken out of the handling row's id. */
  const laneRows = async (shop: string) =>
    (await db.laneStat.findMany({ where: { shop }, orderBy: { levelId: "asc" } })).map((r) => ({ levelId: r.levelId.replace(shop, "SHOP"), stats: r.stats }));

  const everything = async (shop: string) => ({ ...(await records(db, shop)), laneStat: await laneRows(shop) });

  /** Accepts the deliveries, claims them and records them as one batch, in the order given. */
  async function asBatch(deliveries: WebhookDelivery[], fetchOrder?: (id: string) => Promise<OrderFacts | null>, beforeWrite?: () => Promise<void>) {
    const accepted: WebhookDelivery[] = [];
    for (const d of deliveries) if ((await inbox.accept(d)) === "accepted") accepted.push(d);
    const now = new Date();
    const claimed = await claimReceipts(db, now, 10_000, MINUTE);
    const position = new Map(accepted.map((d, i) => [d.webhookId, i]));
    const mine = claimed.filter((r) => position.has(r.webhookId)).sort((a, b) => position.get(a.webhookId)! - position.get(b.webhookId)!);
    expect(mine).toHaveLength(accepted.length);
    return recordBatch({ db, fetchOrderFor: () => fetchOrder, beforeWrite }, mine, now);
  }

  it("the demo scenario as one batch, in order and shuffled, ends in the rows one delivery at a time gives", async () => {
    const failures = vi.spyOn(log, "warn");
    const steps = (shop: string) => demoScenario(NOW, shop).steps;
    const latestOrders = new Map<string, OrderFacts>();
    for (const step of steps("any.myshopify.com")) {
      if (!step.topic.startsWith("orders/")) continue;
      const facts = orderFacts(orderPayload.parse(step.payload));
      const known = latestOrders.get(facts.shopifyId);
      if (!known || known.shopifyUpdatedAt < facts.shopifyUpdatedAt) latestOrders.set(facts.shopifyId, facts);
    }
    const fetcher = (fetched: string[]) => async (id: string) => {
      fetched.push(id);
      return latestOrders.get(id) ?? null;
    };
    const asDelivery = (step: ReturnType<typeof steps>[number]): WebhookDelivery => ({
      shop: step.shop,
      topic: step.topic,
      payload: step.payload,
      webhookId: step.webhookId!,
      eventId: step.eventId,
      triggeredAt: new Date(step.triggeredAt!),
    });
    const orderings = [(s: ReturnType<typeof steps>) => s, ...[1, 2].map((seed) => (s: ReturnType<typeof steps>) => shuffled(s, seed))];
    const shapes = new Set<string>();
    for (const [i, order] of orderings.entries()) {
      const [single, batched] = [await newShop("one-by-one"), await newShop("batched")];
      const fetchedSingly: string[] = [];
      for (const step of order(steps(single))) await deliver(asDelivery(step), { fetchOrder: fetcher(fetchedSingly) });
      const fetchedInBatch: string[] = [];
      const outcome = await asBatch(order(steps(batched)).map(asDelivery), fetcher(fetchedInBatch));
      expect(outcome.alone, `ordering ${i}`).toEqual([]);
      expect(outcome.lost).toEqual([]);
      expect(outcome.recorded).toHaveLength(13);
      const expected = await everything(single);
      expect(await everything(batched), `ordering ${i}`).toEqual(expected);
      expect(fetchedInBatch, `ordering ${i}`).toEqual(fetchedSingly);
      expect(expected.laneStat.length).toBeGreaterThan(0);
      shapes.add(JSON.stringify(expected.notification.filter((n) => n.status === "cancelled").map((n) => n.planKey)));
      // Each receipt settled in the batch's transaction, its payload dropped.
      const receipts = await db.webhookReceipt.findMany({ where: { shop: batched } });
      for (const r of receipts) expect(r).toMatchObject({ status: "processed", payload: null, leaseUntil: null, attempts: 1 });
    }
    // The orderings do differ in outcome (withdrawn messages depend on the order), and no batch fell back.
    expect(shapes.size).toBeGreaterThan(1);
    expect(failures).not.toHaveBeenCalled();
  }, 180_000);

  it("several deliveries of each order in mixed order, stale versions among them: the batch equals one at a time", async () => {
    const failures = vi.spyOn(log, "warn");
    for (const seed of [11, 12]) {
      const [single, batched] = [await newShop("mix-single"), await newShop("mix-batched")];
      const ordered = (shop: string) => shuffled(mixedDeliveries(shop), seed);
      for (const d of ordered(single)) expect(await deliver(d)).toBe("recorded");
      const outcome = await asBatch(ordered(batched));
      expect(outcome.alone).toEqual([]);
      expect(outcome.recorded).toHaveLength(56);
      const got = await everything(batched);
      expect(got, `seed ${seed}`).toEqual(await everything(single));
      // The newest version of each order stands; the stale one changed nothing.
      expect(got.order.map((o) => o.email).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `mix${i}.new@example.com`).sort());
      // Fewer statements than deliveries: the batch's cost does not grow with each delivery's dozen.
      expect(outcome.statements, `statements for 56 deliveries`).toBeLessThanOrEqual(30);
    }
    expect(failures).not.toHaveBeenCalled();
  }, 180_000);

  it("deliveries of two shops interleaved in one batch: each shop ends in the rows one delivery at a time gives it", async () => {
    const failures = vi.spyOn(log, "warn");
    const [singleA, singleB, batchedA, batchedB] = [await newShop("two-single-a"), await newShop("two-single-b"), await newShop("two-batched-a"), await newShop("two-batched-b")];
    await db.shop.update({ where: { domain: singleB }, data: { primaryLocale: "fr" } });
    await db.shop.update({ where: { domain: batchedB }, data: { primaryLocale: "fr" } });
    for (const d of [...mixedDeliveries(singleA), ...mixedDeliveries(singleB)]) expect(await deliver(d)).toBe("recorded");
    const [a, b] = [mixedDeliveries(batchedA), mixedDeliveries(batchedB)];
    const outcome = await asBatch(a.flatMap((d, i) => [d, b[i]!]));
    expect(outcome.alone).toEqual([]);
    expect(outcome.recorded).toHaveLength(a.length + b.length);
    const [gotA, gotB] = [await everything(batchedA), await everything(batchedB)];
    expect(gotA).toEqual(await everything(singleA));
    expect(gotB).toEqual(await everything(singleB));
    expect(gotB.notification.filter((n) => n.kind === "shipping_confirmation")).toHaveLength(8);
    expect(failures).not.toHaveBeenCalled();
  }, 180_000);

  it("a row another writer changes between the batch's plan and its write is read again: the newer order recorded in between stands", async () => {
    const [single, shop] = [await newShop("between-single"), await newShop("between")];
    const who = buyer("Between");
    const paid = orderPayloadFor(5401, 1401, who, { processed: ago(3 * DAY), updated: ago(3 * DAY) });
    const batched = { ...paid, email: "between.batch@example.com", updated_at: ago(2 * DAY).toISOString() };
    const newer = { ...paid, email: "between.newer@example.com", updated_at: ago(DAY).toISOString() };
    const fulfillment = fulfillmentPayloadFor(7401, 5401, "UPS", "1Z999AA10123451401", "US", { created: ago(2 * DAY), updated: ago(2 * DAY) });
    const steps = (domain: string) => ({
      first: delivery(domain, "orders/paid", paid, { webhookId: "between-paid" }),
      batch: [delivery(domain, "orders/updated", batched, { webhookId: "between-batch" }), delivery(domain, "fulfillments/create", fulfillment, { webhookId: "between-ff" })],
      meanwhile: delivery(domain, "orders/updated", newer, { webhookId: "between-newer" }),
    });
    // One at a time, in the order they took effect: the paid order, the newer update, then the batch's two.
    const one = steps(single);
    for (const d of [one.first, one.meanwhile, ...one.batch]) expect(await deliver(d)).toBe("recorded");

    const two = steps(shop);
    expect(await deliver(two.first)).toBe("recorded");
    const phases: WritePhase[] = [];
    const unsubscribe = onWritePhase((phase) => phases.push(phase));
    try {
      const outcome = await asBatch(two.batch, undefined, async () => expect(await deliver(two.meanwhile)).toBe("recorded"));
      expect(outcome.recorded).toHaveLength(2);
    } finally {
      unsubscribe();
    }
    // The batch planned from the order before the newer update; its write found the order changed and planned again.
    expect(phases.map((p) => p.replanned)).toEqual([true]);
    const got = await everything(shop);
    expect(got.order.map((o) => o.email)).toEqual(["between.newer@example.com"]);
    expect(got).toEqual(await everything(single));
  });

  it("a batch whose rows nobody changed in between writes its plan as planned, in a short transaction", async () => {
    const shop = await newShop("between-none");
    const phases: WritePhase[] = [];
    const unsubscribe = onWritePhase((phase) => phases.push(phase));
    try {
      const who = buyer("Quiet");
      const outcome = await asBatch([
        delivery(shop, "orders/paid", orderPayloadFor(5501, 1501, who, { processed: ago(DAY), updated: ago(DAY) })),
        delivery(shop, "fulfillments/create", fulfillmentPayloadFor(7501, 5501, "UPS", "1Z999AA10123451501", "US", { created: ago(HOUR), updated: ago(HOUR) })),
      ]);
      expect(outcome.recorded).toHaveLength(2);
    } finally {
      unsubscribe();
    }
    expect(phases).toMatchObject([{ deliveries: 2, replanned: false }]);
    expect(phases[0]!.ms).toBeGreaterThan(0);
  });

  it("a worker asking for smaller batches records in batches of that size", async () => {
    const shop = await newShop("batch-size");
    for (let i = 0; i < 5; i++) {
      expect(await inbox.accept(delivery(shop, "orders/paid", orderPayloadFor(5601 + i, 1601 + i, buyer(`Size${i}`), { processed: ago(DAY), updated: ago(DAY) })))).toBe("accepted");
    }
    const phases: WritePhase[] = [];
    const unsubscribe = onWritePhase((phase) => phases.push(phase));
    try {
      expect(await processInbox({ db, now: new Date(), batchSize: 2 })).toEqual({ claimed: 5, processed: 5, retried: 0, failed: 0 });
    } finally {
      unsubscribe();
    }
    expect(phases.map((p) => p.deliveries)).toEqual([2, 2, 1]);
  });

  it("a malformed delivery in the middle of a batch fails alone; the rest are recorded", async () => {
    const shop = await newShop("batch-malformed");
    const order = orderPayloadFor(5101, 1101, buyer("Mal"), { processed: ago(DAY), updated: ago(DAY) });
    const fulfillment = fulfillmentPayloadFor(7101, 5101, "UPS", "1Z999AA10123451101", "US", { created: ago(HOUR), updated: ago(HOUR) });
    expect(await inbox.accept(delivery(shop, "orders/paid", order))).toBe("accepted");
    // The route's accept refuses such a payload; one that reached the inbox before that check: insert it.
    await db.webhookReceipt.create({ data: { shop, topic: "fulfillments/create", webhookId: "wh-batch-bad", payload: JSON.stringify({ ...fulfillment, id: 7102, created_at: "yesterday" }), orderShopifyId: "5101" } });
    await db.webhookReceipt.create({ data: { shop, topic: "orders/updated", webhookId: "wh-batch-notjson", payload: "{not json", orderShopifyId: "5101" } });
    expect(await inbox.accept(delivery(shop, "fulfillments/create", fulfillment))).toBe("accepted");
    expect(await inbox.accept(delivery(shop, "fulfillment_events/create", fulfillmentEventFor(9201, 7101, 5101, "in_transit", ago(MINUTE))))).toBe("accepted");

    const now = new Date();
    expect(await processInbox({ db, now })).toEqual({ claimed: 5, processed: 3, retried: 0, failed: 2 });
    const receipts = await db.webhookReceipt.findMany({ where: { shop } });
    expect(receipts.filter((r) => r.status === "processed")).toHaveLength(3);
    const failed = receipts.filter((r) => r.status === "failed");
    expect(failed.map((r) => r.webhookId).sort()).toEqual(["wh-batch-bad", "wh-batch-notjson"]);
    for (const r of failed) expect(r.lastError).toBeTruthy();
    expect(await db.shipment.findMany({ where: { shop }, select: { shopifyId: true, shipmentStatus: true } })).toEqual([{ shopifyId: "7101", shipmentStatus: "in_transit" }]);
    expect(await db.trackingEvent.count({ where: { shop } })).toBe(1);
    expect(await processInbox({ db, now: new Date(now.getTime() + DAY) })).toEqual(nothing);
  });

  it("a batch whose lease ran out (another worker took it over) applies nothing", async () => {
    const shop = await newShop("batch-lease");
    const deliveries = [
      delivery(shop, "orders/paid", orderPayloadFor(5201, 1201, buyer("Lea"), { processed: ago(DAY), updated: ago(DAY) })),
      delivery(shop, "fulfillments/create", fulfillmentPayloadFor(7201, 5201, "UPS", "1Z999AA10123451201", "US", { created: ago(HOUR), updated: ago(HOUR) })),
    ];
    for (const d of deliveries) expect(await inbox.accept(d)).toBe("accepted");
    const then = new Date();
    const stale = (await claimReceipts(db, then, 100, MINUTE)).filter((r) => r.shop === shop);
    expect(stale).toHaveLength(2);
    // The first worker stalls past its lease; a second takes the deliveries over and records them.
    const later = new Date(then.getTime() + 2 * MINUTE);
    expect(await processInbox({ db, now: later })).toMatchObject({ claimed: 2, processed: 2, failed: 0 });
    const before = await snapshot(db);
    const outcome = await recordBatch({ db }, stale, then);
    expect(outcome.recorded).toEqual([]);
    expect(outcome.lost.sort()).toEqual(stale.map((r) => r.id).sort());
    expect(await snapshot(db)).toEqual(before);
  });

  it("two workers draining one inbox in small batches record each of 160 deliveries once, as one at a time would", async () => {
    const failures = vi.spyOn(log, "warn");
    const [single, shop] = [await newShop("drain-single"), await newShop("drain")];
    // Four waves (the orders, their fulfillments, a first scan, the delivery), each drained by both
    // workers at once: within a wave the deliveries are about different orders, so which worker records
    // which, and in what order, must not matter.
    const waves = (domain: string): WebhookDelivery[][] => {
      const out: WebhookDelivery[][] = [[], [], [], []];
      for (let i = 0; i < 40; i++) {
        const id = 15001 + i;
        const who = buyer(`Drain${i}`, { country: ["US", "DE", "FR"][i % 3]! });
        out[0]!.push(delivery(domain, "orders/paid", orderPayloadFor(id, 11001 + i, who, { processed: ago(3 * DAY), updated: ago(3 * DAY) }), { webhookId: `o-${i}` }));
        out[1]!.push(delivery(domain, "fulfillments/create", fulfillmentPayloadFor(17001 + i, id, "DHL Express", `JD0246${String(i).padStart(6, "0")}`, who.country, { created: ago(2 * DAY), updated: ago(2 * DAY) }), { webhookId: `f-${i}` }));
        out[2]!.push(delivery(domain, "fulfillment_events/create", fulfillmentEventFor(19001 + i * 2, 17001 + i, id, "in_transit", ago(DAY)), { webhookId: `e1-${i}` }));
        out[3]!.push(delivery(domain, "fulfillment_events/create", fulfillmentEventFor(19002 + i * 2, 17001 + i, id, "delivered", ago(HOUR - i * MINUTE)), { webhookId: `e2-${i}` }));
      }
      return out;
    };
    for (const wave of waves(single)) for (const d of wave) expect(await deliver(d)).toBe("recorded");

    const separate = backend.name === "PostgreSQL";
    const clients = Array.from({ length: 2 }, () => (separate ? createDb(suite.opened.url) : db));
    const drain = async (client: Db, now: Date) => {
      const total = { ...nothing };
      for (;;) {
        const r = await processInbox({ db: client, now, limit: 25 });
        if (r.claimed === 0) return total;
        for (const key of Object.keys(total) as (keyof InboxResult)[]) total[key] += r[key];
      }
    };
    const results: InboxResult[] = [];
    try {
      for (const wave of waves(shop)) {
        for (const d of wave) expect(await inbox.accept(d)).toBe("accepted");
        const now = new Date();
        results.push(...(await settle(clients.map((client) => drain(client, now)))));
      }
    } finally {
      if (separate) await Promise.all(clients.map((client) => client.$disconnect()));
    }
    expect(results.reduce((sum, r) => sum + r.processed, 0), JSON.stringify(results)).toBe(160);
    expect(results.some((r, i) => i % 2 === 1 && r.processed > 0), JSON.stringify(results)).toBe(true);
    const receipts = await db.webhookReceipt.findMany({ where: { shop } });
    expect(receipts).toHaveLength(160);
    for (const r of receipts) expect(r, r.webhookId).toMatchObject({ status: "processed", attempts: 1, payload: null });
    const got = await everything(shop);
    const expected = await everything(single);
    expect(got.order).toEqual(expected.order);
    expect(got.trackingEvent).toEqual(expected.trackingEvent);
    expect(got.notification.filter((n) => n.status !== "cancelled")).toEqual(expected.notification.filter((n) => n.status !== "cancelled"));
    expect(got.shipment).toEqual(expected.shipment);
    // The lane model counts every parcel once, whichever worker taught it (sums in another order may
    // differ in their last bits).
    const rounded = (value: unknown): unknown =>
      typeof value === "number" ? Number(value.toPrecision(10)) : Array.isArray(value) ? value.map(rounded) : value && typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)])) : value;
    const model = (rows: { levelId: string; stats: string }[]) => rows.map((r) => ({ levelId: r.levelId, stats: rounded(JSON.parse(r.stats)) }));
    expect(model(got.laneStat)).toEqual(model(expected.laneStat));
    expect(failures).not.toHaveBeenCalled();
  }, 300_000);
});
