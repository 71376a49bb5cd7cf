import { describe, expect, it } from "vitest";
import { DEFAULT_LOCALES, defaultTemplate } from "~/templates/defaults";
import { renderMessage, validateTemplate, type RenderedMessage } from "~/templates/render";
import { sampleVariables } from "~/templates/sample";
import { MESSAGE_KINDS, type MessageKind, type MessageVariables } from "~/templates/variables";

const RANGE = /Dec 1\s–\s4, 2026/u;
const TRACKING_URL = "https://www.dhl.com/de-en/home/tracking/tracking-express.html?submit=1&tracking-id=4829163750";

// Per kind: what both bodies must say with the sample variables.
const EXPECTED: Record<MessageKind, (string | RegExp)[]> = {
  handling_commitment: ["#1001", "within", "48 hours", "courier number", "3 days", "online for tracking", "quality"],
  shipping_confirmation: [
    "#1001",
    "Nov 26, 2026",
    "DHL Express",
    "4829163750",
    RANGE,
    "3–6 business days",
    "reply to this email",
    "Kumo Ceramics",
  ],
  tracking_updated: ["#1001", "4829163750", "replaced", "DHL Express", "Kumo Ceramics"],
  delay_notice: ["#1001", "sorry", "customs", "What you can do", "4829163750", "DHL Express", RANGE],
  feedback_request: ["#1001", "five-star review", "contact us first", "Kumo Ceramics"],
};

function expectAll(body: string, needles: (string | RegExp)[]): void {
  for (const needle of needles) {
    if (typeof needle === "string") expect(body.toLowerCase()).toContain(needle.toLowerCase());
    else expect(body).toMatch(needle);
  }
}

const render = (kind: MessageKind, vars: MessageVariables = sampleVariables()): Promise<RenderedMessage> =>
  renderMessage(defaultTemplate(kind, "en"), vars);

describe("default templates", () => {
  it("has English", () => {
    expect(DEFAULT_LOCALES).toContain("en");
  });

  describe.each(MESSAGE_KINDS)("%s", (kind) => {
    it("validates", () => {
      expect(validateTemplate(defaultTemplate(kind, "en"))).toEqual([]);
    });

    it("renders the key fields in HTML and text", async () => {
      const out = await render(kind);
      expect(out.subject).toContain("#1001");
      expect(out.subject).not.toMatch(/[\r\n]/);
      expectAll(out.html, EXPECTED[kind]);
      expectAll(out.text, EXPECTED[kind]);
      expect(out.text).toMatch(/^Hi Anna,/);
    });

    it("has a table-based HTML body and a real plain-text body", async () => {
      const out = await render(kind);
      expect(out.html).toMatch(/^<!DOCTYPE html>/);
      expect(out.html).toContain('<table role="presentation"');
      expect(out.html).not.toMatch(/<style|<link|<script/i);
      expect(out.text).not.toMatch(/<\/?[a-z][^>]*>/i);
      expect(out.text).not.toMatch(/\n{3,}/);
    });

    it("copes with missing optional data", async () => {
      const out = await render(
        kind,
        sampleVariables({
          shipment: null,
          carrier: null,
          tracking: null,
          estimated_delivery: null,
          review_url: null,
          unsubscribe_url: null,
          shop: { name: "Kumo Ceramics", email: null, domain: "kumo.example", currency: "JPY" },
          buyer: { first_name: "", name: "", email: "x@example.com" },
        }),
      );
      for (const body of [out.subject, out.html, out.text]) {
        expect(body).not.toMatch(/undefined|null|NaN|\{\{|\{%|Invalid Date/);
      }
      expect(out.text).toMatch(/^Hi there,/);
      expect(out.html).not.toMatch(/href=""/);
      expect(out.text).not.toMatch(/\n{3,}/);
    });

    it("escapes the buyer's name in HTML only", async () => {
      const evil = "<script>alert(1)</script>";
      const out = await render(kind, sampleVariables({ buyer: { first_name: evil, name: evil, email: "a@b.c" } }));
      expect(out.html).toContain("Hi &lt;script&gt;alert(1)&lt;/script&gt;,");
      expect(out.html).not.toContain(evil);
      expect(out.text).toContain(`Hi ${evil},`);
    });
  });

  it("links the tracking page", async () => {
    for (const kind of ["shipping_confirmation", "tracking_updated", "delay_notice"] as const) {
      const out = await render(kind);
      expect(out.html).toContain(`href="${TRACKING_URL.replace(/&/g, "&amp;")}"`);
      expect(out.text).toContain(TRACKING_URL);
    }
  });

  it("names the replaced tracking number", async () => {
    const vars = sampleVariables();
    vars.tracking = { ...vars.tracking!, previous_number: "JJD0099887766" };
    const out = await render("tracking_updated", vars);
    expect(out.html).toContain("JJD0099887766");
    expect(out.text).toContain("The old number JJD0099887766 has been replaced");
  });

  it("states the handling commitment from the variables", async () => {
    const vars = sampleVariables({ commitment: { handling_hours: 24, online_tracking_days: 1 } });
    const out = await render("handling_commitment", vars);
    expect(out.text).toContain("within 24 hours to get a courier number");
    expect(out.text).toContain("another 1 day for the number");
  });

  it("offers unsubscribe on delay and feedback mails, and the review link on feedback", async () => {
    const vars = sampleVariables();
    for (const kind of ["delay_notice", "feedback_request"] as const) {
      const out = await render(kind, vars);
      expect(out.html).toContain(`href="${vars.unsubscribe_url!}"`);
      expect(out.text).toContain(vars.unsubscribe_url!);
    }
    const feedback = await render("feedback_request", vars);
    expect(feedback.html).toContain(`href="${vars.review_url!}"`);
    expect(feedback.text).toContain(`Leave a review: ${vars.review_url!}`);
  });

  it("falls back to English for any locale", () => {
    const en = defaultTemplate("shipping_confirmation", "en");
    for (const locale of ["de", "de-DE", "pt_BR", "EN-us", "zz", ""]) {
      expect(defaultTemplate("shipping_confirmation", locale)).toEqual(en);
    }
  });

  it("returns a copy the caller may edit", () => {
    const first = defaultTemplate("delay_notice", "en");
    first.subject = "changed";
    expect(defaultTemplate("delay_notice", "en").subject).not.toBe("changed");
  });
});
