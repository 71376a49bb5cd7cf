import { describe, expect, it } from "vitest";
import { fulfillmentEventPayload, fulfillmentFacts, fulfillmentPayload, orderFacts, orderPayload, trackingEventFacts } from "~/orders/payload";
import { eventDeliveriesOf, orderDeliveryOf } from "./deliveries";
import type { ReconciledOrder } from "./orders-query";

// One order as Shopify's webhooks carry it and as the Admin API's orders search returns it.
const webhookOrder = {
  id: 7001,
  name: "#17001",
  email: "anna@example.test",
  customer: { id: 1, first_name: "Anna", last_name: "Schmidt", email: "anna@example.test" },
  customer_locale: "de",
  shipping_address: { first_name: "Anna", last_name: "Schmidt", name: "Anna Schmidt", address1: "Street 1", address2: null, city: "Berlin", province_code: "BE", zip: "10115", country_code: "DE" },
  currency: "EUR",
  total_price: "49.90",
  financial_status: "paid",
  cancelled_at: null,
  created_at: "2026-11-20T10:00:00.000Z",
  processed_at: "2026-11-20T10:00:00.000Z",
  updated_at: "2026-11-22T08:00:00.000Z",
};
const webhookFulfillment = {
  id: 8001,
  order_id: 7001,
  name: "#17001.1",
  status: "success",
  shipment_status: "in_transit",
  created_at: "2026-11-21T09:00:00.000Z",
  updated_at: "2026-11-22T08:00:00.000Z",
  tracking_company: "DHL Express",
  tracking_numbers: ["1234567890"],
  tracking_urls: ["https://www.dhl.com/track?n=1234567890"],
  destination: { country_code: "DE", province_code: "BE" },
};
const webhookEvent = { id: 9001, fulfillment_id: 8001, order_id: 7001, status: "in_transit", message: "Departed", city: "Leipzig", country: "DE", happened_at: "2026-11-22T07:00:00.000Z", created_at: "2026-11-22T07:05:00.000Z", estimated_delivery_at: "2026-11-25T00:00:00.000Z" };

const node: ReconciledOrder = {
  id: "gid://shopify/Order/7001",
  name: "#17001",
  email: "anna@example.test",
  createdAt: webhookOrder.created_at,
  updatedAt: webhookOrder.updated_at,
  processedAt: webhookOrder.processed_at,
  cancelledAt: null,
  displayFinancialStatus: "PAID",
  customerLocale: "de",
  currencyCode: "EUR",
  totalPriceSet: { shopMoney: { amount: "49.90" } },
  customer: { firstName: "Anna", lastName: "Schmidt", email: "anna@example.test" },
  shippingAddress: { firstName: "Anna", lastName: "Schmidt", name: "Anna Schmidt", address1: "Street 1", address2: null, city: "Berlin", provinceCode: "BE", zip: "10115", countryCodeV2: "DE" },
  fulfillments: [
    {
      id: "gid://shopify/Fulfillment/8001",
      name: "#17001.1",
      createdAt: webhookFulfillment.created_at,
      updatedAt: webhookFulfillment.updated_at,
      status: "SUCCESS",
      displayStatus: "IN_TRANSIT",
      trackingInfo: [{ company: "DHL Express", number: "1234567890", url: "https://www.dhl.com/track?n=1234567890" }],
      originAddress: null,
      events: {
        nodes: [{ id: "gid://shopify/FulfillmentEvent/9001", status: "IN_TRANSIT", message: "Departed", city: "Leipzig", country: "DE", happenedAt: webhookEvent.happened_at, createdAt: webhookEvent.created_at, estimatedDeliveryAt: webhookEvent.estimated_delivery_at }],
      },
    },
  ],
};

describe("a reconciled order as webhook deliveries", () => {
  it("is recorded with the same facts as its webhooks: the order, its fulfillment and its carrier event", () => {
    const order = orderDeliveryOf(node);
    expect(order.topic).toBe("orders/updated");
    const parsed = orderPayload.parse(order.payload);
    expect(orderFacts(parsed)).toEqual(orderFacts(orderPayload.parse(webhookOrder)));
    expect(parsed.fulfillments?.map(fulfillmentFacts)).toEqual([fulfillmentFacts(fulfillmentPayload.parse(webhookFulfillment))]);
    const events = eventDeliveriesOf(node);
    expect(events.map((e) => e.topic)).toEqual(["fulfillment_events/create"]);
    expect(events.map((e) => trackingEventFacts(fulfillmentEventPayload.parse(e.payload)))).toEqual([trackingEventFacts(fulfillmentEventPayload.parse(webhookEvent))]);
  });

  it("an order without fulfillments is one orders/updated delivery", () => {
    const bare = { ...node, fulfillments: [] };
    expect(eventDeliveriesOf(bare)).toEqual([]);
    expect(orderPayload.parse(orderDeliveryOf(bare).payload).fulfillments).toEqual([]);
  });
});
