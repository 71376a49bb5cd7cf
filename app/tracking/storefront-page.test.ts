import { describe, expect, it } from "vitest";
import { acceptedLanguages, defaultBlockSettings, pickLocale, renderTrackOrderBlock, STOREFRONT_LOCALES, trackingPageLiquid } from "./storefront-page.server";

/** The strings the block's script reads, as the browser would decode them. */
function stringsOf(html: string): Record<string, string> {
  const template = /<template data-pw-strings>([\s\S]*?)<\/template>/.exec(html)![1];
  const decode = (text: string) => text.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  return Object.fromEntries([...template.matchAll(/<span data-key="([^"]+)">([^<]*)<\/span>/g)].map((m) => [m[1], decode(m[2])]));
}

describe("the Track your order block, rendered", () => {
  it("speaks the eight languages the mail templates do", () => {
    expect([...STOREFRONT_LOCALES].sort()).toEqual(["de", "en", "es", "fr", "it", "ja", "pt", "zh-CN"]);
  });

  it.each(STOREFRONT_LOCALES)("has every string in %s", (locale) => {
    const html = renderTrackOrderBlock({ locale });
    expect(html).not.toMatch(/translation missing/);
    const strings = stringsOf(html);
    expect(Object.keys(strings).filter((key) => key.startsWith("status."))).toHaveLength(9);
    expect(strings["commitment_handling.other"]).toContain("{count}");
    expect(Object.values(strings).every((text) => text.length > 0)).toBe(true);
    expect(html).toContain(`data-locale="${locale}"`);
  });

  it("escapes translations as Shopify's t filter does, for the browser to read back as text", () => {
    expect(renderTrackOrderBlock({ locale: "en" })).toContain("We couldn&#39;t find an order");
    expect(stringsOf(renderTrackOrderBlock({ locale: "fr" }))["rate_limited"]).toBe("Trop de tentatives. Patientez quelques minutes, puis réessayez.");
  });

  it("is in the buyer's language", () => {
    expect(renderTrackOrderBlock({ locale: "de" })).toContain("Bestellung verfolgen");
    expect(renderTrackOrderBlock({ locale: "ja" })).toContain("注文番号");
  });

  it("applies the merchant's settings, escaping the heading", () => {
    const html = renderTrackOrderBlock({
      locale: "en",
      settings: { heading: "Where is <my> parcel?", accent_color: "#ff0000", text_color: "#111111", background_color: "", show_events: false },
    });
    expect(html).toContain("Where is &lt;my&gt; parcel?");
    expect(html).toContain("--pw-accent: #ff0000;");
    expect(html).toContain("--pw-text: #111111;");
    expect(html).not.toContain("--pw-background");
    expect(html).toContain('data-show-events="false"');
  });

  it("uses the schema's defaults when the merchant changed nothing", () => {
    expect(defaultBlockSettings()).toEqual({ heading: "", accent_color: "#1a5f7a", text_color: "", background_color: "", show_events: true });
    const html = renderTrackOrderBlock({ locale: "en" });
    expect(html).toContain('<h2 class="pw-track__heading">Track your order</h2>');
    expect(html).toContain('data-show-events="true"');
    expect(html).toContain('data-endpoint="/apps/parcelwise/lookup"');
  });
});

describe("the app proxy tracking page", () => {
  it("inlines the block's CSS and JS and holds no Liquid for Shopify to run", () => {
    const page = trackingPageLiquid("fr");
    // Vitest blanks CSS imports (even ?raw); the built server inlines the stylesheet itself.
    expect(page).toMatch(/^<style>[\s\S]*<\/style>/);
    expect(page).toContain("data-pw-track");
    expect(page).toContain("Suivre votre commande");
    expect(page).toMatch(/<script>[\s\S]*pw-track__[\s\S]*<\/script>/);
    expect(page).not.toMatch(/{{|{%/);
    expect(page).not.toMatch(/<script[^>]+src=/);
  });
});

describe("pickLocale", () => {
  it("takes the first candidate the block speaks, by exact tag, then language", () => {
    expect(pickLocale(["pt-BR"])).toBe("pt");
    expect(pickLocale(["zh-cn"])).toBe("zh-CN");
    expect(pickLocale(["zh"])).toBe("zh-CN");
    expect(pickLocale(["zh-TW"])).toBe("zh-CN");
    expect(pickLocale([null, "xx", "fr-CA", "de"])).toBe("fr");
    expect(pickLocale(["de_DE"])).toBe("de");
    expect(pickLocale([undefined, "", "tlh"])).toBe("en");
  });

  it("reads Accept-Language in order", () => {
    expect(acceptedLanguages("es-MX,es;q=0.9,en;q=0.8,*;q=0.1")).toEqual(["es-MX", "es", "en"]);
    expect(acceptedLanguages(null)).toEqual([]);
  });
});
