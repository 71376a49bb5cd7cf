// Shopify's compliance webhooks (app/compliance/) against real databases: redaction erases exactly one buyer
// or one shop.
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~/db.server";
import { ago, backends, buyer, DAY, delivery, NOW, records, snapshot, useDatabase } from "./harness";
import { REDACTED } from "~/compliance/compliance.server";
import { fulfillmentEventFor, fulfillmentPayloadFor, orderPayloadFor } from "#tests/demo/scenario";

describe.each(backends)("compliance on $name", (backend) => {
  const suite = useDatabase(backend);
  const { deliver, newShop, paidOrder } = suite;
  let db: Db;
  beforeAll(() => {
    db = suite.db;
  });

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
    expect(await deliver(delivery(shop, "fulfillments/create", fulfillmentPayloadFor(7001, 5001, "UPS", "1Z999AA10123456784", "US", { created: ago(DAY), updated: ago(DAY) })))).toBe("recorded");
    expect(await deliver(delivery(shop, "customers/data_request", { shop_domain: shop, customer: { id: 555, email: ann.email }, orders_requested: [5001] }))).toBe("recorded");
    const bobBefore = {
      orders: await db.order.findMany({ where: { shop, email: bob.email } }),
      notifications: await db.notification.findMany({ where: { shop, orderShopifyId: "5003" } }),
    };
    // She wrote through the contact form of her first order, and Bob through his.
    const contact = (domain: string, orderShopifyId: string, message: string) =>
      db.contactMessage.create({ data: { shop: domain, notificationId: `n${orderShopifyId}`, orderShopifyId, message, rating: 2 } });
    await contact(shop, "5001", "Ann here: the parcel came open");
    await contact(shop, "5003", "Bob: all fine");
    await contact(other, "5001", "Ann at the other shop");
    // She unsubscribed since, at both shops.
    await db.suppression.create({ data: { shop, email: ann.email, reason: "unsubscribe" } });
    await db.suppression.create({ data: { shop: other, email: ann.email, reason: "unsubscribe" } });
    const otherBefore = await records(db, other);

    const request = { shop_id: 1, shop_domain: shop, customer: { id: 555, email: ann.email, phone: null }, orders_to_redact: [5001, 5002] };
    expect(await deliver(delivery(shop, "customers/redact", request))).toBe("recorded");

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
    // Her message is gone; Bob's, and hers at the other shop, are not.
    expect((await db.contactMessage.findMany({ where: { shop } })).map((m) => m.message)).toEqual(["Bob: all fine"]);
    expect(await db.contactMessage.count({ where: { shop: other } })).toBe(1);
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
    expect(await deliver(delivery(shop, "orders/updated", update))).toBe("recorded");
    expect((await db.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: "5002" } } })).email).toBeNull();
    expect(await db.notification.count({ where: { shop, status: "scheduled", orderShopifyId: { in: ["5001", "5002"] } } })).toBe(0);
  });

  it("customers/redact erases a buyer of 1,200 orders: lists longer than one statement takes on SQLite", async () => {
    const shop = await newShop("redact-many");
    const email = "wholesale@example.com";
    const ids = Array.from({ length: 1200 }, (_, i) => String(80_000 + i));
    await db.order.createMany({ data: ids.map((shopifyId, i) => ({ shop, shopifyId, name: `#${i}`, email, emailKey: email, buyerName: "Wanda", shopifyUpdatedAt: ago(DAY) })) });
    await db.order.create({ data: { shop, shopifyId: "99999", name: "#other", email: "carl@example.com", emailKey: "carl@example.com", shopifyUpdatedAt: ago(DAY) } });
    await db.notification.createMany({
      data: ids.map((orderShopifyId) => ({ shop, kind: "feedback_request", planKey: `feedback_request:${orderShopifyId}`, orderShopifyId, locale: "en", recipient: email, scheduledFor: ago(-DAY), status: "scheduled" })),
    });
    await db.contactMessage.createMany({ data: ids.map((orderShopifyId) => ({ shop, notificationId: `n${orderShopifyId}`, orderShopifyId, message: "Wanda: where is it?" })) });
    // Shopify names 1,100 of her orders; the other 100 are hers by address.
    const request = { shop_id: 1, shop_domain: shop, customer: { id: 556, email, phone: null }, orders_to_redact: ids.slice(0, 1100).map(Number) };
    expect(await deliver(delivery(shop, "customers/redact", request))).toBe("recorded");

    expect(await db.order.count({ where: { shop, OR: [{ email: { not: null } }, { redactedAt: null }], shopifyId: { not: "99999" } } })).toBe(0);
    expect(await db.order.count({ where: { shop, redactedAt: { not: null } } })).toBe(1200);
    expect(await db.notification.count({ where: { shop, recipient: REDACTED, status: "cancelled" } })).toBe(1200);
    expect(await db.contactMessage.count({ where: { shop } })).toBe(0);
    expect((await db.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: "99999" } } })).email).toBe("carl@example.com");
    const answered = await db.complianceRequest.findFirstOrThrow({ where: { shop, topic: "customers/redact" } });
    expect((JSON.parse(answered.orderIds) as string[]).sort()).toEqual([...ids].sort());
  });

  it("shop/redact deletes every row of that shop and no other shop's", async () => {
    const shop = await newShop("gone");
    const other = await newShop("kept");
    for (const domain of [shop, other]) {
      await paidOrder(domain, 5001, buyer("Ivy"), ago(3 * DAY));
      expect(await deliver(delivery(domain, "fulfillments/create", fulfillmentPayloadFor(7001, 5001, "UPS", "1Z999AA10123456784", "US", { created: ago(2 * DAY), updated: ago(2 * DAY) })))).toBe("recorded");
      expect(await deliver(delivery(domain, "fulfillment_events/create", fulfillmentEventFor(9001, 7001, 5001, "in_transit", ago(DAY))))).toBe("recorded");
      expect(await deliver(delivery(domain, "customers/data_request", { customer: { id: 1, email: "ivy@example.com" }, orders_requested: [5001] }))).toBe("recorded");
      await db.template.create({ data: { shop: domain, kind: "handling_commitment", locale: "en", subject: "s", html: "h", text: "t" } });
      await db.session.create({ data: { id: `offline_${domain}`, shop: domain, state: "", accessToken: "shpat_x" } });
      await db.suppression.create({ data: { shop: domain, email: "ivy@example.com", reason: "bounce" } });
      await db.contactMessage.create({ data: { shop: domain, notificationId: "n5001", orderShopifyId: "5001", message: "Ivy: where is it?" } });
    }
    const otherRows = async () => {
      const all = await snapshot(db);
      return Object.fromEntries(
        Object.entries(all).map(([table, rows]) => [table, (rows as Array<{ shop?: string; domain?: string }>).filter((r) => (r.shop ?? r.domain) === other)]),
      );
    };
    const otherBefore = await otherRows();
    expect(Object.values(otherBefore).every((rows) => rows.length > 0)).toBe(true);

    expect(await deliver(delivery(shop, "shop/redact", { shop_id: 1, shop_domain: shop }))).toBe("recorded");

    const all = await snapshot(db);
    for (const [table, rows] of Object.entries(all)) {
      const left = (rows as Array<{ shop?: string; domain?: string; topic?: string }>).filter((r) => (r.shop ?? r.domain) === shop);
      // Only the receipt of the shop/redact delivery itself remains (it names no one, and makes a retry a duplicate).
      if (table === "webhookReceipt") expect(left.map((r) => r.topic)).toEqual(["shop/redact"]);
      else expect(left, table).toEqual([]);
    }
    expect(await otherRows()).toEqual(otherBefore);
    // Shopify may send it again (also after the shop row is gone).
    expect(await deliver(delivery(shop, "shop/redact", { shop_id: 1, shop_domain: shop }))).toBe("recorded");
  });

  it("customers/data_request is recorded", async () => {
    const shop = await newShop("request");
    const payload = { shop_id: 1, shop_domain: shop, customer: { id: 777, email: "kim@example.com", phone: null }, orders_requested: [5001, "5002"], data_request: { id: 9 } };
    expect(await deliver(delivery(shop, "customers/data_request", payload))).toBe("recorded");
    const rows = await db.complianceRequest.findMany({ where: { shop } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ topic: "customers/data_request", customerEmail: "kim@example.com", customerId: "777", answeredAt: null });
    expect(JSON.parse(rows[0].orderIds)).toEqual(["5001", "5002"]);
  });
});
