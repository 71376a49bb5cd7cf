import { describe, expect, it } from "vitest";
import { buildVariables, formatDateRange, type VariablesInput } from "./variables";
import { renderMessage } from "~/templates/render";
import { defaultTemplate } from "~/templates/defaults";

const input = (over: Partial<NonNullable<VariablesInput["shipment"]>> = {}, locale = "ja"): VariablesInput => ({
  locale,
  shop: { domain: "kumo.myshopify.com", name: "Kumo", contactEmail: "hi@kumo.example", currency: "JPY", reviewUrl: null, handlingHours: 48, onlineTrackingDays: 3 },
  order: { shopifyId: "1", name: "#1001", email: "a@example.jp", buyerName: "Aoi Sato", totalPrice: "4800", currency: "JPY", processedAt: new Date("2026-11-24T00:00:00Z") },
  shipment: {
    shippedAt: new Date("2026-11-26T03:00:00Z"),
    shipmentStatus: "in_transit",
    destinationCountry: "JP",
    carrierCode: null,
    carrierName: null,
    trackingNumbers: ["X1"],
    trackingUrls: [],
    estimatedDeliveryFrom: new Date("2026-12-01T03:00:00Z"),
    estimatedDeliveryTo: new Date("2026-12-04T03:00:00Z"),
    ...over,
  },
  trackingNumber: "X1",
  previousTrackingNumber: null,
  unsubscribeUrl: null,
});

describe("buildVariables", () => {
  it("leaves the carrier out when no name is known, rather than an English placeholder", async () => {
    const vars = buildVariables(input());
    expect(vars.carrier).toBeNull();
    const mail = await renderMessage(defaultTemplate("shipping_confirmation", "ja"), vars, new Date("2026-11-27T10:00:00Z"));
    expect(mail.text).not.toMatch(/the carrier|undefined|null/);
    expect(mail.text).toContain("X1");
  });

  it("gives feedback requests the contact form's link, and leaves it empty without one", () => {
    const url = "https://kumo.myshopify.com/apps/parcelwise/contact?t=abc";
    expect(buildVariables({ ...input(), contactUrl: url }).feedback).toMatchObject({ contact_url: url });
    expect(buildVariables(input()).feedback).toMatchObject({ contact_url: null });
  });

  it("gives feedback.products as composed (empty unless a feedback request has some), and the documented loop renders them", async () => {
    expect(buildVariables(input()).feedback).toMatchObject({ products: [] });
    const products = [
      { title: "Seladon-Teeschale", url: "https://kumo.example/products/celadon-tea-bowl", image_url: "https://cdn.shopify.com/s/files/1/bowl.jpg" },
      { title: "Sake-Set", url: null, image_url: null },
    ];
    const vars = buildVariables({ ...input(), feedback: { products } });
    const loop =
      '{% for product in feedback.products %}{% if product.url %}<a href="{{ product.url }}">{% endif %}{% if product.image_url %}<img src="{{ product.image_url }}" alt="{{ product.title }}">{% endif %}{{ product.title }}{% if product.url %}</a>{% endif %};{% endfor %}';
    const mail = await renderMessage({ subject: "x", html: loop, text: "x" }, vars, new Date("2026-11-27T10:00:00Z"));
    expect(mail.html).toContain('<a href="https://kumo.example/products/celadon-tea-bowl"><img src="https://cdn.shopify.com/s/files/1/bowl.jpg" alt="Seladon-Teeschale">Seladon-Teeschale</a>;Sake-Set;');
  });

  it("names a known carrier", () => {
    expect(buildVariables(input({ carrierCode: "yamato", carrierName: "Yamato Transport" })).carrier).toEqual({ code: "yamato", name: "Yamato Transport" });
  });

  it("says where the window came from and how many parcels it rests on", () => {
    const window = { shippedAt: new Date("2026-11-26T10:00:00Z"), estimatedDeliveryFrom: new Date("2026-12-01T00:00:00Z"), estimatedDeliveryTo: new Date("2026-12-04T00:00:00Z") };
    expect(buildVariables(input({ ...window, estimateSource: "lane", estimateParcels: 143 })).estimated_delivery).toMatchObject({ source: "lane", parcels: 143 });
    expect(buildVariables(input({ ...window, estimateSource: null })).estimated_delivery).toMatchObject({ source: "registry", parcels: null });
  });

  describe("the tracking link", () => {
    const dhl = { carrierCode: "dhl_express", carrierName: "DHL Express", trackingNumbers: ["1234567890"] };
    const numbered = (over: Partial<NonNullable<VariablesInput["shipment"]>>) => ({ ...input(over), trackingNumber: "1234567890" });

    it("is the webhook's http(s) link when it is one", () => {
      expect(buildVariables(numbered({ ...dhl, trackingUrls: ["https://track.example/1234567890"] })).tracking?.url).toBe("https://track.example/1234567890");
    });

    it.each(["javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>", "not a url"])(
      "is the registry's link instead of %s",
      async (bad) => {
        const vars = buildVariables(numbered({ ...dhl, trackingUrls: [bad] }));
        expect(vars.tracking?.url).toMatch(/^https:\/\/[^/]*dhl\.com\/.*1234567890/);
        for (const kind of ["shipping_confirmation", "delay_notice"] as const) {
          const mail = await renderMessage(defaultTemplate(kind, "en"), { ...vars, delay: { reason: "silent", days_overdue: 0, days_silent: 9 } }, new Date("2026-11-27T10:00:00Z"));
          expect(mail.html).not.toMatch(/javascript:|data:text/i);
          expect(mail.html).toContain(vars.tracking!.url!.replace(/&/g, "&amp;"));
        }
      },
    );

    it("is empty when the link is not a web link and no carrier is known", () => {
      expect(buildVariables(numbered({ trackingUrls: ["javascript:alert(1)"] })).tracking?.url).toBeNull();
    });
  });

  it("formats the delivery window in the buyer's language", () => {
    const from = new Date("2026-12-01T00:00:00Z");
    const to = new Date("2026-12-04T00:00:00Z");
    expect(formatDateRange(from, to, "en")).toMatch(/December/);
    expect(formatDateRange(from, to, "de")).toMatch(/Dezember/);
    expect(formatDateRange(from, to, "ja")).toBe("2026年12月1日～2026年12月4日");
    expect(formatDateRange(from, to, "zh-CN")).toBe("2026年12月1日～2026年12月4日");
    expect(formatDateRange(from, from, "fr")).toMatch(/1 décembre 2026/);
    expect(formatDateRange(from, to, "not a locale!")).toMatch(/December/);
  });
});
