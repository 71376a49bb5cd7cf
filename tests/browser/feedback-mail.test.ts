// The feedback request as buyers see it, in Chromium: the mail captured at the SendGrid stand-in (sent
// by the real server's worker) rendered wide and on a phone in English, French, German and Japanese. The
// five star links sit in one row that fits a 375 px screen, each named in words, and clicking the lowest
// star in the browser lands on the same review page as the highest. Screenshots go to docs/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { chromiumAvailable, launchChromium } from "../support/chromium";
import { startAppServer, TEST_SHOP, type AppServer } from "../support/app-server";
import { deliveredOrderFeedbackMail } from "../support/feedback-request";
import type { Buyer } from "#tests/demo/scenario";
import type { CapturedMail } from "#tests/standins/capture-server";
import { sampleFeedback, sampleVariables } from "#tests/support/sample-variables";
import { defaultTemplate } from "~/templates/defaults";
import { renderMessage } from "~/templates/render";

const browserReady = chromiumAvailable();
const SCREENSHOTS = join(process.cwd(), "docs", "screenshots");
const SIZES = { wide: { width: 1200, height: 900 }, narrow: { width: 375, height: 800 } } as const;
const LOCALES: [locale: string, first: string, last: string, stars: string[]][] = [
  ["en", "Emma", "Walsh", ["1 star", "5 stars"]],
  ["fr", "Camille", "Lefèvre", ["1 étoile", "5 étoiles"]],
  ["de", "Lena", "Koch", ["1 Stern", "5 Sterne"]],
  ["ja", "陽菜", "佐藤", ["星1つ", "星5つ"]],
];
const TEMPLATE = "https://reviews.example/write?order={{ order.name }}&rating={{ rating }}";

let app: AppServer;
let browser: Browser;
const mails = new Map<string, CapturedMail>();

function feedbackMail(n: number, locale: string, first: string, last: string): Promise<CapturedMail> {
  const b: Buyer = { first, last, email: `mail-${locale}@example.test`, locale, country: "DE", city: "Berlin", zip: "10115", address1: "Street 1" };
  return deliveredOrderFeedbackMail(app, 7400 + n, b);
}

async function show(page: Page, mail: CapturedMail) {
  // The mail as a mail client shows it: no scripts, the HTML as sent.
  await page.setContent(mail.html ?? "", { waitUntil: "load" });
}

beforeAll(async () => {
  if (!browserReady) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  app = await startAppServer();
  await app.db.shop.update({ where: { domain: TEST_SHOP }, data: { name: "Kumo Ceramics", reviewDestination: "custom", reviewUrlTemplate: TEMPLATE } });
  browser = await launchChromium();
  let n = 0;
  for (const [locale, first, last] of LOCALES) mails.set(locale, await feedbackMail(++n, locale, first, last));
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe.skipIf(!browserReady)("the feedback request in a mail client", { timeout: 120_000 }, () => {
  it.each(LOCALES)("%s: five named star links in one row, wide and on a phone", async (locale, _first, _last, words) => {
    const mail = mails.get(locale)!;
    for (const [label, size] of Object.entries(SIZES)) {
      const page = await browser.newPage({ viewport: size, javaScriptEnabled: false });
      await show(page, mail);
      const stars = page.locator('a[href*="/r/"]').filter({ hasText: /\d/ });
      expect(await stars.count()).toBe(5);
      for (const word of words) await expect.poll(() => page.getByText(word, { exact: true }).count()).toBeGreaterThan(0);
      const boxes = await Promise.all([0, 1, 2, 3, 4].map(async (i) => (await stars.nth(i).boundingBox())!));
      // One row, left to right, inside the screen.
      for (const box of boxes) {
        expect(Math.abs(box.y - boxes[0].y)).toBeLessThan(4);
        expect(box.x + box.width).toBeLessThanOrEqual(size.width);
      }
      for (let i = 1; i < 5; i++) expect(boxes[i].x).toBeGreaterThan(boxes[i - 1].x);
      // Nothing wider than the phone's screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
      await page.screenshot({ path: join(SCREENSHOTS, `feedback-mail-${locale}-${label}.png`), fullPage: true });
      await page.close();
    }
  });

  it("opens the same review page from the lowest star as from the highest, through the app", async () => {
    const page = await browser.newPage({ viewport: SIZES.narrow });
    const reached: string[] = [];
    await page.route("https://reviews.example/**", async (route) => {
      reached.push(route.request().url());
      await route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Write a review</h1>" });
    });
    for (const rating of ["1", "5"]) {
      await show(page, mails.get("en")!);
      await page.locator('a[href*="/r/"]').filter({ hasText: `${rating} star` }).click();
      await page.waitForURL(/reviews\.example/);
      await expect.poll(() => page.getByRole("heading", { name: "Write a review" }).count()).toBe(1);
    }
    expect(reached).toHaveLength(2);
    expect(reached[0]).toMatch(/rating=1$/);
    expect(reached[1]).toMatch(/rating=5$/);
    expect(reached[0].replace(/rating=1$/, "")).toBe(reached[1].replace(/rating=5$/, ""));
    await page.close();
  });

  it.each(["en", "fr", "ja"])("%s: every part of the layout (patience, products with images, contact form) fits a phone", async (locale) => {
    // The parts other data fills (products bought, the contact form, a delay before delivery), rendered
    // from the default template with sample values, as the worker would with them.
    const feedback = sampleFeedback({
      after_delay: true,
      contact_url: "https://kumo-ceramics.example/apps/parcelwise/contact?t=sample",
      products: [
        { title: "Tenmoku tea bowl", url: "https://kumo-ceramics.example/products/tenmoku-bowl", image_url: "https://cdn.kumo-ceramics.example/tenmoku.png" },
        { title: "Kyusu teapot, 300 ml", url: "https://kumo-ceramics.example/products/kyusu", image_url: "https://cdn.kumo-ceramics.example/kyusu.png" },
        { title: "Bamboo tea whisk", url: "https://kumo-ceramics.example/products/chasen", image_url: null },
      ],
    });
    const out = await renderMessage(defaultTemplate("feedback_request", locale), sampleVariables({ locale, feedback }), new Date("2026-12-10T10:00:00Z"));
    for (const [label, size] of Object.entries(SIZES)) {
      const page = await browser.newPage({ viewport: size, javaScriptEnabled: false });
      await page.route("https://cdn.kumo-ceramics.example/**", (route) =>
        route.fulfill({ contentType: "image/svg+xml", body: '<svg xmlns="http://www.w3.org/2000/svg" width="56" height="56"><rect width="56" height="56" rx="6" fill="#7c5c3b"/><circle cx="28" cy="30" r="14" fill="#d9c3a5"/></svg>' }),
      );
      await page.setContent(out.html, { waitUntil: "load" });
      expect(await page.locator('a[href*="/products/"]').count()).toBe(3);
      expect(await page.locator('img[src*="cdn.kumo-ceramics.example"]').count()).toBe(2);
      expect(await page.locator('a[href*="/contact"]').count()).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
      await page.screenshot({ path: join(SCREENSHOTS, `feedback-mail-${locale}-all-parts-${label}.png`), fullPage: true });
      await page.close();
    }
  });
});
