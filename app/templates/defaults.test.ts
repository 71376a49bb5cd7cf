import { describe, expect, it } from "vitest";
import { DEFAULT_LOCALES, defaultTemplate, resolveDefaultLocale } from "~/templates/defaults";
import { renderMessage, type RenderedMessage } from "~/templates/render";
import { validateTemplate } from "~/templates/validate";
import { sampleDelay, sampleVariables } from "#tests/support/sample-variables";
import { MESSAGE_KINDS, type MessageKind, type MessageVariables } from "~/templates/variables";

const REQUIRED_LOCALES = ["en", "es", "fr", "de", "pt", "it", "ja", "zh-CN"];
const DELAY_REASONS = ["overdue", "silent", "exception"] as const;

const TRACKING_URL = "https://www.dhl.com/de-en/home/tracking/tracking-express.html?submit=1&tracking-id=4829163750";
const PAGE_URL = "https://kumo-ceramics.example/apps/parcelwise/track?order=1001&t=3b1f0c";

/** The sample as the worker would build it for a buyer in `locale`, with a delay on delay notices. */
function vars(locale: string, kind: MessageKind, overrides: Partial<MessageVariables> = {}): MessageVariables {
  return sampleVariables({ locale, ...(kind === "delay_notice" ? { delay: sampleDelay("overdue") } : {}), ...overrides });
}

const NOW = new Date("2026-11-27T10:00:00Z");

const render = (kind: MessageKind, locale: string, v: MessageVariables = vars(locale, kind)): Promise<RenderedMessage> =>
  renderMessage(defaultTemplate(kind, locale), v, NOW);

