import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

// Counts juice runs, to show inlining happens once per template text, not per render.
const juiceCalls = vi.hoisted(() => ({ count: 0 }));
vi.mock("juice", async (importOriginal) => {
  const real = (await importOriginal<typeof import("juice")>()).default;
  const counted = (html: string, options?: Parameters<typeof real>[1]): string => {
    juiceCalls.count++;
    return real(html, options);
  };
  return { default: Object.assign(counted, real) };
});

import {
  inlineCss,
  parseTemplate,
  renderMessage,
  TemplateError,
  validateTemplate,
  type TemplateSource,
} from "~/templates/render";
import { sampleVariables } from "#tests/support/sample-variables";
import type { MessageVariables } from "~/templates/variables";

const html = (body: string): TemplateSource => ({ subject: "s", html: body, text: "t" });
const text = (body: string): TemplateSource => ({ subject: "s", html: "h", text: body });

async function renderText(body: string, vars: MessageVariables = sampleVariables()): Promise<string> {
  return (await renderMessage(text(body), vars)).text;
}

async function renderError(source: TemplateSource, vars = sampleVariables()): Promise<TemplateError> {
  const err: unknown = await renderMessage(source, vars).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TemplateError);
  return err as TemplateError;
}

describe("escaping", () => {
  const evil = "<script>alert(1)</script>";
  const vars = sampleVariables({ buyer: { first_name: evil, name: evil, email: "a@example.com" } });
  const source: TemplateSource = {
    subject: "Hi {{ buyer.first_name }}",
    html: "<p>Hi {{ buyer.first_name }}</p>",
    text: "Hi {{ buyer.first_name }}",
  };

  it("escapes output in HTML but not in subject or text", async () => {
    const out = await renderMessage(source, vars);
    expect(out.html).toBe("<p>Hi &lt;script&gt;alert(1)&lt;/script&gt;</p>");
    expect(out.html).not.toContain("<script>");
    expect(out.text).toBe(`Hi ${evil}`);
    expect(out.subject).toBe(`Hi ${evil}`);
  });

  it("does not double-escape an explicit | escape in HTML", async () => {
    const out = await renderMessage(html("{{ buyer.first_name | escape }}"), vars);
    expect(out.html).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("| escape still escapes in the text body", async () => {
    expect(await renderText("{{ buyer.first_name | escape }}", vars)).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("lets the template author opt out with | raw", async () => {
    const out = await renderMessage(html("{{ '<b>' | raw }}{{ '<b>' }}"), vars);
    expect(out.html).toBe("<b>&lt;b&gt;");
  });

  it("escapes attribute values", async () => {
    const out = await renderMessage(
      html(`<a href="{{ tracking.url }}">x</a>`),
      sampleVariables({ tracking: { number: "1", url: `https://x.example/?a=1&b="2"`, previous_number: null, page_url: null } }),
    );
    expect(out.html).toBe(`<a href="https://x.example/?a=1&amp;b=&#34;2&#34;">x</a>`);
  });
});

describe("errors", () => {
  it("reports a syntax error with part and 1-based line", async () => {
    const err = await renderError(html("<p>one</p>\n<p>two</p>\n{% if order.name %}\n<p>never closed</p>"));
    expect(err.part).toBe("html");
    expect(err.line).toBe(3);
    expect(err.message).toMatch(/not closed/);
    expect(err.message).not.toMatch(/line:\d/);
  });

  it("names the subject and text parts", async () => {
    expect((await renderError({ subject: "Hi {{ buyer.name", html: "", text: "" })).part).toBe("subject");
    const err = await renderError(text("a\nb\n{% endfor %}"));
    expect(err.part).toBe("text");
    expect(err.line).toBe(3);
  });

  it("treats an unknown filter as an error", async () => {
    const err = await renderError(html("ok\n{{ order.name | shout }}"));
    expect(err).toMatchObject({ part: "html", line: 2 });
    expect(err.message).toMatch(/undefined filter: shout/);
  });

  it("refuses include, render and layout", async () => {
    for (const tag of ["include", "render", "layout"]) {
      const err = await renderError(html(`{% ${tag} '/etc/passwd' %}`));
      expect(err.message).toMatch(new RegExp(`${tag}.*not available`));
    }
  });
});

describe("untrusted templates", () => {
  it("hides prototype properties (ownPropertyOnly)", async () => {
    const out = await renderText(
      "[{{ order.constructor }}][{{ order.constructor.name }}][{{ order.__proto__ }}][{{ buyer.name.constructor }}][{{ order | map: 'constructor' }}]",
    );
    expect(out).toBe("[][][][][]");
  });

  it("stops a runaway loop with a TemplateError instead of hanging", async () => {
    const started = Date.now();
    const err = await renderError(
      html("<p>\n{% for a in (1..100000) %}{% for b in (1..100000) %}{{ a }}{% endfor %}{% endfor %}</p>"),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err.part).toBe("html");
    expect(err.line).toBe(2);
    expect(err.message).toMatch(/limit exceeded/);
  });

  it("enforces the memory limit", async () => {
    const err = await renderError(text("{% for a in (1..100000000) %}{% endfor %}"));
    expect(err.message).toMatch(/memory alloc limit exceeded/);
  });

  it("caps the size of the output", async () => {
    const vars = sampleVariables({ buyer: { first_name: "x".repeat(1_000), name: "x", email: "x" } });
    const err = await renderError(text("{% for i in (1..2000) %}{{ buyer.first_name }}{% endfor %}"), vars);
    expect(err).toMatchObject({ part: "text", line: null });
    expect(err.message).toMatch(/output exceeds/);
  });

  it("rejects templates beyond the parse limit", async () => {
    const err = await renderError(text("x".repeat(100_001)));
    expect(err.message).toMatch(/parse length limit exceeded/);
  });

  it("does not let a template change the caller's variables", async () => {
    const vars = sampleVariables();
    const out = await renderText("{% increment locale %}{% assign order = 'x' %}{{ order }} {{ 49.9 | money }}", vars);
    expect(out).toBe("0x €49.90");
    expect(vars.locale).toBe("en");
    expect(vars.order.name).toBe("#1001");
  });
});

describe("subject", () => {
  it("is collapsed to a single line", async () => {
    const out = await renderMessage(
      { subject: "\n  Your order\n{{ order.name }}\r\n  has   shipped \n", html: "", text: "" },
      sampleVariables(),
    );
    expect(out.subject).toBe("Your order #1001 has shipped");
  });
});

const savedTz = process.env.TZ;
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe("filters", () => {
  it("money formats a decimal string in the order currency and locale", async () => {
    expect(await renderText("{{ order.total_price | money }}")).toBe("€89.50");
    expect(await renderText("{{ order.total_price | money }}", sampleVariables({ locale: "de-DE" }))).toBe(
      "89,50\u00a0€",
    );
    expect(await renderText("{{ 12 | money: 'usd' }}")).toBe("$12.00");
    expect(await renderText("{{ order.total_price | money_with_currency }}")).toBe("€89.50 EUR");
    expect(await renderText("{{ '1234.5' | money_without_currency }}")).toBe("1,234.50");
  });

  it("money falls back to the shop currency and tolerates bad input", async () => {
    const vars = sampleVariables();
    vars.order = { ...vars.order, currency: "" };
    expect(await renderText("{{ order.total_price | money }}", vars)).toBe("¥90"); // JPY has no minor unit
    expect(await renderText("[{{ 'n/a' | money }}][{{ nothing | money }}][{{ 5 | money: 'NOPE1' }}]")).toBe(
      "[n/a][][5.00 NOPE1]",
    );
  });

  describe("date", () => {
    it("formats strftime and keeps ISO dates on their calendar day", async () => {
      process.env.TZ = "Pacific/Honolulu"; // UTC-10: a local-time render would say Nov 30
      expect(await renderText("{{ estimated_delivery.from | date: '%Y-%m-%d, %A %B %-d' }}")).toBe(
        "2026-12-01, Tuesday December 1",
      );
      // Printed in the buyer's zone (the sample buyer is in Berlin, UTC+1), never the server's.
      expect(await renderText("{{ shipment.shipped_at | date: '%b %-d, %Y %H:%M' }}")).toBe("Nov 26, 2026 04:00");
      // Zone-less date-time is read as UTC, not server time.
      expect(await renderText("{{ '2026-12-01T00:30:00' | date: '%-d %H:%M' }}")).toBe("1 01:30");
    });

    it("prints date-times in the buyer's time zone, calendar dates as they are", async () => {
      const at = (timezone: string, locale = "en") => sampleVariables({ timezone, locale, shipment: { shipped_at: "2026-11-26T03:00:00Z", status: "in_transit", destination_country: "US" } });
      const shipped = "{{ shipment.shipped_at | date: '%A %-d %B' }}";
      expect(await renderText(shipped, at("America/Los_Angeles"))).toBe("Wednesday 25 November");
      expect(await renderText(shipped, at("Asia/Tokyo"))).toBe("Thursday 26 November");
      expect(await renderText(shipped, at("Asia/Tokyo", "ja"))).toBe("木曜日 26 11月");
      // The delivery window is a calendar date: the same day in every zone.
      expect(await renderText("{{ estimated_delivery.from | date: '%-d %B' }}", at("America/Los_Angeles"))).toBe("1 December");
      // An explicit zone argument wins; an unknown buyer zone falls back to UTC.
      expect(await renderText("{{ shipment.shipped_at | date: '%H:%M', 'Asia/Tokyo' }}", at("America/Los_Angeles"))).toBe("12:00");
      expect(await renderText("{{ shipment.shipped_at | date: '%-d %H:%M' }}", at("Not/AZone"))).toBe("26 03:00");
    });

    it("uses the template locale for names", async () => {
      expect(await renderText("{{ estimated_delivery.from | date: '%B' }}", sampleVariables({ locale: "de" }))).toBe(
        "Dezember",
      );
    });

    it("leaves non-dates alone", async () => {
      expect(await renderText("[{{ 'soon' | date: '%Y' }}][{{ nothing | date: '%Y' }}]")).toBe("[soon][]");
    });
  });

  it("date_range renders a short localized range in UTC", async () => {
    process.env.TZ = "America/Los_Angeles";
    expect(await renderText("{{ estimated_delivery.from | date_range: estimated_delivery.to }}")).toMatch(
      /^Dec 1\s–\s4, 2026$/u,
    );
    expect(await renderText("{{ '2026-11-28' | date_range: '2026-12-04' }}")).toMatch(/^Nov 28\s–\sDec 4, 2026$/u);
    expect(await renderText("{{ '2026-12-04' | date_range: '2026-12-01' }}")).toMatch(/^Dec 1\s–\s4, 2026$/u);
    expect(await renderText("{{ '2026-12-01' | date_range: '2026-12-01' }}")).toBe("Dec 1, 2026");
    expect(await renderText("{{ '2026-12-01' | date_range: nothing }}")).toBe("Dec 1, 2026");
    expect(await renderText("{{ '2026-12-01' | date_range: '2026-12-04', 'de' }}")).toMatch(/^1\.\s?–\s?4\. Dez\. 2026$/u);
    expect(await renderText("{{ 'tbd' | date_range: '2026-12-04' }}")).toBe("tbd");
  });

  it("supports upcase, downcase, default and escape", async () => {
    expect(
      await renderText("{{ carrier.name | upcase }}|{{ carrier.name | downcase }}|{{ review | default: 'none' }}|{{ '<&>' | escape }}"),
    ).toBe("DHL EXPRESS|dhl express|none|&lt;&amp;&gt;");
  });
});

describe("validateTemplate", () => {
  it("returns [] for a valid template", () => {
    expect(validateTemplate({ subject: "Order {{ order.name }}", html: "<p>{{ x | upcase }}</p>", text: "" })).toEqual([]);
  });

  it("returns every error, with part and line, without echoes", () => {
    const errors = validateTemplate({
      subject: "{{ order.name | nope }}",
      html: "<p>\n{% if order %}\n{{ order.name | bad }}\n{% endif %}\n{% render 'x' %}\n{{ a | also }}",
      text: "fine\n{{ unclosed",
    });
    expect(errors.map((e) => [e.part, e.line])).toEqual([
      ["subject", 1],
      ["html", 3],
      ["html", 5],
      ["html", 6],
      ["text", 2],
    ]);
    expect(errors.every((e) => e instanceof TemplateError)).toBe(true);
    expect(errors[2].message).toMatch(/render.*not available/);
  });
});

describe("validateTemplate bounds", () => {
  it("reports an oversized part", () => {
    const errors = validateTemplate({ subject: "ok", html: "<p>ok</p>", text: "x".repeat(100_001) });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ part: "text", line: null });
    expect(errors[0].message).toMatch(/parse length limit exceeded/);
  });
});

describe("parse cache", () => {
  it("returns the same parsed template for the same text", () => {
    const src = "Hello {{ buyer.name }} {{ order.name | upcase }}";
    const first = parseTemplate("text", src);
    expect(parseTemplate("text", src)).toBe(first);
    expect(parseTemplate("subject", src)).toBe(first); // same plain engine
    expect(parseTemplate("html", src)).not.toBe(first); // escaping is compiled in
    expect(parseTemplate("html", src)).toBe(parseTemplate("html", src));
  });

  it("does not cache failures as successes", () => {
    expect(() => parseTemplate("html", "{% if %}")).toThrow(TemplateError);
    expect(() => parseTemplate("html", "{% if %}")).toThrow(TemplateError);
  });
});

describe("liquidjs", () => {
  it("is at least 10.27.2 (the fixes for untrusted templates)", () => {
    const { version } = JSON.parse(readFileSync(resolve(process.cwd(), "node_modules/liquidjs/package.json"), "utf8")) as { version: string };
    const [major, minor, patch] = version.split(/[.-]/).map(Number);
    expect(major * 1e6 + minor * 1e3 + patch).toBeGreaterThanOrEqual(10 * 1e6 + 27 * 1e3 + 2);
  });
});

describe("Shopify filters", () => {
  it("offers the filters merchants know from Shopify", () => {
    const filters = [
      "money", "money_with_currency", "money_without_currency", "money_without_trailing_zeros",
      "date", "default", "upcase", "downcase", "capitalize", "escape", "escape_once", "strip_html",
      "newline_to_br", "strip_newlines", "truncate", "truncatewords", "append", "prepend", "replace",
      "replace_first", "remove", "remove_first", "split", "join", "first", "last", "size", "slice",
      "plus", "minus", "times", "divided_by", "modulo", "round", "ceil", "floor", "abs", "at_least",
      "at_most", "strip", "lstrip", "rstrip", "url_encode", "url_decode", "url_escape",
      "url_param_escape", "handleize", "handle", "json", "sort", "uniq", "map", "where", "compact",
    ];
    for (const name of filters) {
      expect([name, validateTemplate({ subject: `{{ x | ${name} }}`, html: "", text: "" })]).toEqual([name, []]);
    }
  });

  it("money_without_trailing_zeros drops .00 only", async () => {
    expect(await renderText("{{ '90.00' | money_without_trailing_zeros }}|{{ '89.50' | money_without_trailing_zeros }}")).toBe("€90|€89.50");
    expect(await renderText("{{ 90 | money_without_trailing_zeros }}", sampleVariables({ locale: "de" }))).toBe("90\u00a0€");
  });

  it("url_escape, url_param_escape and handleize", async () => {
    expect(await renderText("{{ 'https://x.example/a b?q=1&r=2' | url_escape }}")).toBe("https://x.example/a%20b?q=1&r=2");
    expect(await renderText("{{ 'a b&c=d/é' | url_param_escape }}")).toBe("a%20b%26c%3Dd%2F%C3%A9");
    expect(await renderText("{{ 'Crème Brûlée & Co. 2!' | handleize }}|{{ '  -Hi- ' | handle }}")).toBe("creme-brulee-co-2|hi");
  });

  it("formats dates and money in the template's locale", async () => {
    const ja = sampleVariables({ locale: "ja" });
    expect(await renderText("{{ shipment.shipped_at | date: '%Y年%-m月%-d日 (%a)' }} {{ shipment.shipped_at | date: '%B' }}", ja)).toBe(
      "2026年11月26日 (木) 11月",
    );
    expect(await renderText("{{ shipment.shipped_at | date: '%-d %B %Y' }}", sampleVariables({ locale: "fr" }))).toBe("26 novembre 2026");
    expect(await renderText("{{ order.total_price | money }}", sampleVariables({ locale: "fr" }))).toBe("89,50\u00a0€");
  });
});

describe("CSS inlining", () => {
  const styled = [
    "<!DOCTYPE html>",
    "<html><head>",
    "<style>",
    "  p { color: #333333; }",
    "  .btn { background-color: #1d4ed8; }",
    "  @media (max-width: 600px) { p { font-size: 18px; } }",
    "</style>",
    "</head><body>",
    "<table>",
    '{% for i in (1..2) %}<tr><td class="btn" title="{{ buyer.name | default: "a & b" }}">{{ i }}</td></tr>{% endfor %}',
    "</table>",
    "{% if tracking.url %}",
    '<p><a href="{{ tracking.url }}" {% if tracking %}target="_blank"{% endif %}>Track</a></p>',
    "{% endif %}",
    '<p style="margin:0">Hi {{ buyer.first_name }}</p>',
    "</body></html>",
  ].join("\n");

  it("inlines a <style> block and keeps the Liquid intact", () => {
    const inlined = inlineCss(styled)!.text;
    expect(inlined).not.toContain("p { color: #333333; }");
    expect(inlined).toMatch(/<td class="btn" title="\{\{ buyer.name \| default: "a & b" \}\}" style="background-color: #1d4ed8;" bgcolor="#1d4ed8">\{\{ i \}\}<\/td>/);
    expect(inlined).toContain('{% for i in (1..2) %}<tr>');
    expect(inlined).toContain("</tr>{% endfor %}");
    expect(inlined).toContain('<a href="{{ tracking.url }}" {% if tracking %}target="_blank"');
    expect(inlined).toContain('<p style="color: #333333; margin: 0;">Hi {{ buyer.first_name }}</p>');
    expect(inlined).toMatch(/@media \(max-width: 600px\)/); // kept for clients that honour it
    // Every Liquid tag and output survives unchanged.
    const liquid = (text: string): string[] => text.match(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g) ?? [];
    expect(liquid(inlined)).toEqual(liquid(styled));
  });

  it("renders the inlined template", async () => {
    const out = await renderMessage(html(styled), sampleVariables());
    expect(out.html).toContain('<td class="btn" title="Anna Müller" style="background-color: #1d4ed8;" bgcolor="#1d4ed8">1</td>');
    expect(out.html).toContain('<p style="color: #333333;"><a href="https://www.dhl.com/');
    expect(out.html).toContain('target="_blank"');
    expect(out.html).not.toMatch(/\{\{|\{%|pwlq/);
  });

  it("falls back to the original when the CSS itself holds Liquid", async () => {
    const source = "<style>p { color: {{ 'red' }}; }</style><p>x</p>{% if true %}<p>y</p>{% endif %}";
    expect(inlineCss(source)).toBeNull();
    expect((await renderMessage(html(source), sampleVariables())).html).toBe("<style>p { color: red; }</style><p>x</p><p>y</p>");
  });

  it("does not inline a stylesheet too large to inline quickly", () => {
    const css = Array.from({ length: 1_000 }, (_, i) => `.c${i} td p { color: #${100 + (i % 900)}; }`).join("\n");
    const body = Array.from({ length: 1_000 }, (_, i) => `<table><tr><td class="c${i}"><p>{{ i }}</p></td></tr></table>`).join("");
    const started = performance.now();
    expect(inlineCss(`<style>${css}</style>${body}`)).toBeNull();
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("leaves templates without <style>, the subject and the text body alone", async () => {
    expect(inlineCss("<p>{{ x }}</p>")).toBeNull();
    const source = { subject: "<style>p{color:red}</style>s", html: "<p>h</p>", text: "<style>p{color:red}</style><p>t</p>" };
    const out = await renderMessage(source, sampleVariables());
    expect(out.subject).toBe("<style>p{color:red}</style>s");
    expect(out.text).toBe("<style>p{color:red}</style><p>t</p>");
  });

  it("inlines once per template text, at parse time", async () => {
    const source = html(styled.replace("Hi", "Hello once"));
    const before = juiceCalls.count;
    for (let i = 0; i < 50; i++) await renderMessage(source, sampleVariables());
    expect(juiceCalls.count - before).toBe(1);
  });

  it("reports runtime errors at the merchant's line, not the inlined one", async () => {
    const source = styled.replace("</body>", "{% for a in (1..100000) %}{% for b in (1..100000) %}{{ a }}{% endfor %}{% endfor %}\n</body>");
    const err = await renderError(html(source));
    expect(err.part).toBe("html");
    expect(err.line).toBe(16);
    expect(err.message).toMatch(/limit exceeded/);
  });

  it("reports syntax errors against the original text", async () => {
    const err = await renderError(html(styled.replace("{% endif %}", "")));
    expect(err.part).toBe("html");
    expect(err.line).toBe(12);
  });
});
