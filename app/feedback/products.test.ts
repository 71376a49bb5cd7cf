import { describe, expect, it } from "vitest";
import { firstProductUrl, needsFetch, parseLineItems, productLinksFor, storefrontUrlFor, translationLocales, type CachedProduct } from "./products";
import { productFromNode } from "./product-cache.server";
import { DAY_MS } from "~/time";

const NOW = new Date("2026-12-01T12:00:00Z");
const line = (productId: string | null, title: string) => ({ productId, variantId: null, title, quantity: 1 });
const cached = (productId: string, over: Partial<CachedProduct> = {}): CachedProduct => ({
  productId,
  handle: `product-${productId}`,
  onlineStoreUrl: `https://shop.example/products/product-${productId}`,
  title: `Product ${productId}`,
  imageUrl: `https://cdn.shopify.com/s/files/1/${productId}.jpg`,
  titles: {},
  fetchedAt: NOW,
  ...over,
});
const links = (lines: ReturnType<typeof line>[], products: CachedProduct[], locale: string | null = "en", primaryLocale = "en") =>
  productLinksFor({ lineItems: lines, products: new Map(products.map((p) => [p.productId, p])), locale, primaryLocale });

describe("feedback.products", () => {
  it("links each product to its Online Store page with its image, in the order's order", () => {
    expect(links([line("1", "Bowl"), line("2", "Cup")], [cached("1"), cached("2")])).toEqual([
      { title: "Product 1", url: "https://shop.example/products/product-1", image_url: "https://cdn.shopify.com/s/files/1/1.jpg" },
      { title: "Product 2", url: "https://shop.example/products/product-2", image_url: "https://cdn.shopify.com/s/files/1/2.jpg" },
    ]);
  });

  it("shows at most three products, each once however many lines (variants) it has", () => {
    const lines = [line("1", "Bowl S"), line("1", "Bowl L"), line("2", "Cup"), line("3", "Plate"), line("4", "Vase")];
    const result = links(lines, ["1", "2", "3", "4"].map((id) => cached(id)));
    expect(result.map((p) => p.title)).toEqual(["Product 1", "Product 2", "Product 3"]);
  });

  it("titles in the buyer's language where the shop has a translation, else the product's own title", () => {
    const products = [cached("1", { titles: { de: "Teeschale" } }), cached("2", { titles: { de: null } })];
    expect(links([line("1", "Bowl"), line("2", "Cup")], products, "de").map((p) => p.title)).toEqual(["Teeschale", "Product 2"]);
    expect(links([line("1", "Bowl")], products, "fr").map((p) => p.title)).toEqual(["Product 1"]);
  });

  it("leaves out products not on the Online Store or deleted, and custom lines without a product", () => {
    const products = [cached("1", { onlineStoreUrl: null }), cached("2", { handle: null, onlineStoreUrl: null, title: null }), cached("3")];
    expect(links([line(null, "Gift wrap"), line("1", "Draft"), line("2", "Gone"), line("3", "Cup")], products).map((p) => p.title)).toEqual(["Product 3"]);
  });

  it("keeps the line title without a link or image for a product never read from the Admin API", () => {
    expect(links([line("9", "Celadon tea bowl"), line("3", "Cup")], [cached("3")])).toEqual([
      { title: "Celadon tea bowl", url: null, image_url: null },
      { title: "Product 3", url: "https://shop.example/products/product-3", image_url: "https://cdn.shopify.com/s/files/1/3.jpg" },
    ]);
  });

  it("never links anything but a web URL", () => {
    const result = links([line("1", "Bowl")], [cached("1", { onlineStoreUrl: "javascript:alert(1)" }), cached("2")]);
    expect(result).toEqual([]);
    expect(links([line("1", "Bowl")], [cached("1", { imageUrl: "data:text/html,x" })])[0]!.image_url).toBeNull();
  });

  it("reads the stored JSON, and an unreadable value as no products", () => {
    expect(productLinksFor({ lineItems: JSON.stringify([line("1", "Bowl")]), products: new Map([["1", cached("1")]]), locale: "en", primaryLocale: "en" })).toHaveLength(1);
    expect(parseLineItems("not json")).toEqual([]);
    expect(parseLineItems(null)).toEqual([]);
  });

  it("gives the first linked product's page for a review button, and the storefront home as the last resort", () => {
    expect(firstProductUrl([{ title: "A", url: null, image_url: null }, { title: "B", url: "https://shop.example/products/b", image_url: null }])).toBe("https://shop.example/products/b");
    expect(firstProductUrl([])).toBeNull();
    expect(storefrontUrlFor({ domain: "kumo.myshopify.com", storefrontUrl: "https://kumo.example" })).toBe("https://kumo.example/");
    expect(storefrontUrlFor({ domain: "kumo.myshopify.com", storefrontUrl: null })).toBe("https://kumo.myshopify.com/");
  });
});

describe("which translations to ask for", () => {
  it("asks for the buyer's storefront locale unless it is the shop's primary language", () => {
    expect(translationLocales("de", "en")).toEqual(["de"]);
    expect(translationLocales("pt-BR", "en")).toEqual(["pt-BR"]);
    expect(translationLocales("en-US", "en")).toEqual([]);
    expect(translationLocales("pt-PT", "pt-BR")).toEqual(["pt-PT"]);
    expect(translationLocales(null, "en")).toEqual([]);
  });

  it("reads a product again when missing, older than 7 days, or lacking the buyer's locale", () => {
    expect(needsFetch(undefined, [], NOW)).toBe(true);
    expect(needsFetch(cached("1"), [], NOW)).toBe(false);
    expect(needsFetch(cached("1", { fetchedAt: new Date(NOW.getTime() - 8 * DAY_MS) }), [], NOW)).toBe(true);
    expect(needsFetch(cached("1"), ["de"], NOW)).toBe(true);
    expect(needsFetch(cached("1", { titles: { de: null } }), ["de"], NOW)).toBe(false);
    // A deleted product has no translations to ask for.
    expect(needsFetch(cached("1", { handle: null }), ["de"], NOW)).toBe(false);
  });
});

describe("an Admin API product node", () => {
  it("becomes a cache entry with its translated title under the locale asked for", () => {
    const node = {
      id: "gid://shopify/Product/8222223204662",
      handle: "the-3p-fulfilled-snowboard",
      title: "The 3p Fulfilled Snowboard",
      onlineStoreUrl: "https://snow.example/products/the-3p-fulfilled-snowboard",
      featuredMedia: { preview: { image: { url: "https://cdn.shopify.com/s/files/1/snowboard.jpg?width=600" } } },
      translations: [{ key: "title", value: "Das 3p-Snowboard" }],
    };
    expect(productFromNode("8222223204662", node, "de", NOW)).toEqual({
      productId: "8222223204662",
      handle: "the-3p-fulfilled-snowboard",
      onlineStoreUrl: "https://snow.example/products/the-3p-fulfilled-snowboard",
      title: "The 3p Fulfilled Snowboard",
      imageUrl: "https://cdn.shopify.com/s/files/1/snowboard.jpg?width=600",
      titles: { de: "Das 3p-Snowboard" },
      fetchedAt: NOW,
    });
    expect(productFromNode("1", { ...node, translations: [], featuredMedia: null, onlineStoreUrl: null }, "fr", NOW)).toMatchObject({ onlineStoreUrl: null, imageUrl: null, titles: { fr: null } });
  });

  it("records a product Shopify no longer has as one without a page", () => {
    expect(productFromNode("1", null, null, NOW)).toMatchObject({ handle: null, onlineStoreUrl: null, titles: {} });
  });
});
