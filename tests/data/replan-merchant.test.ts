// Re-planning never overrides a merchant's own decision about a message: a cancel stays cancelled, a
// "send now" keeps its time, a resend is not withdrawn while the order is live.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/db.server";
import { replanOrder } from "~/notifications/replan.server";
import { suppress } from "~/mail/events.server";
import { applyMessageAction } from "~/admin/activity.server";
import { postpone } from "~/notifications/queue.server";
import { MERCHANT_CANCELLED, MERCHANT_SENT_NOW, RESEND_PREFIX } from "~/notifications/merchant";
import { openSqlite, type Opened } from "../support/databases";
import { seedDueNotifications } from "../support/due-notifications";

const SHOP = "merchant-calls.myshopify.com";

describe("re-planning and the merchant's decisions", () => {
  let database: Opened;
  let db: Db;
  const replan = (orderShopifyId: string) => db.$transaction((tx) => replanOrder(tx, SHOP, orderShopifyId));
  const row = (planKey: string) => db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop: SHOP, planKey } } });

  beforeAll(async () => {
    database = await openSqlite();
    db = createDb(database.url);
    await seedDueNotifications(db, { shop: SHOP, count: 5, dueAt: new Date(Date.now() + 86_400_000) });
    // Start from what the planner itself wants for these orders.
    await db.notification.deleteMany({ where: { shop: SHOP } });
    for (const id of ["900000", "900001", "900002", "900003", "900004"]) await replan(id);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database?.close();
  });

  it("the planner planned a confirmation and a delay notice per order", async () => {
    expect((await row("shipping_confirmation:700000")).status).toBe("scheduled");
    expect((await row("delay_notice:700000")).status).toBe("scheduled");
  });

  it("a merchant's cancel stays cancelled", async () => {
    await db.notification.update({ where: { shop_planKey: { shop: SHOP, planKey: "delay_notice:700000" } }, data: { status: "cancelled", merchantAction: MERCHANT_CANCELLED } });
    await replan("900000");
    expect(await row("delay_notice:700000")).toMatchObject({ status: "cancelled", merchantAction: MERCHANT_CANCELLED });
  });

  it("'send now' keeps its time", async () => {
    const now = new Date();
    await db.notification.update({ where: { shop_planKey: { shop: SHOP, planKey: "delay_notice:700001" } }, data: { scheduledFor: now, merchantAction: MERCHANT_SENT_NOW } });
    await replan("900001");
    expect(await row("delay_notice:700001")).toMatchObject({ status: "scheduled", scheduledFor: now });
  });

  it("'send now' keeps its time after the worker postponed it", async () => {
    // A delivery expected in ten days: the feedback request is planned for well after that.
    await db.shipment.update({ where: { shop_shopifyId: { shop: SHOP, shopifyId: "700004" } }, data: { estimatedDeliveryTo: new Date(Date.now() + 10 * 86_400_000) } });
    await replan("900004");
    const planned = await row("feedback_request:900004");
    expect(planned.scheduledFor.getTime()).toBeGreaterThan(Date.now() + 3_600_000);
    const now = new Date();
    expect(await applyMessageAction(db, SHOP, planned.id, "send_now", now)).toMatchObject({ ok: true });
    // The worker claims it and has to wait (SendGrid rate-limited it), which it notes as the error.
    // (The claim as claimDue makes it, for this one row only: the suite's other orders have messages due too.)
    const claimed = await db.notification.update({
      where: { id: planned.id, status: "scheduled" },
      data: { status: "sending", leaseUntil: new Date(now.getTime() + 60_000), attempts: { increment: 1 } },
    });
    await postpone(db, claimed, now, 60_000, "SendGrid rate limit: trying again in a minute");
    const postponedTo = new Date(now.getTime() + 60_000);
    expect(await row("feedback_request:900004")).toMatchObject({ status: "scheduled", scheduledFor: postponedTo });
    await replan("900004");
    expect(await row("feedback_request:900004")).toMatchObject({ status: "scheduled", scheduledFor: postponedTo });
  });

  it("a resend is kept while the order is live, and withdrawn when it is cancelled", async () => {
    const planKey = `${RESEND_PREFIX}original:1`;
    await db.notification.create({
      data: { shop: SHOP, kind: "shipping_confirmation", planKey, orderShopifyId: "900002", shipmentShopifyId: "700002", locale: "en", recipient: "buyer2@example.com", scheduledFor: new Date() },
    });
    await replan("900002");
    expect((await row(planKey)).status).toBe("scheduled");
    await db.order.update({ where: { shop_shopifyId: { shop: SHOP, shopifyId: "900002" } }, data: { cancelledAt: new Date() } });
    await replan("900002");
    expect((await row(planKey)).status).toBe("cancelled");
  });

  it("a buyer who unsubscribed is not planned for, however Shopify spaced or cased the order's address", async () => {
    await db.order.update({ where: { shop_shopifyId: { shop: SHOP, shopifyId: "900003" } }, data: { email: " Buyer3@Example.COM " } });
    await suppress(db, SHOP, "buyer3@example.com", "unsubscribe");
    await replan("900003");
    expect((await row("delay_notice:700003")).status).toBe("cancelled");
  });
});
