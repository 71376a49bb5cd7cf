// Saving Timing & settings on real databases: a changed coverage restates the stored window of a shipment
// not yet mailed (and re-plans), a mailed one keeps its promise; switching the at-risk rule moves a
// shipment in or out of at risk; the handling commitment mail prints the learned figures unless pinned.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, buyer, DAY, delivery, HOUR, useDatabase } from "./harness";
import { fulfillmentEventFor, fulfillmentPayloadFor } from "#tests/demo/scenario";
import { startCaptureServer, type CaptureServer } from "#tests/standins/capture-server";
import { submitTiming } from "~/admin/settings-actions.server";
import { createSendGridMailer } from "~/mail/sendgrid.server";
import { runBatch } from "~/notifications/batch.server";
import { addBusinessDays } from "~/shipments/estimate";
import { publicHolidayChecker } from "~/shipments/holidays";

const timingForm = (over: Record<string, string | undefined> = {}) =>
  Object.fromEntries(
    Object.entries({
      handlingEnabled: "on", handlingDelayMinutes: "10", handlingHours: "48", onlineTrackingDays: "3", shippingEnabled: "on",
      feedbackEnabled: "on", feedbackDelayDays: "7", feedbackFallbackDays: "5", delayEnabled: "on", delayGraceDays: "3", silenceDays: "7",
      estimateCoveragePercent: "90", atRiskRule: "learned", ...over,
    }).filter(([, value]) => value !== undefined),
  );

