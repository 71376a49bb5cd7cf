// A feedback request through the real server, as a buyer gets it: signed webhooks for an order whose
// parcel was delivered twelve days ago, the worker's mail captured at the SendGrid stand-in.
import { expect } from "vitest";
import { eventually, TEST_SECRET, TEST_SHOP, type AppServer } from "./app-server";
import { sendWebhook } from "#tests/standins/sign";
import { fulfillmentEventFor, fulfillmentPayloadFor, orderPayloadFor, type Buyer } from "#tests/demo/scenario";
import type { CapturedMail } from "#tests/standins/capture-server";

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms);

/** Order `order` (fulfillment, event and customer ids derived from it) delivered to `buyer`; resolves with its captured feedback request. */
export async function deliveredOrderFeedbackMail(app: AppServer, order: number, buyer: Buyer): Promise<CapturedMail> {
  const deliver = async (topic: string, payload: unknown) => {
    const response = await sendWebhook(app.baseUrl, TEST_SECRET, { topic, shop: TEST_SHOP, payload });
    expect(response.status, `${topic} webhook`).toBe(200);
  };
  const fulfillment = fulfillmentPayloadFor(order + 1000, order, "DHL Express", `98765${order}`, "DE", { created: ago(16 * DAY), updated: ago(12 * DAY) }, { shipment_status: "delivered" });
  await deliver("orders/updated", orderPayloadFor(order, order + 10_000, buyer, { processed: ago(18 * DAY), updated: ago(12 * DAY) }, { fulfillments: [fulfillment] }));
  await deliver("fulfillment_events/create", fulfillmentEventFor(order + 2000, order + 1000, order, "delivered", ago(12 * DAY)));
  const where = { shop: TEST_SHOP, orderShopifyId: String(order), kind: "feedback_request" };
  await eventually(() => app.db.notification.findFirst({ where }), 30_000, "the feedback request row");
  // Due now whatever the buyer's local time (the worker otherwise waits for their daytime).
  await app.db.notification.updateMany({ where: { ...where, status: "scheduled" }, data: { scheduledFor: ago(1000) } });
  return eventually(async () => app.capture.mails.find((m) => m.to.includes(buyer.email) && m.categories.includes("feedback_request")), 30_000, "the feedback request");
}
