// A shop's install state (app/shops/uninstall.server.ts) against real databases.
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~/db.server";
import { ago, backends, buyer, DAY, delivery, MINUTE, useDatabase } from "./harness";
import { orderPayloadFor } from "#tests/demo/scenario";

describe.each(backends)("shops on $name", (backend) => {
  const suite = useDatabase(backend);
  const { deliver, newShop, paidOrder, notificationsOf } = suite;
  let db: Db;
  beforeAll(() => {
    db = suite.db;
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
    expect(await deliver(delivery(shop, "app/uninstalled", { id: 1, domain: shop }, { triggeredAt }))).toBe("recorded");

    expect((await db.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).toEqual(triggeredAt);
    expect(await db.session.count({ where: { shop } })).toBe(0);
    const statuses = (await notificationsOf(shop)).map((n) => [n.planKey, n.status, n.lastError]);
    expect(statuses).toEqual([
      ["handling_commitment:5001", "cancelled", "the shop uninstalled Parcelwise"],
      ["handling_commitment:5002", "sent", null],
    ]);
    // A later webhook for the uninstalled shop plans nothing.
    expect(await deliver(delivery(shop, "orders/paid", orderPayloadFor(5003, 1003, buyer("Gus"), { processed: ago(MINUTE), updated: ago(MINUTE) })))).toBe("recorded");
    expect(await db.notification.count({ where: { shop, orderShopifyId: "5003" } })).toBe(0);

    expect({ sessions: await db.session.findMany({ where: { shop: other } }), notifications: await notificationsOf(other), shop: await db.shop.findUnique({ where: { domain: other } }) }).toEqual(otherBefore);
  });
});
