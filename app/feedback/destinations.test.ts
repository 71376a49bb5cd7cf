import { describe, expect, it } from "vitest";
import { acceptsRating, checkUrlTemplate, resolveDestination, type DestinationInput } from "./destinations";

const PRODUCTS = [{ url: "https://kumo.example/products/tenmoku-bowl", title: "Tenmoku bowl" }];

const input = (settings: Partial<DestinationInput["settings"]>, overrides: Partial<DestinationInput> = {}): DestinationInput => ({
  settings: { reviewDestination: "products", reviewUrl: null, reviewUrlTemplate: null, ...settings },
  shopDomain: "kumo.myshopify.com",
  orderName: "#1001",
  products: PRODUCTS,
  rating: 5,
  ...overrides,
});

describe("resolveDestination", () => {
  it("opens the first product bought, else the storefront, else the review link set under Sender", () => {
    expect(resolveDestination(input({})).url).toBe("https://kumo.example/products/tenmoku-bowl");
    expect(resolveDestination(input({}, { products: [] })).url).toBe("https://kumo.myshopify.com/");
    expect(resolveDestination(input({ reviewUrl: "https://kumo.example/pages/reviews" })).url).toBe("https://kumo.example/pages/reviews");
  });

  it("opens Judge.me's review widget on the product page, and the product page for Okendo", () => {
    expect(resolveDestination(input({ reviewDestination: "judgeme" })).url).toBe("https://kumo.example/products/tenmoku-bowl#judgeme_product_reviews");
    expect(resolveDestination(input({ reviewDestination: "judgeme" }, { products: [] })).url).toBe("https://kumo.myshopify.com/");
    expect(resolveDestination(input({ reviewDestination: "okendo" })).url).toBe("https://kumo.example/products/tenmoku-bowl");
  });

  it("opens the link a review app generated (Yotpo, Stamped), else the product page", () => {
    const yotpo = "https://kumo.example/pages/review?yotpo=abc";
    expect(resolveDestination(input({ reviewDestination: "yotpo", reviewUrlTemplate: yotpo })).url).toBe(yotpo);
    expect(resolveDestination(input({ reviewDestination: "stamped", reviewUrlTemplate: null })).url).toBe(PRODUCTS[0].url);
  });

  it("renders a URL template with URL-encoded values and the rating", () => {
    const template = "https://example.com/review?order={{ order.name }}&product={{ product.handle }}&rating={{ rating }}";
    const settings = { reviewDestination: "custom", reviewUrlTemplate: template };
    expect(resolveDestination(input(settings)).url).toBe("https://example.com/review?order=%231001&product=tenmoku-bowl&rating=5");
    expect(resolveDestination(input(settings, { rating: null })).url).toBe("https://example.com/review?order=%231001&product=tenmoku-bowl&rating=");
    expect(acceptsRating({ reviewDestination: "custom", reviewUrl: null, reviewUrlTemplate: template })).toBe(true);
    expect(acceptsRating({ reviewDestination: "judgeme", reviewUrl: null, reviewUrlTemplate: template })).toBe(false);
  });

  it("sends every rating to the same destination: a low star is never diverted", () => {
    for (const settings of [
      {},
      { reviewDestination: "judgeme" },
      { reviewDestination: "okendo" },
      { reviewDestination: "yotpo", reviewUrlTemplate: "https://kumo.example/pages/review?yotpo=abc" },
      { reviewDestination: "custom", reviewUrlTemplate: "https://example.com/r/{{ product.handle }}?stars={{ rating }}" },
    ]) {
      const urls = [1, 2, 3, 4, 5].map((rating) => resolveDestination(input(settings, { rating })).url);
      const withoutRating = urls.map((url) => url.replace(/stars=[1-5]/, "stars="));
      expect(new Set(withoutRating).size).toBe(1);
      expect(urls[0]).not.toMatch(/contact/);
    }
  });

  it("falls back to the product page when a template fails at click time", () => {
    const broken = resolveDestination(input({ reviewDestination: "custom", reviewUrlTemplate: "javascript:alert({{ rating }})" }));
    expect(broken).toEqual({ url: PRODUCTS[0].url, fellBack: true });
  });
});

describe("checkUrlTemplate", () => {
  it("accepts an http(s) template", () => {
    expect(checkUrlTemplate("https://example.com/review?order={{ order.name }}&rating={{ rating }}", "kumo.myshopify.com")).toEqual({
      ok: true,
      url: "https://example.com/review?order=%231001&rating=5",
    });
  });

  it("reports Liquid errors and results that are not web links", () => {
    const unclosed = checkUrlTemplate("https://example.com/?o={{ order.name ", "kumo.myshopify.com");
    expect(unclosed.ok).toBe(false);
    expect(!unclosed.ok && unclosed.error).toMatch(/Liquid error/);
    const filter = checkUrlTemplate("https://example.com/?o={{ order.name | nope }}", "kumo.myshopify.com");
    expect(!filter.ok && filter.error).toMatch(/nope/);
    const notWeb = checkUrlTemplate("mailto:hi@kumo.example", "kumo.myshopify.com");
    expect(!notWeb.ok && notWeb.error).toMatch(/not an http:\/\/ or https:\/\/ link/);
    // Only valid with a rating: the plain review button (no rating) would break.
    const ratingOnly = checkUrlTemplate("{% if rating != '' %}https://example.com/{{ rating }}{% endif %}", "kumo.myshopify.com");
    expect(ratingOnly.ok).toBe(false);
  });
});
