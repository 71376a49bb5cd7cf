import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fulfillmentFacts, fulfillmentPayload, orderFacts, orderPayload } from "./payload";
import { fulfillmentPayloadFor, orderPayloadFor } from "#tests/demo/scenario";

const buyer = { first: "Anna", last: "Müller", email: "anna@example.de", locale: "de", country: "DE", city: "Berlin", zip: "10115", address1: "Str. 1" };
const at = { processed: new Date("2026-11-01T10:00:00Z"), updated: new Date("2026-11-01T10:05:00Z") };

describe("order payloads", () => {
  it("reads the buyer, locale, destination and payment", () => {
    const facts = orderFacts(orderPayload.parse(orderPayloadFor(5001, 1001, buyer, at)));
    expect(facts).toMatchObject({ shopifyId: "5001", name: "#1001", email: "anna@example.de", buyerName: "Anna Müller", locale: "de", destinationCountry: "DE", financialStatus: "paid" });
    expect(facts.paidAt?.toISOString()).toBe("2026-11-01T10:00:00.000Z");
  });

  it("has no payment time for an unpaid order", () => {
    const facts = orderFacts(orderPayload.parse(orderPayloadFor(5001, 1001, buyer, at, { financial_status: "pending" })));
    expect(facts.paidAt).toBeNull();
  });

  it("reads what the feedback rules need: the buyer's key, the first refund of a line, what is left to ship", () => {
    const facts = orderFacts(
      orderPayload.parse(
        orderPayloadFor(5001, 1001, { ...buyer, email: " Anna@Example.DE " }, at, {
          refunds: [
            { id: 1, created_at: "2026-11-05T10:00:00Z", refund_line_items: [] },
            { id: 2, created_at: "2026-11-07T10:00:00Z", refund_line_items: [{ id: 9, quantity: 1 }] },
            { id: 3, created_at: "2026-11-09T10:00:00Z", refund_line_items: [{ id: 8, quantity: 1 }] },
          ],
          line_items: [
            { id: 1, fulfillable_quantity: 2, requires_shipping: true },
            { id: 2, fulfillable_quantity: 1, requires_shipping: false },
            { id: 3, fulfillable_quantity: 1 },
          ],
        }),
      ),
    );
    expect(facts.emailKey).toBe("anna@example.de");
    // The shipping-only refund of the 5th does not count.
    expect(facts.refundedAt?.toISOString()).toBe("2026-11-07T10:00:00.000Z");
    // A gift card (no shipping) is not waited for.
    expect(facts.unfulfilledQuantity).toBe(3);
  });

  it("leaves refund and quantities unsaid when the payload does not carry them, so nothing recorded is cleared", () => {
    const facts = orderFacts(orderPayload.parse(orderPayloadFor(5001, 1001, buyer, at)));
    expect(facts.refundedAt).toBeUndefined();
    expect(facts.unfulfilledQuantity).toBeUndefined();
    expect(orderFacts(orderPayload.parse(orderPayloadFor(5001, 1001, buyer, at, { financial_status: "partially_refunded" }))).refundedAt).toEqual(at.updated);
  });

  it("refuses a payload without its timestamps", () => {
    expect(orderPayload.safeParse({ id: 1, name: "#1" }).success).toBe(false);
  });
});

describe("fulfillment payloads", () => {
  it("takes every tracking number, or the single one older payloads carry", () => {
    const many = fulfillmentFacts(fulfillmentPayload.parse(fulfillmentPayloadFor(7, 5, "UPS", "1Z1", "US", { created: at.processed, updated: at.updated }, { tracking_numbers: ["1Z1", "1Z2"] })));
    expect(many.trackingNumbers).toEqual(["1Z1", "1Z2"]);
    const single = fulfillmentFacts(fulfillmentPayload.parse(fulfillmentPayloadFor(7, 5, "UPS", "1Z1", "US", { created: at.processed, updated: at.updated }, { tracking_numbers: null })));
    expect(single.trackingNumbers).toEqual(["1Z1"]);
  });

  it("accepts string and numeric ids alike", () => {
    const facts = fulfillmentFacts(fulfillmentPayload.parse(fulfillmentPayloadFor(7, 5, "UPS", "1Z1", "US", { created: at.processed, updated: at.updated }, { id: "7", order_id: 5 })));
    expect([facts.shopifyId, facts.orderShopifyId]).toEqual(["7", "5"]);
  });
});

describe("line items", () => {
  const fixture = (name: string) => JSON.parse(readFileSync(`tests/fixtures/shopify-webhooks/${name}`, "utf8")) as Record<string, unknown>;

  it("keeps product, variant, title and quantity of a real dev-store order", () => {
    const facts = orderFacts(orderPayload.parse(fixture("orders_paid.activepieces-devstore-2023.json")));
    expect(JSON.parse(facts.lineItems!)).toEqual([{ productId: "8222223204662", variantId: "44872881439030", title: "The 3p Fulfilled Snowboard", quantity: 1 }]);
  });

  it("puts lines with a product first and keeps custom lines (no product id) as titles", () => {
    const facts = orderFacts(orderPayload.parse(fixture("orders_paid.shopify-docs-2026-07-exact.json")));
    const lines = JSON.parse(facts.lineItems!) as Array<{ productId: string | null; title: string }>;
    expect(lines.map((l) => l.title)).toEqual(["Aviator sunglasses", "Mid-century lounger", "Coffee table", "Lens Protection Plan (2 Year)", "Premium Leather Case"]);
    expect(lines.slice(3).every((l) => l.productId === null)).toBe(true);
  });

  it("leaves gift cards out and keeps at most ten lines", () => {
    const many = Array.from({ length: 14 }, (_, i) => ({ product_id: 100 + i, variant_id: 200 + i, title: `Bowl ${i}`, quantity: 2 }));
    const facts = orderFacts(orderPayload.parse(orderPayloadFor(5001, 1001, buyer, at, { line_items: [{ product_id: 9, title: "Gift card", gift_card: true }, ...many] })));
    const lines = JSON.parse(facts.lineItems!) as Array<{ productId: string; title: string; quantity: number }>;
    expect(lines).toHaveLength(10);
    expect(lines[0]).toEqual({ productId: "100", variantId: "200", title: "Bowl 0", quantity: 2 });
  });

  it("has no line items when the payload carries none, so an update keeps the stored ones", () => {
    const facts = orderFacts(orderPayload.parse(orderPayloadFor(5001, 1001, buyer, at)));
    expect("lineItems" in facts).toBe(false);
  });

  it("never refuses an order for an odd line item", () => {
    const facts = orderFacts(orderPayload.parse(orderPayloadFor(5001, 1001, buyer, at, { line_items: [{ product_id: { odd: true }, title: 42 }, { product_id: 7, title: "Cup" }] })));
    expect(JSON.parse(facts.lineItems!)).toEqual([{ productId: "7", variantId: null, title: "Cup", quantity: 1 }]);
  });
});
