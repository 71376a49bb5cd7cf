// The worker's render shortcuts give the mail it would get without them: CSS inlined once on the
// template's source (Liquid kept intact) is the mail inlined after rendering, for every default template
// in every locale; and a buyer's time zone passed to liquidjs as its offset prints what the zone's
// name prints.
import juice from "juice";
import { describe, expect, it } from "vitest";
import { defaultTemplate, DEFAULT_LOCALES } from "~/templates/defaults";
import { zoneOffsetMinutes } from "~/templates/date-filters";
import { JUICE_OPTIONS } from "~/templates/css-inline";
import { engineFor } from "~/templates/engine";
import { renderMessage } from "~/templates/render";
import { setRenderMeta } from "~/templates/render-meta";
import { MESSAGE_KINDS, type MessageVariables } from "~/templates/variables";
import { sampleVariables } from "#tests/support/sample-variables";

const NOW = new Date("2026-11-27T10:00:00Z");

// What a merchant adds to a default template: a stylesheet for its tags, classes and a media query.
const STYLESHEET = `<style>
p { color: #333333; }
td { font-family: Georgia, serif; }
a { color: #1d4ed8; text-decoration: underline; }
ul li { line-height: 1.5; }
strong { color: #111111; }
@media (max-width: 600px) { td { padding: 8px !important; } }
</style>`;


/** The HTML part rendered as written, with no inlining (what juice would be given after rendering). */
function renderUninlined(source: string, variables: MessageVariables, now: Date): string {
  const scope = { ...variables };
  setRenderMeta(scope, now);
  const engine = engineFor("html");
  return engine.renderSync(engine.parse(source), scope) as string;
}

describe("CSS inlined once per template", () => {
  const cases = MESSAGE_KINDS.flatMap((kind) => DEFAULT_LOCALES.map((locale) => ({ kind, locale })));

  it.each(cases)("$kind in $locale: inlining the source, then rendering, is inlining the rendered mail", async ({ kind, locale }) => {
    const source = defaultTemplate(kind, locale);
    const styled = { ...source, html: source.html.replace("</head>", `${STYLESHEET}\n</head>`) };
    expect(styled.html).toContain(STYLESHEET);
    for (const variables of [sampleVariables({ locale }), sampleVariables({ locale, buyer: { first_name: `O'Brien & <Söhne>`, name: "Zoë \"Q\" O'Brien", email: "z@example.ie" } })]) {
      const once = (await renderMessage(styled, variables, NOW)).html;
      const after = juice(renderUninlined(styled.html, variables, NOW), JUICE_OPTIONS);
      expect(once).not.toContain("<style>\np {"); // it was inlined
      expect(once).toContain("color: #333333;");
      expect(once).toBe(after);
    }
  });

  it("a default template without a stylesheet is rendered as written", async () => {
    const source = defaultTemplate("shipping_confirmation", "de");
    const variables = sampleVariables({ locale: "de" });
    expect((await renderMessage(source, variables, NOW)).html).toBe(renderUninlined(source.html, variables, NOW));
  });
});

describe("the buyer's time zone as an offset", () => {
  // liquidjs' own computation from a zone name (LiquidDate.getTimezoneOffset).
  const liquidOffset = (zone: string, when: Date) =>
    (+new Date(when.toLocaleString("en-US", { timeZone: "UTC" })) - +new Date(when.toLocaleString("en-US", { timeZone: zone }))) / 60_000;
  const zones = ["UTC", "Europe/Berlin", "America/Los_Angeles", "America/St_Johns", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Tokyo", "America/Sao_Paulo"];
  // Around the 2026 DST changes of Europe, North America and Lord Howe, and ordinary days.
  const instants = [
    "2026-03-08T09:59:59Z", "2026-03-08T10:00:00Z", "2026-03-29T00:59:59Z", "2026-03-29T01:00:00Z", "2026-04-04T15:00:00Z",
    "2026-10-04T14:59:59Z", "2026-10-25T00:59:59Z", "2026-10-25T01:00:00Z", "2026-11-01T08:59:59Z", "2026-11-01T09:00:00Z",
    "2026-11-27T10:00:00Z", "2026-12-31T23:30:00Z", "2027-01-01T00:00:00Z",
  ].map((s) => new Date(s));

  it("is the offset liquidjs computes from the zone's name", () => {
    for (const zone of zones) for (const when of instants) expect(zoneOffsetMinutes(zone, when), `${zone} at ${when.toISOString()}`).toBe(liquidOffset(zone, when));
  });

  it("prints every format as the zone's name does", async () => {
    const formats = ["%Y-%m-%d %H:%M:%S", "%e %B %Y, %H:%M %z", "%a %d %b %I:%M %p %:z", "%s", "%Z %H:%M"];
    const body = instants.map((w) => formats.map((f) => `{{ "${w.toISOString()}" | date: "${f}" }}|{{ "${w.toISOString()}" | date: "${f}", tz }}`).join("\n")).join("\n");
    for (const zone of zones) {
      const out = (await renderMessage({ subject: "s", html: "h", text: body }, { ...sampleVariables({ locale: "de", timezone: zone }), tz: zone } as MessageVariables, NOW)).text;
      for (const line of out.split("\n")) {
        const [byOffset, byName] = line.split("|");
        expect(byOffset, zone).toBe(byName);
      }
    }
  });
});
