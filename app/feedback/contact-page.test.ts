import { describe, expect, it } from "vitest";
import { contactPageHtml, formAction } from "./contact-page";
import { CONTACT_STRINGS, contactLocale } from "./contact-strings";
import { DEFAULT_LOCALES } from "~/templates/defaults";

const form = { kind: "form" as const, locale: "en", shopName: "Kumo Ceramics", orderName: "#1001", rating: null, token: "abc.def", pathPrefix: "/apps/parcelwise" };

describe("the contact page", () => {
  it("is a plain form posting back through the proxy, with the order and nothing the app knows asked again", () => {
    const html = contactPageHtml(form);
    expect(html).toContain('<form method="post" action="/apps/parcelwise/contact"');
    expect(html).toContain('<input type="hidden" name="t" value="abc.def">');
    expect(html).toContain("#1001");
    expect(html).toContain('maxlength="2000"');
    expect(html).not.toMatch(/<script|name="(email|name|order)"/);
    expect(html.match(/<textarea/g)).toHaveLength(1);
  });

  it("shows the rating the buyer came with", () => {
    expect(contactPageHtml({ ...form, rating: 1 })).toContain("★☆☆☆☆</span> You chose 1 of 5 stars.");
    expect(contactPageHtml(form)).not.toContain("★");
  });

  it("keeps what the buyer typed as text, never as HTML or Liquid", () => {
    const html = contactPageHtml({ ...form, error: "too_long", message: `{{ shop.name }} {% if x %}</textarea><script>alert(1)</script>`, shopName: "{{evil}}" });
    expect(html).not.toMatch(/{{|{%|<script>/);
    expect(html).toContain("&#123;&#123; shop.name &#125;&#125;");
    expect(html).toContain('role="alert"');
    expect(html).toContain("longer than 2000 characters");
  });

  it("posts where Shopify's signed path prefix says, else to the declared proxy", () => {
    expect(formAction("/apps/returns")).toBe("/apps/returns/contact");
    expect(formAction("//evil.example/x")).toBe("/apps/parcelwise/contact");
    expect(formAction(null)).toBe("/apps/parcelwise/contact");
  });

  it("speaks every language the default templates do", () => {
    for (const locale of ["en", ...DEFAULT_LOCALES]) {
      expect(contactLocale([locale])).toBe(locale);
      const strings = CONTACT_STRINGS[locale]!;
      for (const [key, text] of Object.entries(strings)) expect(text, `${locale}.${key}`).not.toBe("");
    }
    expect(contactLocale(["de-AT"])).toBe("de");
    expect(contactLocale(["pt-BR"])).toBe("pt");
    expect(contactLocale(["zh-TW"])).toBe("zh-CN");
    expect(contactLocale(["ko", "fr"])).toBe("fr");
    expect(contactLocale([null, "xx"])).toBe("en");
    expect(contactPageHtml({ kind: "sent", locale: "ja", shopName: "Kumo", orderName: "#1001" })).toContain("メッセージを送信しました");
    expect(contactPageHtml({ kind: "expired", locale: "de", shopName: "Kumo" })).toContain("Dieser Link ist abgelaufen");
  });
});
