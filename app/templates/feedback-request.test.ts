// The default feedback request in every language: five star links (one per rating, in order, each named
// in words), the review button, the products bought, "contact us first" and the patience line, and a
// wording that asks for an honest review rather than for five stars.
import { describe, expect, it } from "vitest";
import { DEFAULT_LOCALES, defaultTemplate } from "~/templates/defaults";
import { renderMessage } from "~/templates/render";
import { sampleFeedback, sampleVariables } from "#tests/support/sample-variables";
import type { MessageVariables } from "~/templates/variables";

const NOW = new Date("2026-12-10T10:00:00Z");
const LEFTOVERS = /\{\{|\}\}|\{%|%\}|Liquid error|undefined|\bnull\b|NaN/;
const HTML_TAG = /<\/?[a-z][^>]*>/i;
const STAR_WORDS: Record<string, string[]> = {
  en: ["1 star", "2 stars", "5 stars"],
  fr: ["1 étoile", "2 étoiles", "5 étoiles"],
  de: ["1 Stern", "2 Sterne", "5 Sterne"],
  ja: ["星1つ", "星2つ", "星5つ"],
};
// Phrases of the old wording, which asked for five stars only.
const FIVE_STAR_ASK = /five-star|five stars|cinq étoiles|Fünf-Sterne|cinco estrellas|cinco estrelas|cinque stelle|星5つのレビュー|五星好评/i;

const PRODUCTS = [
  { title: "Tenmoku tea bowl", url: "https://kumo-ceramics.example/products/tenmoku-bowl", image_url: "https://cdn.example/tenmoku.jpg" },
  { title: "Kyusu teapot", url: "https://kumo-ceramics.example/products/kyusu", image_url: null },
  { title: "Chasen whisk", url: "https://kumo-ceramics.example/products/chasen", image_url: "https://cdn.example/chasen.jpg" },
  { title: "Fourth item", url: "https://kumo-ceramics.example/products/fourth", image_url: null },
];

const render = (locale: string, feedback: MessageVariables["feedback"], overrides: Partial<MessageVariables> = {}) =>
  renderMessage(defaultTemplate("feedback_request", locale), sampleVariables({ locale, feedback, ...overrides }), NOW);

describe.each(DEFAULT_LOCALES)("feedback request (%s)", (locale) => {
  it("links the five stars in order, each to its own signed link, with the rating in words", async () => {
    const out = await render(locale, sampleFeedback());
    for (const body of [out.subject, out.html, out.text]) expect(body).not.toMatch(LEFTOVERS);
    const hrefs = [...out.html.matchAll(/href="([^"]*\/r\/ck9sample0001\.([1-5])\.[^"]*)"/g)].map((m) => m[2]);
    expect(hrefs).toEqual(["1", "2", "3", "4", "5"]);
    const textLinks = [...out.text.matchAll(/\/r\/ck9sample0001\.([1-5])\./g)].map((m) => m[1]);
    expect(textLinks).toEqual(["1", "2", "3", "4", "5"]);
    expect(out.html).toContain("/r/ck9sample0001.r.");
    expect(out.text).toContain("/r/ck9sample0001.r.");
    for (const words of STAR_WORDS[locale] ?? []) {
      expect(out.html).toContain(words);
      expect(out.text).toContain(words);
    }
    // Mail-client safe: the row is a table, no script.
    expect(out.html).not.toMatch(/<script|onclick/i);
    expect(out.text).not.toMatch(HTML_TAG);
    expect(out.text).not.toMatch(/\n{3,}/);
  });

  it("asks for an honest review, not for five stars", async () => {
    const out = await render(locale, sampleFeedback());
    expect(out.html).not.toMatch(FIVE_STAR_ASK);
    expect(out.text).not.toMatch(FIVE_STAR_ASK);
  });

  it("lists at most three products bought, with image, title and link", async () => {
    const out = await render(locale, sampleFeedback({ products: PRODUCTS }));
    for (const product of PRODUCTS.slice(0, 3)) {
      expect(out.html).toContain(`href="${product.url}"`);
      expect(out.html).toContain(product.title);
      expect(out.text).toContain(product.url);
    }
    expect(out.html).toContain('<img src="https://cdn.example/tenmoku.jpg"');
    expect(out.html).not.toContain("Fourth item");
    expect(out.text).not.toContain("Fourth item");
    const none = await render(locale, sampleFeedback());
    expect(none.html).not.toContain("/products/");
  });

  it("points to the contact form when there is one, else to replying", async () => {
    const contact = "https://kumo-ceramics.example/apps/parcelwise/contact?t=abc";
    const withForm = await render(locale, sampleFeedback({ contact_url: contact }));
    const withoutForm = await render(locale, sampleFeedback());
    expect(withForm.html).toContain(`href="${contact}"`);
    expect(withForm.text).toContain(contact);
    expect(withoutForm.html).not.toContain("/contact");
    expect(withForm.text).not.toEqual(withoutForm.text);
  });

  it("thanks the buyer for their patience first only after a delay", async () => {
    const late = await render(locale, sampleFeedback({ after_delay: true }));
    const onTime = await render(locale, sampleFeedback());
    expect(late.text.length).toBeGreaterThan(onTime.text.length);
    // The thanks comes right after the greeting.
    const secondParagraph = (text: string) => text.split("\n\n")[1];
    expect(secondParagraph(late.text)).not.toEqual(secondParagraph(onTime.text));
    // (German starts the hope in capitals once it is no longer first after the greeting's comma.)
    expect(late.text.toLowerCase()).toContain(secondParagraph(onTime.text).toLowerCase());
  });

  it("keeps a merchant's review_url button when there are no feedback links", async () => {
    const out = await render(locale, sampleFeedback({ review_url: null, stars: [] }));
    expect(out.html).toContain("https://kumo-ceramics.example/pages/reviews?order=1001");
    expect(out.html).not.toContain("/r/");
  });
});
