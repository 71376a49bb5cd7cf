// Orders (app/orders/record.server.ts) against real databases: stale versions, cancellation, and
// concurrent webhooks about one order.
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~/db.server";
import { ago, backends, buyer, DAY, delivery, HOUR, MINUTE, settle, shuffled, snapshot, useDatabase } from "./harness";
import { fulfillmentPayloadFor, orderPayloadFor } from "#tests/demo/scenario";

describe.each(backends)("orders on $name", (backend) => {
  const suite = useDatabase(backend);
  const { deliver, newShop, paidOrder, notificationsOf } = suite;
  let db: Db;
  beforeAll(() => {
    db = suite.db;
  });

  it("a stale orders/updated (or fulfillments/update) changes nothing; a newer one updates the order and its notifications", async () => {
    const shop = await newShop("stale");
    const who = buyer("Sam");
    await paidOrder(shop, 5001, who, ago(2 * HOUR));
    const current = orderPayloadFor(5001, 1001, who, { processed: ago(2 * HOUR), updated: ago(HOUR) });
    expect(await deliver(delivery(shop, "orders/updated", current))).toBe("recorded");
    const shipped = { created: ago(HOUR), updated: ago(30 * MINUTE) };
    expect(await deliver(delivery(shop, "fulfillments/create", fulfillmentPayloadFor(7001, 5001, "UPS", "1Z999AA10123456784", "US", shipped)))).toBe("recorded");
    const { webhookReceipt: _receipts, ...before } = await snapshot(db);

    const stale = orderPayloadFor(5001, 1001, { ...who, email: "old.address@example.com" }, { processed: ago(2 * HOUR), updated: ago(90 * MINUTE) });
    expect(await deliver(delivery(shop, "orders/updated", stale))).toBe("recorded");
    const staleShipment = fulfillmentPayloadFor(7001, 5001, "UPS", "1Z999AA19999999999", "US", { created: ago(HOUR), updated: ago(45 * MINUTE) }, { status: "cancelled" });
    expect(await deliver(delivery(shop, "fulfillments/update", staleShipment))).toBe("recorded");
    const { webhookReceipt: _after, ...after } = await snapshot(db);
    expect(after).toEqual(before);
    expect(await db.webhookReceipt.count({ where: { shop } })).toBe(5); // received, just stale

    const newer = orderPayloadFor(5001, 1001, { ...who, email: "new.address@example.com", locale: "fr" }, { processed: ago(2 * HOUR), updated: ago(MINUTE) });
    expect(await deliver(delivery(shop, "orders/updated", newer))).toBe("recorded");
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
    expect(await deliver(delivery(shop, "fulfillments/create", fulfillment))).toBe("recorded");
    expect(await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "handling_commitment:5001" } } })).toMatchObject({
      status: "sent",
      providerMessageId: "msg-1",
    });

    const cancelled = { ...order, cancelled_at: ago(MINUTE).toISOString(), updated_at: ago(MINUTE).toISOString(), financial_status: "refunded" };
    expect(await deliver(delivery(shop, "orders/cancelled", cancelled))).toBe("recorded");
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
      const outcomes = await settle(shuffled([...versions, ...copies], round).map((d) => deliver(d)));
      expect(outcomes.filter((o) => o === "recorded"), `round ${round}: ${outcomes.join(", ")}`).toHaveLength(6);
      expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(2);
      expect(await db.webhookReceipt.count({ where: { shop } })).toBe(6);
      const order = await db.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: "5001" } } });
      expect(order, `round ${round}`).toMatchObject({ email: "v6@example.com", shopifyUpdatedAt: ago(DAY - 6 * MINUTE) });
      const notifications = await notificationsOf(shop);
      expect(notifications.map((n) => [n.planKey, n.status, n.recipient])).toEqual([["handling_commitment:5001", "scheduled", "v6@example.com"]]);
    }
  });
});