const LEFTOVERS = /\{\{|\}\}|\{%|%\}|Liquid error|undefined|\bnull\b|NaN|Invalid Date|\*\*/;
const HTML_TAG = /<\/?[a-z][^>]*>/i;
// A bare ampersand in HTML (the phrases are raw HTML; only Liquid output is escaped).
const BARE_AMPERSAND = /&(?![a-z]+;|#\d+;|#x[0-9a-f]+;)/i;

/** What each locale's mail must say with the sample variables: localized dates, money and key phrases. */
const LOCALIZED: Record<string, { shipped: string; total: string; hours: string; sorry: string; customs: string; review: string }> = {
  en: { shipped: "November 26, 2026", total: "€89.50", hours: "48 hours", sorry: "sorry", customs: "customs", review: "honest review" },
  es: { shipped: "26 de noviembre de 2026", total: "89,50\u00a0€", hours: "48 horas", sorry: "Lo sentimos", customs: "aduana", review: "opinión sincera" },
  fr: { shipped: "26 novembre 2026", total: "89,50\u00a0€", hours: "48 heures", sorry: "désolés", customs: "douane", review: "avis sincère" },
  de: { shipped: "26. November 2026", total: "89,50\u00a0€", hours: "48 Stunden", sorry: "tut uns leid", customs: "Zoll", review: "ehrliche Bewertung" },
  pt: { shipped: "26 de novembro de 2026", total: "€\u00a089,50", hours: "48 horas", sorry: "desculpas", customs: "alfândega", review: "avaliação sincera" },
  "pt-PT": { shipped: "26 de novembro de 2026", total: "89,50\u00a0€", hours: "48 horas", sorry: "Lamentamos", customs: "alfândega", review: "avaliação sincera" },
  it: { shipped: "26 novembre 2026", total: "89,50\u00a0€", hours: "48 ore", sorry: "Ci dispiace", customs: "dogana", review: "recensione sincera" },
  ja: { shipped: "2026年11月26日", total: "€89.50", hours: "48時間以内", sorry: "申し訳ございません", customs: "税関", review: "率直なレビュー" },
  "zh-CN": { shipped: "2026年11月26日", total: "€89.50", hours: "48 小时内", sorry: "抱歉", customs: "海关", review: "真实的评价" },
};

describe("locales", () => {
  it("ships the required locales, each with its own phrases", () => {
    for (const locale of REQUIRED_LOCALES) expect(DEFAULT_LOCALES).toContain(locale);
    expect(Object.keys(LOCALIZED).sort()).toEqual([...DEFAULT_LOCALES].sort());
  });

  it("resolves regional and alias spellings", () => {
    const cases: [string, string | null][] = [
      ["en", "en"],
      ["EN-us", "en"],
      ["de-AT", "de"],
      ["fr_CA", "fr"],
      ["es-419", "es"],
      ["pt", "pt"],
      ["pt-BR", "pt"],
      ["pt_br", "pt"],
      ["pt-PT", "pt-PT"],
      ["pt-pt", "pt-PT"],
      ["zh-CN", "zh-CN"],
      ["zh-cn", "zh-CN"],
      ["zh", "zh-CN"],
      ["zh-Hans", "zh-CN"],
      ["zh-Hans-CN", "zh-CN"],
      ["zh-SG", "zh-CN"],
      ["zh-TW", null],
      ["zh-HK", null],
      ["zh-Hant-TW", null],
      ["ja-JP", "ja"],
      ["nl", null],
      ["zz", null],
      ["", null],
    ];
    for (const [input, expected] of cases) expect([input, resolveDefaultLocale(input)]).toEqual([input, expected]);
    for (const locale of DEFAULT_LOCALES) expect(resolveDefaultLocale(locale)).toBe(locale);
  });

  it("defaultTemplate follows the resolution and falls back to English", () => {
    const kind = "shipping_confirmation";
    expect(defaultTemplate(kind, "zh")).toEqual(defaultTemplate(kind, "zh-CN"));
    expect(defaultTemplate(kind, "pt-BR")).toEqual(defaultTemplate(kind, "pt"));
    expect(defaultTemplate(kind, "pt-PT")).not.toEqual(defaultTemplate(kind, "pt"));
    for (const locale of ["zh-TW", "nl-NL", "zz", ""]) expect(defaultTemplate(kind, locale)).toEqual(defaultTemplate(kind, "en"));
  });

  it("returns a copy the caller may edit", () => {
    const first = defaultTemplate("delay_notice", "ja");
    first.subject = "changed";
    expect(defaultTemplate("delay_notice", "ja").subject).not.toBe("changed");
  });
});

describe.each(DEFAULT_LOCALES)("%s", (locale) => {
  const expected = LOCALIZED[locale];

  describe.each(MESSAGE_KINDS)("%s", (kind) => {
    it("validates", () => {
      expect(validateTemplate(defaultTemplate(kind, locale))).toEqual([]);
    });

    it("renders completely, with a one-line subject and a tag-free text body", async () => {
      const out = await render(kind, locale);
      for (const body of [out.subject, out.html, out.text]) expect(body).not.toMatch(LEFTOVERS);
      expect(out.subject).toContain("#1001");
      expect(out.subject).not.toMatch(/[\r\n]/);
      expect(out.html).toContain("#1001");
      expect(out.text).toContain("#1001");
      expect(out.text).not.toMatch(HTML_TAG);
      expect(out.text).not.toMatch(/\n{3,}/);
      expect(out.text).toMatch(/^\S/);
      expect(out.text).toContain("Kumo Ceramics");
    });

    it("has a table-based, self-contained HTML body in the right language", async () => {
      const out = await render(kind, locale);
      expect(out.html).toMatch(/^<!DOCTYPE html>/);
      expect(out.html).toContain(`<html lang="${locale === "pt" ? "pt-BR" : locale}">`);
      expect(out.html).toContain('<table role="presentation"');
      expect(out.html).not.toMatch(/<style|<link|<script/i);
      expect(out.html).not.toMatch(BARE_AMPERSAND);
    });

    it("copes with every nullable variable being null", async () => {
      const out = await render(
        kind,
        locale,
        sampleVariables({
          locale,
          shipment: null,
          carrier: null,
          last_event: null,
          tracking: null,
          estimated_delivery: null,
          delay: null,
          review_url: null,
          unsubscribe_url: null,
          shop: { name: "Kumo Ceramics", email: null, domain: "kumo.example", currency: "JPY" },
          order: { name: "#1001", number: "1001", total_price: "89.50", currency: "EUR", processed_at: null },
          buyer: { first_name: "", name: "", email: "x@example.com" },
        }),
      );
      for (const body of [out.subject, out.html, out.text]) expect(body).not.toMatch(LEFTOVERS);
      expect(out.html).not.toMatch(/href=""/);
      expect(out.text).not.toMatch(/\n{3,}/);
      expect(out.text).toMatch(/^\S/);
      expect(out.text).not.toMatch(/^\s*[,:]/); // the greeting has no dangling punctuation
    });

    it("escapes a hostile buyer name in HTML only", async () => {
      const evil = "<script>alert(1)</script>";
      const out = await render(kind, locale, vars(locale, kind, { buyer: { first_name: evil, name: evil, email: "a@b.c" } }));
      expect(out.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(out.html).not.toContain(evil);
      expect(out.text).toContain(evil);
      expect(out.text).not.toContain("&lt;");
    });

    it("links the carrier page and, when set, the shop's tracking page", async () => {
      if (kind !== "shipping_confirmation" && kind !== "tracking_updated" && kind !== "delay_notice") return;
      const withPage = await render(kind, locale);
      expect(withPage.html).toContain(`href="${TRACKING_URL.replace(/&/g, "&amp;")}"`);
      expect(withPage.html).toContain(`href="${PAGE_URL.replace(/&/g, "&amp;")}"`);
      expect(withPage.text).toContain(TRACKING_URL);
      expect(withPage.text).toContain(PAGE_URL);

      const base = sampleVariables();
      const withoutPage = await render(kind, locale, vars(locale, kind, { tracking: { ...base.tracking!, page_url: null } }));
      expect(withoutPage.html).not.toContain("/apps/parcelwise/track");
      expect(withoutPage.text).not.toContain("/apps/parcelwise/track");
      expect(withoutPage.html).toContain(`href="${TRACKING_URL.replace(/&/g, "&amp;")}"`);
    });

    it("offers unsubscribing exactly on the delay notice and the feedback request", async () => {
      const v = vars(locale, kind);
      const out = await render(kind, locale, v);
      const offered = kind === "delay_notice" || kind === "feedback_request";
      expect(out.html.includes(`href="${v.unsubscribe_url!}"`)).toBe(offered);
      expect(out.text.includes(v.unsubscribe_url!)).toBe(offered);
    });

    if (locale !== "en") {
      it("is translated, not the English text", async () => {
        const en = await render(kind, "en", vars("en", kind));
        // Without the (English) carrier event text, nothing English may remain but names and URLs.
        const out = await render(kind, locale, vars(locale, kind, { last_event: null }));
        expect(out.subject).not.toBe(en.subject);
        expect(out.text).not.toBe(en.text);
        const source = defaultTemplate(kind, locale);
        const english = defaultTemplate(kind, "en");
        expect(source.subject).not.toBe(english.subject);
        expect(source.html).not.toBe(english.html);
        expect(source.text).not.toBe(english.text);
        for (const body of [out.subject, out.text, out.html.replace(/<[^>]*>/g, " ")]) {
          const words = body.replace(/https?:\/\/\S+|\S+@\S+/g, " ");
          expect(words).not.toMatch(/\b(the|your|you|please|with|and|order|parcel|tracking|business days?|reply)\b/i);
        }
      });
    }
  });

  it("says what each message is about, with localized dates and money", async () => {
    const handling = await render("handling_commitment", locale);
    const shipping = await render("shipping_confirmation", locale);
    const delay = await render("delay_notice", locale);
    const feedback = await render("feedback_request", locale);
    const range = sampleVariables({ locale }).estimated_delivery!.range;
    for (const out of [handling.html, handling.text]) {
      expect(out).toContain(expected.hours);
      expect(out).toContain(expected.total);
    }
    for (const out of [shipping.html, shipping.text]) {
      expect(out).toContain(expected.shipped);
      expect(out).toContain(range);
      expect(out).toMatch(/3–6|3〜6/);
      expect(out).toContain("DHL Express");
      expect(out).toContain("4829163750");
    }
    for (const out of [delay.html, delay.text]) {
      expect(out).toContain(expected.sorry);
      expect(out).toContain(expected.customs);
    }
    for (const out of [feedback.html, feedback.text]) {
      expect(out).toContain(expected.review);
      expect(out).toContain("https://kumo-ceramics.example/pages/reviews?order=1001".replace(/&/g, "&amp;"));
    }
  });

  it("explains each delay reason differently", async () => {
    const carrierEvent = {
      status: "failure",
      message: "Delivery attempted, recipient not home",
      city: "Leipzig",
      country: "DE",
      happened_at: "2026-12-05T14:20:00Z",
    };
    const texts = new Map<string, string>();
    for (const reason of [...DELAY_REASONS, null]) {
      const out = await render(
        "delay_notice",
        locale,
        vars(locale, "delay_notice", { delay: reason ? sampleDelay(reason) : null, last_event: carrierEvent }),
      );
      for (const body of [out.subject, out.html, out.text]) expect(body).not.toMatch(LEFTOVERS);
      texts.set(String(reason), out.text);
    }
    expect(new Set(texts.values()).size).toBe(4);
    expect(texts.get("overdue")).toContain(sampleVariables({ locale }).estimated_delivery!.range);
    expect(texts.get("overdue")).toMatch(new RegExp(`\\b${sampleDelay("overdue").days_overdue}\\b|${sampleDelay("overdue").days_overdue}`));
    expect(texts.get("silent")).toContain(String(sampleDelay("silent").days_silent));
    expect(texts.get("exception")).toContain(carrierEvent.message);
    // The exception explains the carrier's event in the body; the others list it as the latest update.
    expect(texts.get("silent")).toContain(carrierEvent.message);
  });

  it("skips the review button without a review URL", async () => {
    const out = await render("feedback_request", locale, vars(locale, "feedback_request", { review_url: null }));
    expect(out.html).not.toContain("/pages/reviews");
    expect(out.text).not.toContain("/pages/reviews");
    expect(out.text).toContain(expected.review);
  });
});

describe("English specifics", () => {
  it("greets by first name, with a fallback", async () => {
    expect((await render("shipping_confirmation", "en")).text).toMatch(/^Hi Anna,/);
    const anonymous = sampleVariables({ buyer: { first_name: "", name: "", email: "x@example.com" } });
    expect((await render("shipping_confirmation", "en", anonymous)).text).toMatch(/^Hi there,/);
  });

  it("names the replaced tracking number", async () => {
    const v = sampleVariables();
    v.tracking = { ...v.tracking!, previous_number: "JJD0099887766" };
    const out = await render("tracking_updated", "en", v);
    expect(out.html).toContain("JJD0099887766");
    expect(out.text).toContain("The old number JJD0099887766 has been replaced");
  });

  it("states the handling commitment from the variables, with plurals", async () => {
    const out = await render("handling_commitment", "en", sampleVariables({ commitment: { handling_hours: 24, online_tracking_days: 1 } }));
    expect(out.text).toContain("within 24 hours to get a courier number");
    expect(out.text).toContain("another 1 day for the number to be online for tracking");
    expect(out.text).toContain("we check the quality of every product");
  });

  it("shows the business days and the formatted window", async () => {
    const out = await render("shipping_confirmation", "en");
    expect(out.text).toMatch(/Estimated delivery: December 1\s–\s4, 2026 \(3–6 business days\)/u);
    const same = sampleVariables();
    same.estimated_delivery = { ...same.estimated_delivery!, min_business_days: 1, max_business_days: 1 };
    expect((await render("shipping_confirmation", "en", same)).text).toContain("(1 business day)");
  });
});

describe("rendering many messages", () => {
  it("keeps every render independent (1000 interleaved renders across locales)", async () => {
    const jobs: { kind: MessageKind; locale: string; v: MessageVariables }[] = [];
    for (let i = 0; i < 1000; i++) {
      const locale = DEFAULT_LOCALES[i % DEFAULT_LOCALES.length];
      const kind = MESSAGE_KINDS[(i * 7) % MESSAGE_KINDS.length];
      const v = vars(locale, kind, {
        buyer: { first_name: `Buyer${i}`, name: `Buyer${i} Test`, email: `b${i}@example.com` },
        order: { name: `#${2000 + i}`, number: String(2000 + i), total_price: `${i}.50`, currency: i % 2 ? "EUR" : "JPY", processed_at: "2026-11-24T09:15:00Z" },
      });
      jobs.push({ kind, locale, v });
    }
    // Reference: each message rendered on its own.
    const expected: RenderedMessage[] = [];
    for (const job of jobs.slice(0, 90)) expected.push(await render(job.kind, job.locale, job.v));

    const started = performance.now();
    const outs = await Promise.all(jobs.map((job) => render(job.kind, job.locale, job.v)));
    const elapsed = performance.now() - started;

    for (let i = 0; i < 90; i++) expect(outs[i]).toEqual(expected[i]);
    outs.forEach((out, i) => {
      expect(out.subject).toContain(`#${2000 + i}`);
      expect(out.text).toContain(`Buyer${i}`);
      expect(out.text).not.toMatch(new RegExp(`Buyer${i + 1}\\b`));
    });
    // Locale-dependent output stayed with its own render.
    outs.forEach((out, i) => {
      if (jobs[i].kind === "shipping_confirmation") expect(out.text).toContain(LOCALIZED[jobs[i].locale].shipped);
    });
    // Far above the worker's 500 mails/s budget (render is a small part of a send).
    expect(elapsed).toBeLessThan(10_000);
  });
});
