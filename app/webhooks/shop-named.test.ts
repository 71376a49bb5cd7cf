import { describe, expect, it } from "vitest";
import { checkShopNamed, ShopMismatchError } from "./shop-named";

describe("checkShopNamed", () => {
  it("refuses a compliance or uninstall payload naming another shop", () => {
    expect(() => checkShopNamed("customers/redact", "c.myshopify.com", { shop_domain: "a.myshopify.com" })).toThrow(ShopMismatchError);
    expect(() => checkShopNamed("app/uninstalled", "c.myshopify.com", { myshopify_domain: "a.myshopify.com" })).toThrow(/names another shop/);
    expect(() => checkShopNamed("app/uninstalled", "c.myshopify.com", { domain: "a.myshopify.com" })).toThrow(ShopMismatchError);
  });

  it("accepts its own shop, a merchant's own primary domain, a payload naming none, and other topics", () => {
    expect(() => checkShopNamed("shop/redact", "c.myshopify.com", { shop_domain: "C.myshopify.com" })).not.toThrow();
    expect(() => checkShopNamed("app/uninstalled", "c.myshopify.com", { domain: "shop.example.com", myshopify_domain: "c.myshopify.com" })).not.toThrow();
    expect(() => checkShopNamed("app/uninstalled", "c.myshopify.com", {})).not.toThrow();
    expect(() => checkShopNamed("orders/paid", "c.myshopify.com", { shop_domain: "a.myshopify.com" })).not.toThrow();
  });
});
