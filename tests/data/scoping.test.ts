// Scoping by shop against real databases: two shops with the same Shopify ids never see each other's records.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "~/db.server";
import { ago, backends, buyer, DAY, delivery, HOUR, MINUTE, NOW, records, useDatabase } from "./harness";
import { runBatch } from "~/notifications/batch.server";
import { startCaptureServer, type CaptureServer } from "#tests/standins/capture-server";
import { createSendGridMailer } from "~/mail/sendgrid.server";
import { fulfillmentEventFor, fulfillmentPayloadFor, orderPayloadFor } from "#tests/demo/scenario";

describe.each(backends)("scoping by shop on $name", (backend) => {
  const suite = useDatabase(backend);
  const { deliver, newShop } = suite;
  let db: Db;
  beforeAll(() => {
    db = suite.db;
  });
  let capture: CaptureServer;
  beforeAll(async () => {
    capture = await startCaptureServer();
  });
  afterAll(async () => {
    await capture?.close();
  });

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
      expect(await deliver(delivery(shop, "orders/paid", orderPayloadFor(5001, 1001, buyers[shop], { processed: ago(10 * DAY), updated: ago(10 * DAY) }), { webhookId: "wh-same" }))).toBe("recorded");
      expect(await deliver(delivery(shop, "fulfillments/create", fulfillmentPayloadFor(7001, 5001, "UPS", "1Z999AA10123456784", buyers[shop].country, { created: ago(9 * DAY), updated: ago(9 * DAY) }), { webhookId: "wh-same-f" }))).toBe("recorded");
      expect(await deliver(delivery(shop, "fulfillment_events/create", fulfillmentEventFor(9001, 7001, 5001, "delivered", ago(8 * DAY)), { webhookId: "wh-same-e" }))).toBe("recorded");
    }
    for (const shop of [a, b]) {
      const r = await records(db, shop);
      expect(r.order.map((o) => o.email)).toEqual([buyers[shop].email]);
      expect(r.shipment.map((s) => [s.shopifyId, s.destinationCountry, s.deliveredAt])).toEqual([["7001", buyers[shop].country, ago(8 * DAY)]]);
      expect(r.trackingEvent).toHaveLength(1);
      expect(new Set(r.notification.map((n) => n.recipient))).toEqual(new Set([buyers[shop].email]));
      // The delay notice was planned while the parcel travelled and withdrawn when it was delivered; the
      // shipping confirmation, never sent, is withdrawn too: the parcel was delivered before it could go.
      expect(r.notification.map((n) => [n.planKey, n.status]).sort()).toEqual([
        ["delay_notice:7001", "cancelled"],
        ["feedback_request:5001", "scheduled"],
        ["handling_commitment:5001", "cancelled"],
        ["shipping_confirmation:7001", "cancelled"],
      ]);
      expect(r.notification.filter((n) => n.status === "scheduled").every((n) => n.scheduledFor <= NOW), "both due").toBe(true);
    }

    // Cancelling and redacting in shop A leaves shop B as it was.
    const before = await records(db, b);
    const cancelled = orderPayloadFor(5001, 1001, buyers[a], { processed: ago(3 * DAY), updated: ago(HOUR) }, { cancelled_at: ago(HOUR).toISOString() });
    expect(await deliver(delivery(a, "orders/cancelled", cancelled))).toBe("recorded");
    expect(await deliver(delivery(a, "customers/redact", { customer: { id: 1, email: buyers[b].email }, orders_to_redact: [5001] }))).toBe("recorded");
    expect(await deliver(delivery(a, "fulfillment_events/create", fulfillmentEventFor(9002, 7001, 5001, "failure", ago(MINUTE))))).toBe("recorded");
    expect(await records(db, b)).toEqual(before);
    expect((await db.notification.findMany({ where: { shop: a } })).every((n) => n.status === "cancelled")).toBe(true);

    // The worker sends shop B's due messages to shop B's buyer, under shop B's name.
    const result = await runBatch({ db, mailer: createSendGridMailer({ apiKey: "SG.data-layer-test", baseUrl: capture.url }), from: { email: "notifications@parcelwise.test", name: "Parcelwise" } }, NOW);
    // Shop A's due messages were cancelled with its order, so only shop B's feedback request goes out.
    expect(result).toMatchObject({ claimed: 1, sent: 1 });
    expect(capture.mails.map((m) => [m.to[0], m.fromName, m.customArgs.shop, m.categories[1]]).sort()).toEqual([
      [buyers[b].email, "Shop B", b, "feedback_request"],
    ]);

    // shop/redact of A leaves B whole.
    const bBefore = await records(db, b);
    expect(await deliver(delivery(a, "shop/redact", { shop_domain: a }))).toBe("recorded");
    expect(await records(db, a)).toEqual({ order: [], shipment: [], trackingEvent: [], notification: [] });
    expect(await records(db, b)).toEqual(bBefore);
  });
});