describe.each(backends)("timing settings on $name", (backend) => {
  const suite = useDatabase(backend);
  const { deliver, newShop, paidOrder } = suite;
  // The worker records at the wall clock, so the parcels are recent as the model reads them.
  const now = new Date();
  const at = (daysAgo: number, hours = 0) => new Date(now.getTime() - daysAgo * DAY + hours * HOUR);
  let shop: string;
  let capture: CaptureServer;

  async function ship(i: number, shippedDaysAgo: number) {
    const order = await paidOrder(shop, 7000 + i, buyer(`Lane${i}`), at(shippedDaysAgo + 1));
    const created = at(shippedDaysAgo);
    const payload = fulfillmentPayloadFor(8000 + i, order.id, "DHL Express", `JD0146${String(i).padStart(4, "0")}`, "US", { created, updated: created });
    expect(await deliver(delivery(shop, "fulfillments/create", payload))).toBe("recorded");
  }
  // The lane model counts transit in business days of the destination, so the parcels are delivered 2, 3
  // and 4 US business days after their first scan: counted in calendar days, a weekend or a holiday (a
  // run on 3 December 2026 put Thanksgiving in the way) folds two of them into one, and 6 in 10 and 9 in
  // 10 become the same window.
  const usHoliday = publicHolidayChecker("US");
  const event = (i: number, n: number, status: string, happened: Date) => fulfillmentEventFor(90_000 + i * 10 + n, 8000 + i, 7000 + i, status, happened);
  const shipment = (i: number) => suite.db.shipment.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: String(8000 + i) } } });
  const planned = (kind: string, i: number) => suite.db.notification.findFirstOrThrow({ where: { shop, kind, orderShopifyId: String(7000 + i) } });

  beforeAll(async () => {
    capture = await startCaptureServer();
    shop = await newShop("timing");
    await suite.db.shop.update({ where: { domain: shop }, data: { country: "DE" } });
    // 40 parcels paid a day before they shipped, scanned a day after, delivered 2 to 4 business days later.
    for (let i = 0; i < 40; i++) {
      await ship(i, 12);
      expect(await deliver(delivery(shop, "fulfillment_events/create", event(i, 1, "in_transit", at(11))))).toBe("recorded");
      const delivered = addBusinessDays(at(11), 2 + (i % 3), usHoliday);
      expect(delivered.getTime()).toBeLessThan(now.getTime());
      expect(await deliver(delivery(shop, "fulfillment_events/create", event(i, 2, "delivered", delivered)))).toBe("recorded");
    }
    await ship(40, 0); // in transit, its window not mailed yet
    await ship(41, 0); // in transit, its shipping confirmation already sent
    await suite.db.notification.updateMany({ where: { shop, kind: "shipping_confirmation", orderShopifyId: "7041" }, data: { status: "sent" } });
    await ship(42, 10); // scanned once, ten days ago, and silent since
    expect(await deliver(delivery(shop, "fulfillment_events/create", event(42, 1, "in_transit", at(10))))).toBe("recorded");
  }, 240_000);
  afterAll(async () => {
    await capture?.close();
  });

  it("moves a shipment in and out of at risk when the rule changes, and re-plans its delay notice", async () => {
    expect((await shipment(42)).estimateSource).toBe("lane");
    // Fixed, with generous days: ten days out is not late yet.
    expect(await submitTiming(suite.db, shop, timingForm({ atRiskRule: "fixed", delayGraceDays: "30", silenceDays: "30" }), now)).toMatchObject({ toast: expect.stringMatching(/re-planned/) });
    const fixed = await shipment(42);
    expect(fixed.atRiskAt!.getTime()).toBeGreaterThan(now.getTime() + 10 * DAY);
    expect((await planned("delay_notice", 42)).scheduledFor.getTime()).toBeGreaterThan(now.getTime() + 10 * DAY);
    // Learned: past the lane's own slow tail (its parcels took 2 to 4 business days), so at risk now.
    await submitTiming(suite.db, shop, timingForm({ atRiskRule: "learned", delayGraceDays: "30", silenceDays: "30" }), now);
    const learned = await shipment(42);
    expect(learned.atRiskAt!.getTime()).toBeLessThanOrEqual(now.getTime());
    expect(learned.atRiskReason).toMatch(/overdue|silent/);
    expect((await planned("delay_notice", 42)).scheduledFor.getTime()).toBeLessThan(now.getTime() + 2 * DAY);
    expect((await suite.db.shop.findUniqueOrThrow({ where: { domain: shop } })).atRiskRule).toBe("learned");
  });

  it("restates a window not yet mailed at the new coverage and re-plans from it; a mailed window stands", async () => {
    const [before, mailed, feedback] = await Promise.all([shipment(40), shipment(41), planned("feedback_request", 40)]);
    expect(before.estimateSource).toBe("lane");
    expect(await submitTiming(suite.db, shop, timingForm({ estimateCoveragePercent: "60" }), now)).toMatchObject({ toast: expect.stringMatching(/re-planned/) });
    const after = await shipment(40);
    expect((await suite.db.shop.findUniqueOrThrow({ where: { domain: shop } })).estimateCoverage).toBeCloseTo(0.6, 9);
    // 6 in 10 instead of 9 in 10: a narrower window that ends sooner.
    expect(after.estimatedDeliveryTo!.getTime()).toBeLessThan(before.estimatedDeliveryTo!.getTime());
    expect(after.estimatedDeliveryTo!.getTime() - after.estimatedDeliveryFrom!.getTime()).toBeLessThan(before.estimatedDeliveryTo!.getTime() - before.estimatedDeliveryFrom!.getTime());
    expect(after.estimateSource).toBe("lane");
    // The feedback request's fallback waits for the new window's end.
    expect((await planned("feedback_request", 40)).scheduledFor.getTime()).toBeLessThan(feedback.scheduledFor.getTime());
    const mailedAfter = await shipment(41);
    expect([mailedAfter.estimatedDeliveryFrom, mailedAfter.estimatedDeliveryTo]).toEqual([mailed.estimatedDeliveryFrom, mailed.estimatedDeliveryTo]);
    await submitTiming(suite.db, shop, timingForm(), now);
  });

  it("prints the learned handling hours and online days in the handling commitment, and the pinned ones when pinned", async () => {
    const options = { db: suite.db, mailer: createSendGridMailer({ apiKey: "SG.data-layer-test", baseUrl: capture.url }), from: { email: "n@parcelwise.test", name: "Parcelwise" } };
    const commitmentMail = async (id: number) => {
      await paidOrder(shop, id, buyer(`Buyer${id}`), new Date(now.getTime() - HOUR));
      await suite.db.notification.updateMany({ where: { shop, kind: { not: "handling_commitment" } }, data: { status: "cancelled" } });
      capture.clear();
      await runBatch(options, new Date());
      const notification = await planned("handling_commitment", id - 7000);
      expect(notification.status).toBe("sent");
      const mail = capture.mails.find((m) => m.customArgs.notification_id === notification.id);
      expect(mail).toBeDefined();
      return mail!.text ?? "";
    };
    // Learned from the 40 orders: fulfilled 24 hours after payment, first scan a day later (settings: 48 h, 3 days).
    const learned = await commitmentMail(7100);
    expect(learned).toContain("within 24 hours");
    expect(learned).toContain("another 1 day ");
    await submitTiming(suite.db, shop, timingForm({ handlingHours: "72", handlingHoursPinned: "on", onlineTrackingDaysPinned: "on" }), now);
    const pinned = await commitmentMail(7101);
    expect(pinned).toContain("within 72 hours");
    expect(pinned).toContain("another 3 days");
  });
});
