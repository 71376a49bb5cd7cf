import { describe, expect, it } from "vitest";
import { isShopDomain } from "./shop-domain";

describe("isShopDomain", () => {
  it("accepts a shop's myshopify.com domain, and the custom pattern when set", () => {
    expect(isShopDomain("parcelwise-test.myshopify.com")).toBe(true);
    expect(isShopDomain("internal.shop.dev", "shop\\.dev")).toBe(true);
  });

  it.each(["shop.example.com", "myshopify.com", "a b.myshopify.com", "x.myshopify.com.evil.com", "", `${"a".repeat(300)}.myshopify.com`])("refuses %j", (shop) => {
    expect(isShopDomain(shop)).toBe(false);
  });
});
