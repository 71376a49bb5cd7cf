import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { refundedLineAt, refundPayload, returnPayload, returnStatusOf, RETURN_TOPICS } from "./payload";

const sample = (file: string) => JSON.parse(readFileSync(new URL(`../../tests/fixtures/shopify-webhooks/${file}`, import.meta.url), "utf8")) as unknown;

describe("refund and return payloads", () => {
  it("reads Shopify's refunds/create sample: its order and when its line was refunded", () => {
    const refund = refundPayload.parse(sample("refunds_create.shopify-docs-2026-04.json"));
    expect(refund.order_id).toMatch(/^\d+$/);
    expect(refundedLineAt(refund)?.toISOString()).toBe("2022-01-01T00:00:00.000Z");
    expect(refundedLineAt({ ...refund, refund_line_items: [] })).toBeNull();
  });

  it("reads Shopify's returns/request sample, and each return status as the order's", () => {
    const ret = returnPayload.parse(sample("returns_request.shopify-docs-2025-04.json"));
    expect(ret.order.id).toBe("4783296544821");
    expect(returnStatusOf("returns/request", ret.status)).toBe("RETURN_REQUESTED");
    expect(returnStatusOf("returns/approve", "open")).toBe("IN_PROGRESS");
    expect(returnStatusOf("returns/close", "closed")).toBe("RETURNED");
    expect(returnStatusOf("returns/decline", "declined")).toBe("NO_RETURN");
    expect(returnStatusOf("returns/cancel", "canceled")).toBe("NO_RETURN");
    // A status Parcelwise does not know: what the topic means.
    for (const topic of RETURN_TOPICS) expect(returnStatusOf(topic, "something_new")).toMatch(/^(RETURN_REQUESTED|IN_PROGRESS|RETURNED|NO_RETURN)$/);
    expect(returnStatusOf("returns/reopen", null)).toBe("IN_PROGRESS");
  });

  it("refuses a return without its order", () => {
    expect(returnPayload.safeParse({ id: 1, status: "open" }).success).toBe(false);
  });
});
