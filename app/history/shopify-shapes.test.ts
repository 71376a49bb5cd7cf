import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fulfillmentEventPayload, fulfillmentFacts, fulfillmentPayload, orderFacts, orderPayload, trackingEventFacts } from "~/orders/payload";
import {
  fulfillmentDateEvents,
  fulfillmentEventPayloadOf,
  fulfillmentPayloadOf,
  isFulfillmentEventLine,
  isOrderLine,
  orderPayloadOf,
  type FulfillmentEventNode,
  type OrderNode,
} from "./shopify-shapes";

const fixture = (name: string) => JSON.parse(readFileSync(join(process.cwd(), "tests/fixtures/shopify-webhooks", name), "utf8")) as Record<string, unknown>;

// The docs' fulfillments/create and fulfillment_events/create samples, as the bulk export spells them.
// The order id stays below 2^53 here: the webhook sample's 820982911946154508 is rounded by JSON.parse.
const ORDER: OrderNode = {
  id: "gid://shopify/Order/8209829119",
  name: "#9999",
  email: "jon@example.com",
  createdAt: "2021-12-31T18:00:00-05:00",
  updatedAt: "2021-12-31T19:00:00-05:00",
  processedAt: "2021-12-31T18:00:00-05:00",
  cancelledAt: null,
  displayFinancialStatus: "PAID",
  customerLocale: "en-CA",
  currencyCode: "USD",
  totalPriceSet: { shopMoney: { amount: "598.94" } },
  shippingAddress: { countryCodeV2: "US", provinceCode: "KY" },
  fulfillments: [
    {
      id: "gid://shopify/Fulfillment/123456",
      name: "#9999.1",
      createdAt: "2021-12-31T19:00:00-05:00",
      updatedAt: "2021-12-31T19:00:00-05:00",
      status: "PENDING",
      displayStatus: "FULFILLED",
      deliveredAt: null,
      inTransitAt: null,
      estimatedDeliveryAt: null,
      trackingInfo: [{ company: "UPS", number: "1z827wk74630", url: "https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1z827wk74630" }],
      originAddress: null,
    },
  ],
};
const EVENT: FulfillmentEventNode = {
  id: "gid://shopify/FulfillmentEvent/1234567",
  status: "IN_TRANSIT",
  happenedAt: "2021-12-31T19:00:00-05:00",
  createdAt: "2021-12-31T19:00:00-05:00",
  message: "Item is now in transit",
  estimatedDeliveryAt: null,
  city: null,
  country: "CA",
  __parentId: "gid://shopify/Fulfillment/123456",
};

describe("the bulk export's shapes, read as webhooks", () => {
  it("records a fulfillment exactly as its fulfillments/create webhook does", () => {
    const webhook = fixture("fulfillments_create.shopify-docs-2026-07-exact.json");
    const fromWebhook = fulfillmentFacts(fulfillmentPayload.parse(webhook));
    const fromHistory = fulfillmentFacts(fulfillmentPayload.parse(fulfillmentPayloadOf(ORDER.fulfillments![0]!, ORDER)));
    expect(fromHistory).toEqual({ ...fromWebhook, orderShopifyId: "8209829119" });
    expect(fromHistory).toMatchObject({ trackingCompany: "UPS", trackingNumbers: ["1z827wk74630"], destinationCountry: "US", destinationRegion: "KY", originCountry: null });
  });

  it("records a carrier event exactly as its fulfillment_events/create webhook does", () => {
    const webhook = fixture("fulfillment_events_create.shopify-docs-2026-07-exact.json");
    const fromWebhook = trackingEventFacts(fulfillmentEventPayload.parse(webhook));
    const fromHistory = trackingEventFacts(fulfillmentEventPayload.parse(fulfillmentEventPayloadOf(EVENT, "8209829119")));
    expect(fromHistory).toEqual({ ...fromWebhook, orderShopifyId: "8209829119" });
  });

  it("reads the order's status, country and province, and never more of the buyer's address", () => {
    const facts = orderFacts(orderPayload.parse(orderPayloadOf(ORDER)));
    expect(facts).toMatchObject({ shopifyId: "8209829119", name: "#9999", financialStatus: "paid", destinationCountry: "US", destinationRegion: "KY", locale: "en-CA", totalPrice: "598.94" });
    expect(facts.paidAt?.toISOString()).toBe("2021-12-31T23:00:00.000Z");
    const known = Object.entries(JSON.parse(facts.shippingAddress!) as Record<string, unknown>).filter(([, value]) => value !== null);
    expect(known).toEqual([["province_code", "KY"], ["country_code", "US"]]);
  });

  it("takes a carrier state from displayStatus, the origin from originAddress, and skips a tracking entry without a number", () => {
    const fulfillment = { ...ORDER.fulfillments![0]!, displayStatus: "IN_TRANSIT", originAddress: { countryCode: "HK", provinceCode: null }, trackingInfo: [{ company: "DHL Express", number: null, url: null }, { company: "DHL Express", number: "1234567890", url: null }] };
    expect(fulfillmentFacts(fulfillmentPayload.parse(fulfillmentPayloadOf(fulfillment, ORDER)))).toMatchObject({ shipmentStatus: "in_transit", originCountry: "HK", trackingCompany: "DHL Express", trackingNumbers: ["1234567890"], trackingUrls: [] });
    expect(fulfillmentFacts(fulfillmentPayload.parse(fulfillmentPayloadOf({ ...fulfillment, displayStatus: "MARKED_AS_FULFILLED" }, ORDER))).shipmentStatus).toBeNull();
  });

  it("keeps the fulfillment's own in-transit and delivered dates as carrier events", () => {
    const fulfillment = { ...ORDER.fulfillments![0]!, inTransitAt: "2022-01-02T10:00:00Z", deliveredAt: "2022-01-06T15:30:00Z", estimatedDeliveryAt: "2022-01-07T00:00:00Z" };
    const events = fulfillmentDateEvents(fulfillment, ORDER).map((payload) => trackingEventFacts(fulfillmentEventPayload.parse(payload)));
    expect(events.map((e) => [e.shopifyId, e.status, e.happenedAt.toISOString(), e.estimatedDeliveryAt?.toISOString() ?? null])).toEqual([
      ["123456:in_transit", "in_transit", "2022-01-02T10:00:00.000Z", "2022-01-07T00:00:00.000Z"],
      ["123456:delivered", "delivered", "2022-01-06T15:30:00.000Z", null],
    ]);
    expect(fulfillmentDateEvents(ORDER.fulfillments![0]!, ORDER)).toEqual([]);
  });

  it("tells an order line from an event line", () => {
    expect(isOrderLine({ ...ORDER })).toBe(true);
    expect(isFulfillmentEventLine({ ...EVENT })).toBe(true);
    expect(isOrderLine({ ...EVENT })).toBe(false);
    expect(isFulfillmentEventLine({ ...ORDER })).toBe(false);
  });
});
