import { describe, expect, it } from "vitest";
import { normalizeOrderNumber, orderNamesFor, orderNumberOf } from "./order-number";

describe("order numbers", () => {
  it("orderNumberOf strips the # and spaces", () => {
    expect(orderNumberOf(" #1001 ")).toBe("1001");
    expect(orderNumberOf("1001")).toBe("1001");
    expect(orderNumberOf("#EU-1001")).toBe("EU-1001");
  });

  it("normalizeOrderNumber reads what a buyer typed, or null when it cannot be a number", () => {
    expect(normalizeOrderNumber(" #1001 ")).toBe("1001");
    expect(normalizeOrderNumber("# 1001")).toBe("1001");
    // "##9801", "## 9801" and "9801" are one order, for the lookup and for its attempt limit.
    expect(normalizeOrderNumber("##9801")).toBe("9801");
    expect(normalizeOrderNumber(" ## 9801")).toBe("9801");
    expect(normalizeOrderNumber("###")).toBeNull();
    expect(normalizeOrderNumber("#")).toBeNull();
    expect(normalizeOrderNumber("   ")).toBeNull();
    expect(normalizeOrderNumber("9".repeat(64))).toBe("9".repeat(64));
    expect(normalizeOrderNumber("9".repeat(65))).toBeNull();
  });

  it("orderNamesFor lists the names a typed number may stand for", () => {
    expect(orderNamesFor("1001")).toEqual(["#1001", "1001"]);
    expect(orderNamesFor("eu-1001")).toEqual(["#eu-1001", "eu-1001", "#EU-1001", "EU-1001"]);
  });
});
