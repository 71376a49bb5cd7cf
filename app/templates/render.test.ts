import { afterEach, describe, expect, it } from "vitest";
import {
  parseTemplate,
  renderMessage,
  TemplateError,
  validateTemplate,
  type TemplateSource,
} from "~/templates/render";
import { sampleVariables } from "~/templates/sample";
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
      expect(await renderText("{{ shipment.shipped_at | date: '%b %-d, %Y %H:%M' }}")).toBe("Nov 26, 2026 03:00");
      // Zone-less date-time is read as UTC, not server time.
      expect(await renderText("{{ '2026-12-01T00:30:00' | date: '%-d %H:%M' }}")).toBe("1 00:30");
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
