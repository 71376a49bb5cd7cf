// Shipments (app/shipments/record.server.ts) against real databases: concurrent fulfillment updates and
// carrier events about one parcel.
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~/db.server";
import { ago, backends, buyer, DAY, delivery, HOUR, MINUTE, settle, shuffled, useDatabase } from "./harness";
import { fulfillmentEventFor, fulfillmentPayloadFor } from "#tests/demo/scenario";

describe.each(backends)("shipments on $name", (backend) => {
  const suite = useDatabase(backend);
  const { deliver, newShop, paidOrder, notificationsOf } = suite;
  let db: Db;
  beforeAll(() => {
    db = suite.db;
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
      const outcomes = await settle(shuffled([...versions, ...events], round).map((d) => deliver(d)));
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
});
