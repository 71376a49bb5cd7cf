// Recording a delivery (app/webhooks/record.server.ts) against real databases: whose deliveries count, and
// the demo scenario in any order ending in the same records, and recordDelivery (the same code, no inbox).
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~/db.server";
import { ago, backends, buyer, DAY, delivery, HOUR, MINUTE, newShopDomain, NOW, records, shuffled, snapshot, useDatabase } from "./harness";
import { demoScenario, fulfillmentEventFor, fulfillmentPayloadFor, orderPayloadFor } from "#tests/demo/scenario";
import { recordDelivery } from "~/webhooks/record.server";
import { MalformedPayloadError } from "~/webhooks/topics";
import { orderFacts, orderPayload, type OrderFacts } from "~/orders/payload";

describe.each(backends)("recording on $name", (backend) => {
  const suite = useDatabase(backend);
  const { deliver, newShop } = suite;
  let db: Db;
  beforeAll(() => {
    db = suite.db;
  });

  it("needs the shop's row: an unknown shop's webhook is 'unknown_shop' and writes nothing", async () => {
    const domain = newShopDomain("unknown");
    const payload = orderPayloadFor(5001, 1001, buyer("Ann"), { processed: ago(DAY), updated: ago(DAY) });
    // The route's accept checks each payload against its topic before the worker looks the shop up.
    const fulfillment = fulfillmentPayloadFor(7001, 5001, "UPS", "1Z999AA10123456784", "US", { created: ago(DAY), updated: ago(DAY) });
    const { webhookReceipt: receiptsBefore, ...before } = await snapshot(db);
    for (const [topic, body] of [["orders/paid", payload], ["fulfillments/create", fulfillment], ["app/uninstalled", payload]] as const) {
      expect(await deliver(delivery(domain, topic, body))).toBe("unknown_shop");
    }
    const { webhookReceipt: receiptsAfter, ...after } = await snapshot(db);
    expect(after).toEqual(before);
    // The inbox keeps only that they came (a retry is then a duplicate), without the payload.
    const ignored = receiptsAfter.filter((r) => !receiptsBefore.some((b) => b.id === r.id));
    expect(ignored.map((r) => [r.shop, r.topic, r.status, r.payload])).toEqual([
      [domain, "orders/paid", "ignored", null],
      [domain, "fulfillments/create", "ignored", null],
      [domain, "app/uninstalled", "ignored", null],
    ]);

    await db.shop.create({ data: { domain } });
    const first = delivery(domain, "orders/paid", payload);
    expect(await deliver(first)).toBe("recorded");
    const order = await db.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop: domain, shopifyId: "5001" } } });
    expect(order).toMatchObject({ email: "ann@example.com", name: "#1001", paidAt: ago(DAY), locale: "en-US", destinationCountry: "US" });
    expect(await db.webhookReceipt.count({ where: { shop: domain, webhookId: first.webhookId } })).toBe(1);
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
          await deliver(
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
    // Camille's parcel (7002) was delivered before its fulfillment's first webhook: no confirmation.
    expect(live).toEqual([
      "delay_notice:7001",
      "delay_notice:7003",
      "feedback_request:5001",
      "feedback_request:5002",
      "feedback_request:5003",
      "handling_commitment:5004",
      "shipping_confirmation:7001",
      "shipping_confirmation:7003",
    ]);
    expect(expected.notification.filter((n) => n.orderShopifyId === "5005" && n.status === "scheduled")).toEqual([]);
    // In order: Anna's and Camille's orders were paid before they shipped (planned, then withdrawn), Maria
    // paid before she cancelled (ditto); Yuki's order was fetched together with her shipment, so hers was
    // never planned at all.
    expect(expected.notification.filter((n) => n.status === "cancelled").map((n) => n.planKey).sort()).toEqual([
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

  it("recordDelivery records what a webhook would, without an inbox receipt; with planMessages false it plans nothing", async () => {
    const [viaInbox, direct, history] = [await newShop("via-inbox"), await newShop("direct"), await newShop("history")];
    const who = buyer("Hana", { locale: "ja", country: "JP" });
    const steps = (shop: string) => [
      delivery(shop, "ORDERS_PAID", orderPayloadFor(5001, 1001, who, { processed: ago(3 * DAY), updated: ago(3 * DAY) })),
      delivery(shop, "fulfillments/create", fulfillmentPayloadFor(7001, 5001, "Japan Post", "EJ123456789JP", "JP", { created: ago(2 * DAY), updated: ago(2 * DAY) })),
      delivery(shop, "fulfillment_events/create", fulfillmentEventFor(9001, 7001, 5001, "in_transit", ago(DAY))),
    ];
    for (const d of steps(viaInbox)) expect(await deliver(d)).toBe("recorded");
    for (const d of steps(direct)) expect(await recordDelivery({ db }, d, { now: NOW })).toBe("recorded");
    for (const d of steps(history)) expect(await recordDelivery({ db }, d, { now: NOW, planMessages: false })).toBe("recorded");

    const expected = await records(db, viaInbox);
    expect(expected.notification.length).toBeGreaterThan(0);
    expect(await records(db, direct)).toEqual(expected);
    expect(await records(db, history)).toEqual({ ...expected, notification: [] });
    expect(await db.webhookReceipt.count({ where: { shop: { in: [direct, history] } } })).toBe(0);

    const before = await snapshot(db);
    expect(await recordDelivery({ db }, steps(newShopDomain("unknown"))[0], { now: NOW })).toBe("unknown_shop");
    expect(await recordDelivery({ db }, { shop: direct, topic: "products/update", payload: {} }, { now: NOW })).toBe("ignored_topic");
    await expect(recordDelivery({ db }, { shop: direct, topic: "orders/paid", payload: { id: 1 } }, { now: NOW })).rejects.toBeInstanceOf(MalformedPayloadError);
    expect(await snapshot(db)).toEqual(before);
  });
});
