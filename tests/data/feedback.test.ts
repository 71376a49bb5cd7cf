// The feedback rules' records against real databases: refunds and returns recorded on the order from
// their webhooks (an older returns event changes nothing), and the facts loaded for several orders at
// once, one buyer across orders, scoped by shop.
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~/db.server";
import { feedbackFactsFor } from "~/feedback/facts.server";
import { normalizeEmail } from "~/mail/address";
import { fulfillmentEventFor, fulfillmentPayloadFor, orderPayloadFor } from "#tests/demo/scenario";
import { ago, backends, buyer, DAY, delivery, MINUTE, useDatabase } from "./harness";

const returnOf = (orderId: number, status: string) => ({ id: 77, admin_graphql_api_id: "gid://shopify/Return/77", status, order: { id: orderId }, return_line_items: [] });

describe.each(backends)("feedback rules' records on $name", (backend) => {
  const suite = useDatabase(backend);
  const { deliver, newShop, paidOrder } = suite;
  let db: Db;
  beforeAll(() => {
    db = suite.db;
  });
  const orderRow = (shop: string, id: number) => db.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: String(id) } } });

  it("records a refund of a line once, and ignores a shipping-only refund and an unknown order", async () => {
    const shop = await newShop("refunds");
    await paidOrder(shop, 5101, buyer("Ada"));
    await paidOrder(shop, 5102, buyer("Bea"));
    const first = ago(2 * DAY);
    expect(await deliver(delivery(shop, "refunds/create", { id: 1, order_id: 5101, created_at: first.toISOString(), refund_line_items: [{ id: 1, quantity: 1 }] }))).toBe("recorded");
    expect(await deliver(delivery(shop, "refunds/create", { id: 2, order_id: 5101, created_at: ago(DAY).toISOString(), refund_line_items: [{ id: 2, quantity: 1 }] }))).toBe("recorded");
    expect(await deliver(delivery(shop, "refunds/create", { id: 3, order_id: 5102, created_at: ago(DAY).toISOString(), refund_line_items: [] }))).toBe("recorded");
    expect(await deliver(delivery(shop, "refunds/create", { id: 4, order_id: 5999, created_at: ago(DAY).toISOString(), refund_line_items: [{ id: 3 }] }))).toBe("recorded");
    expect((await orderRow(shop, 5101)).refundedAt).toEqual(first);
    expect((await orderRow(shop, 5102)).refundedAt).toBeNull();
    expect(await db.order.count({ where: { shop, shopifyId: "5999" } })).toBe(0);
  });

  it("keeps the return status of the newest returns event, whatever order they arrive in", async () => {
    const shop = await newShop("returns");
    await paidOrder(shop, 5201, buyer("Cid"));
    await deliver(delivery(shop, "returns/approve", returnOf(5201, "open"), { triggeredAt: ago(MINUTE) }));
    // The request came first at Shopify, but reaches us after the approval: it changes nothing.
    await deliver(delivery(shop, "returns/request", returnOf(5201, "requested"), { triggeredAt: ago(2 * MINUTE) }));
    expect((await orderRow(shop, 5201)).returnStatus).toBe("IN_PROGRESS");
    await deliver(delivery(shop, "returns/close", returnOf(5201, "closed"), { triggeredAt: ago(0) }));
    expect((await orderRow(shop, 5201)).returnStatus).toBe("RETURNED");
  });

  it("loads the facts of several orders at once: one buyer across orders (normalised address), never another shop's", async () => {
    const shop = await newShop("facts");
    const other = await newShop("facts-other");
    const dora = buyer("Dora");
    await paidOrder(shop, 5301, dora);
    await paidOrder(shop, 5302, { ...dora, email: dora.email.toUpperCase() });
    await paidOrder(shop, 5303, buyer("Emil"));
    await paidOrder(other, 5304, dora);
    const request = (s: string, orderId: number, status: "scheduled" | "sent", sentAt: Date | null) =>
      db.notification.create({
        data: { shop: s, kind: "feedback_request", planKey: `feedback_request:${orderId}`, orderShopifyId: String(orderId), locale: "en", recipient: dora.email, scheduledFor: ago(DAY), status, sentAt },
      });
    await request(shop, 5302, "sent", ago(DAY));
    await request(other, 5304, "sent", ago(DAY));

    const orders = await db.order.findMany({ where: { shop, shopifyId: { in: ["5301", "5302", "5303"] } } });
    const facts = await feedbackFactsFor(db, shop, orders);
    expect([...facts.keys()].sort()).toEqual(["5301", "5302", "5303"]);
    expect(facts.get("5301")!.buyerRequests.map((r) => [r.orderShopifyId, r.orderName, r.status])).toEqual([["5302", "#1302", "sent"]]);
    // Its own request is not another order's; Emil has none.
    expect(facts.get("5302")!.buyerRequests).toEqual([]);
    expect(facts.get("5303")!.buyerRequests).toEqual([]);
    expect(facts.get("5301")!).toMatchObject({ delayNoticeSent: false, refundedAt: null, returnStatus: null });
  });
  it("loads the facts of a buyer of 1,200 orders and plans her next one: lists longer than one statement takes on SQLite", async () => {
    const shop = await newShop("facts-many");
    const wanda = buyer("Wanda");
    const ids = Array.from({ length: 1200 }, (_, i) => String(60_000 + i));
    await db.order.createMany({ data: ids.map((shopifyId, i) => ({ shop, shopifyId, name: `#W${i}`, email: wanda.email, emailKey: normalizeEmail(wanda.email), shopifyUpdatedAt: ago(200 * DAY) })) });
    await db.notification.createMany({
      data: ids.map((orderShopifyId) => ({ shop, kind: "feedback_request", planKey: `feedback_request:${orderShopifyId}`, orderShopifyId, locale: "en", recipient: wanda.email, scheduledFor: ago(150 * DAY), status: "sent", sentAt: ago(150 * DAY) })),
    });
    const facts = await feedbackFactsFor(db, shop, await db.order.findMany({ where: { shop, shopifyId: "60000" } }));
    expect(facts.get("60000")!.buyerRequests).toHaveLength(1199);
    expect(facts.get("60000")!.buyerRequests.find((r) => r.orderShopifyId === "61199")).toMatchObject({ orderName: "#W1199", status: "sent" });

    // Her next order, delivered: recording it asks the same facts to plan its feedback request.
    const fulfillment = fulfillmentPayloadFor(7400, 5400, "DHL Express", "987655400", "DE", { created: ago(16 * DAY), updated: ago(12 * DAY) }, { shipment_status: "delivered" });
    expect(await deliver(delivery(shop, "orders/updated", orderPayloadFor(5400, 1400, wanda, { processed: ago(18 * DAY), updated: ago(12 * DAY) }, { fulfillments: [fulfillment] })))).toBe("recorded");
    expect(await deliver(delivery(shop, "fulfillment_events/create", fulfillmentEventFor(7401, 7400, 5400, "delivered", ago(12 * DAY))))).toBe("recorded");
    expect(await db.notification.findMany({ where: { shop, orderShopifyId: "5400", kind: "feedback_request" }, select: { status: true } })).toEqual([{ status: "scheduled" }]);
  });
});
