import { describe, expect, it } from "vitest";
import { MAX_PAYLOAD_DEPTH, nestingDepth } from "./nesting";

describe("nestingDepth", () => {
  it("measures the depth of objects and arrays, and 0 for plain values", () => {
    expect(nestingDepth(1)).toBe(0);
    expect(nestingDepth({ a: 1 })).toBe(1);
    expect(nestingDepth({ line_items: [{ tax_lines: [{ price_set: { shop_money: { amount: "1" } } }] }] })).toBe(7);
  });

  it("measures 10,000 levels without overflowing the stack, stopping past the limit", () => {
    const deep = JSON.parse(`${"[".repeat(10_000)}${"]".repeat(10_000)}`) as unknown;
    expect(nestingDepth(deep)).toBe(MAX_PAYLOAD_DEPTH + 1);
    expect(nestingDepth(deep, 20_000)).toBe(10_000);
  });
});
