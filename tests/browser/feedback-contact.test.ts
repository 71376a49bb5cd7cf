// The "contact us first" page in Chromium, as a buyer reaches it from a feedback request: on the shop's
// domain (the storefront stand-in forwards /apps/parcelwise/* to the app with Shopify's signed query and
// renders the Liquid answer into a theme page), with JavaScript off, the form posted as a plain form.
// Screenshots, wide and narrow, are committed in docs/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { chromiumAvailable, launchChromium } from "../support/chromium";
import { eventually, startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { startStorefrontStandin, type StorefrontStandin } from "#tests/standins/storefront-standin";
import { contactPageUrl } from "~/feedback/contact-link";
import { DAY_MS } from "~/time";

const browserReady = chromiumAvailable();
const SCREENSHOTS = join(process.cwd(), "docs/screenshots");
const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 400, height: 860 };

let app: AppServer;
let storefront: StorefrontStandin | undefined;
let browser: Browser;
let notificationId: string;

/** The contact link as the mail carries it, opened on the stand-in's domain instead of the shop's. */
function onStorefront(link: string): string {
  const url = new URL(link);
  return `${storefront!.url}${url.pathname}${url.search}`;
}

async function openPage(viewport: { width: number; height: number }, locale = "de-DE"): Promise<Page> {
  // No JavaScript: the form must work as plain HTML.
  const context = await browser.newContext({ viewport, locale, javaScriptEnabled: false });
  return context.newPage();
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

describe.skipIf(!browserReady)("the contact page in Chromium", () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    app = await startAppServer();
    await app.db.order.create({
      data: { shop: TEST_SHOP, shopifyId: "8801", name: "#1001", email: "lena.koch@example.test", buyerName: "Lena Koch", destinationCountry: "DE", paidAt: new Date(Date.now() - 20 * DAY_MS), shopifyUpdatedAt: new Date() },
    });
    const notification = await app.db.notification.create({
      data: {
        shop: TEST_SHOP,
        kind: "feedback_request",
        planKey: "feedback_request:8801",
        orderShopifyId: "8801",
        locale: "de",
        recipient: "lena.koch@example.test",
        scheduledFor: new Date(Date.now() - DAY_MS),
        status: "sent",
        subject: "Wie war Ihre Bestellung #1001?",
      },
    });
    notificationId = notification.id;
    storefront = await startStorefrontStandin({ appUrl: app.baseUrl, shop: TEST_SHOP, secret: TEST_SECRET, storeName: "Parcelwise Test Store" });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await storefront?.close();
    await app?.stop();
  });

  it("opens from a low star in the buyer's language, takes the message without JavaScript, and the merchant gets it", async () => {
    const link = contactPageUrl({ shopDomain: TEST_SHOP, notificationId, secret: TEST_SECRET, issuedAt: new Date(), rating: 1 });
    const narrow = await openPage(NARROW);
    await narrow.goto(onStorefront(link));
    expect(await narrow.locator("h1").textContent()).toBe("Parcelwise Test Store kontaktieren");
    expect(await narrow.locator(".pw-contact").textContent()).toContain("Bestellung #1001");
    expect(await narrow.locator(".pw-contact").textContent()).toContain("Sie haben 1 von 5 Sternen gewählt.");
    // Nothing on the page overflows a phone's width.
    expect(await narrow.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(NARROW.width);
    await shot(narrow, "contact-form-narrow");

    const wide = await openPage(WIDE);
    await wide.goto(onStorefront(link));
    await wide.getByLabel("Ihre Nachricht").fill("Die Tasse kam mit einem Sprung an.\nKönnen Sie mir eine neue schicken?");
    await shot(wide, "contact-form-wide");
    await wide.getByRole("button", { name: "Nachricht senden" }).click();
    await wide.locator("h1", { hasText: "Nachricht gesendet" }).waitFor();
    expect(await wide.locator("[role=status]").textContent()).toContain("Bestellung #1001");
    await shot(wide, "contact-sent-wide");

    const mail = await eventually(async () => app.capture.mails.find((m) => m.subject === "Re: Wie war Ihre Bestellung #1001?"), 30_000, "the merchant's mail");
    expect(mail).toMatchObject({ to: ["owner@parcelwise-test.example"], replyTo: "lena.koch@example.test" });
    expect(mail.text).toContain("Die Tasse kam mit einem Sprung an.\nKönnen Sie mir eine neue schicken?");
    expect(mail.text).toContain("Rating they came with: 1 of 5 stars");
    await narrow.context().close();
    await wide.context().close();
  }, 90_000);

  it("says clearly what is wrong: an empty message, and a link that has expired", async () => {
    const link = contactPageUrl({ shopDomain: TEST_SHOP, notificationId, secret: TEST_SECRET, issuedAt: new Date() });
    const page = await openPage(NARROW);
    await page.goto(onStorefront(link));
    // The browser's own check is bypassed by sending only spaces, which the server refuses.
    await page.getByLabel("Ihre Nachricht").fill("   ");
    await page.getByRole("button", { name: "Nachricht senden" }).click();
    await page.locator("[role=alert]").waitFor();
    expect(await page.locator("[role=alert]").textContent()).toBe("Bitte schreiben Sie Ihre Nachricht.");
    await shot(page, "contact-error-narrow");

    const expired = contactPageUrl({ shopDomain: TEST_SHOP, notificationId, secret: TEST_SECRET, issuedAt: new Date(Date.now() - 200 * DAY_MS) });
    await page.goto(onStorefront(expired));
    expect(await page.locator("h1").textContent()).toBe("Dieser Link ist abgelaufen");
    await shot(page, "contact-expired-narrow");
    await page.context().close();
  }, 60_000);
});
