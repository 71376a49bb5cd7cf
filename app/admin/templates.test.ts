import { describe, expect, it } from "vitest";
import { renderMessage } from "~/templates/render";
import { defaultTemplate } from "~/templates/defaults";
import { checkTemplateForm, previewVariables, type PreviewShop } from "./template-editor";
import { describeError, errorsByPart, normalizeLocale, shopLocales } from "./templates";

const shop: PreviewShop = {
  domain: "kumo.myshopify.com",
  name: "Kumo Ceramics",
  contactEmail: "hello@kumo.example",
  currency: "EUR",
  reviewUrl: "https://kumo.example/reviews",
  handlingHours: 48,
  onlineTrackingDays: 3,
  carrierTransitOverrides: {},
};
const now = new Date("2026-11-25T12:00:00Z");

describe("checkTemplateForm", () => {
  it("accepts a valid template", () => {
    const checked = checkTemplateForm({ subject: "Order {{ order.name }}", html: "<p>Hi</p>", text: "Hi" });
    expect(checked).toMatchObject({ ok: true, value: { subject: "Order {{ order.name }}" }, problems: [] });
  });

  it("reports a syntax error in its part, with the line", () => {
    const checked = checkTemplateForm({ subject: "Order", html: "<p>Hi</p>\n<p>\n{% if buyer.name %}\n{{ buyer.name }}\n</p>", text: "Hi" });
    expect(checked.ok).toBe(false);
    expect(checked.problems).toHaveLength(1);
    expect(checked.problems[0]).toMatchObject({ part: "html", line: 3 });
    expect(errorsByPart(checked.problems).html).toMatch(/^Line 3, column \d+: /);
  });

  it("reports bounds (empty subject, too long) before syntax", () => {
    const checked = checkTemplateForm({ subject: " ", html: "x".repeat(100_001), text: "{{ broken" });
    expect(checked.ok).toBe(false);
    expect(checked.problems.map((p) => p.part).sort()).toEqual(["html", "subject"]);
    expect(describeError(checked.problems[0]!)).not.toMatch(/^Line/);
  });
});

describe("previewVariables", () => {
  it("uses the chosen carrier, destination and locale, like a real message", async () => {
    const variables = previewVariables({ kind: "shipping_confirmation", carrierCode: "ups", destination: "JP", locale: "de" }, shop, now, { appUrl: "https://app.example" });
    expect(variables.carrier).toEqual({ code: "ups", name: "UPS" });
    expect(variables.shipment?.destination_country).toBe("JP");
    expect(variables.locale).toBe("de");
    expect(variables.tracking?.url).toContain("ups.com");
    expect(variables.estimated_delivery?.range).toMatch(/Dezember|November/);
    expect(variables.shop).toMatchObject({ name: "Kumo Ceramics", currency: "EUR" });
    const rendered = await renderMessage(defaultTemplate("shipping_confirmation", "de"), variables, now);
    expect(rendered.text).toContain("UPS");
  });

  it("gives a feedback request sample products on the shop's storefront, and other messages none", () => {
    const feedback = previewVariables({ kind: "feedback_request", carrierCode: "ups", destination: "DE", locale: "de" }, shop, now, { appUrl: "https://app.example" });
    expect(feedback.feedback.products.map((p) => p.url)).toEqual(["https://kumo.myshopify.com/products/sample-product", "https://kumo.myshopify.com/products/another-sample-product"]);
    expect(feedback.feedback.products.every((p) => p.image_url?.startsWith("data:image/svg+xml,"))).toBe(true);
    expect(previewVariables({ kind: "shipping_confirmation", carrierCode: "ups", destination: "DE", locale: "en" }, shop, now, { appUrl: "https://app.example" }).feedback.products).toEqual([]);
  });

  it("follows the shop's own transit days", () => {
    const own = previewVariables({ kind: "shipping_confirmation", carrierCode: "ups", destination: "DE", locale: "en" }, { ...shop, carrierTransitOverrides: { ups: { europe: [20, 25] } } }, now, { appUrl: "https://app.example" });
    expect(own.estimated_delivery).toMatchObject({ min_business_days: 20, max_business_days: 25 });
  });

  it("gives a delay notice its delay and a tracking update its previous number", () => {
    const delay = previewVariables({ kind: "delay_notice", carrierCode: "ems", destination: "US", locale: "en" }, shop, now, { appUrl: "https://app.example" });
    expect(delay.delay?.reason).toBe("overdue");
    const updated = previewVariables({ kind: "tracking_updated", carrierCode: "ems", destination: "US", locale: "en" }, shop, now, { appUrl: "https://app.example" });
    expect(updated.tracking?.previous_number).toBeTruthy();
  });
});

describe("locales", () => {
  it("normalises tags and refuses anything else", () => {
    expect(normalizeLocale("pt_br")).toBe("pt-BR");
    expect(normalizeLocale("zh-cn")).toBe("zh-CN");
    expect(normalizeLocale("en")).toBe("en");
    expect(normalizeLocale("<script>")).toBeNull();
    expect(normalizeLocale("")).toBeNull();
  });

  it("lists built-in and added languages, marking which the merchant added", () => {
    const locales = shopLocales(["en", "de"], ["de", "nl"], "en");
    expect(locales.map((l) => [l.locale, l.builtIn, l.customized])).toEqual([
      ["nl", false, true],
      ["en", true, false],
      ["de", true, true],
    ]);
  });
});

describe("previewVariables timeline", () => {
  it("puts a delay notice past the estimated window and a feedback request after delivery", () => {
    const delay = previewVariables({ kind: "delay_notice", carrierCode: "dhl_express", destination: "DE", locale: "en" }, shop, now, { appUrl: "https://app.example" });
    expect(delay.estimated_delivery!.to < "2026-11-25").toBe(true);
    expect(delay.delay!.days_overdue).toBeGreaterThanOrEqual(1);
    const feedback = previewVariables({ kind: "feedback_request", carrierCode: "dhl_express", destination: "DE", locale: "en" }, shop, now, { appUrl: "https://app.example" });
    expect(feedback.last_event).toMatchObject({ status: "delivered", happened_at: "2026-11-18T11:00:00.000Z" });
    const shipping = previewVariables({ kind: "shipping_confirmation", carrierCode: "dhl_express", destination: "DE", locale: "en" }, shop, now, { appUrl: "https://app.example" });
    expect(shipping.shipment!.shipped_at).toBe("2026-11-24T03:00:00.000Z");
  });
});
