// The "Track your order" block in Chromium, against the real app server. A small storefront stand-in
// plays Shopify's part: it serves a theme page with the block's markup (its Liquid rendered as Shopify
// renders it) and the assets its schema loads, and forwards /apps/parcelwise/* to the app's /proxy/*
// with a signed query, as Shopify's app proxy does (tests/standins/storefront-standin.ts, which the demo runs too).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { artifactDir, chromiumAvailable, launchChromium } from "../support/chromium";
import { startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { renderTrackOrderBlock } from "~/tracking/storefront-page.server";
import { trackingPageUrl } from "~/tracking/link";
import { startStorefrontStandin, type StorefrontStandin } from "#tests/standins/storefront-standin";
import { DAY_MS } from "~/time";
import { refreshAtRisk } from "~/shipments/record.server";

const ago = (days: number) => new Date(Date.now() - days * DAY_MS);
const browserReady = chromiumAvailable();

let app: AppServer;
let storefront: StorefrontStandin | undefined;
let storefrontUrl: string;
let browser: Browser;

/** Shopify's part: a theme page with the block, extension assets on its CDN, and the signed app proxy. */
async function startStorefront(): Promise<void> {
  storefront = await startStorefrontStandin({
    appUrl: app.baseUrl,
    shop: TEST_SHOP,
    secret: TEST_SECRET,
    storeName: "Parcelwise Test Store",
    trackBlock: () => renderTrackOrderBlock({ locale: "en", blockId: "b1", settings: { accent_color: "#8a3b12" } }),
  });
  storefrontUrl = storefront.url;
}

async function seed(): Promise<void> {
  const order = (shopifyId: string, name: string, email: string) =>
    app.db.order.create({ data: { shop: TEST_SHOP, shopifyId, name, email, destinationCountry: "DE", paidAt: ago(10), shopifyUpdatedAt: ago(1) } });
  await order("7001", "#3001", "lena.koch@example.test");
  await order("7002", "#3002", "wait@example.test");
  const shipment = (shopifyId: string, extra: Record<string, unknown>) =>
    app.db.shipment.create({
      data: {
        shop: TEST_SHOP,
        shopifyId,
        orderShopifyId: "7001",
        status: "success",
        shipmentStatus: "in_transit",
        shopifyUpdatedAt: ago(1),
        ...extra,
      },
    });
  await shipment("9701", {
    carrierName: "DHL Express",
    trackingNumbers: JSON.stringify(["JD014600003001"]),
    trackingUrls: JSON.stringify(["https://www.dhl.com/de-en/home/tracking.html?tracking-id=JD014600003001"]),
    shippedAt: ago(3),
    estimatedDeliveryFrom: new Date(Date.now() + 2 * DAY_MS),
    estimatedDeliveryTo: new Date(Date.now() + 4 * DAY_MS),
    lastEventAt: ago(0.5),
  });
  await shipment("9702", {
    carrierName: "China Post EMS",
    trackingNumbers: JSON.stringify(["EE123456789CN"]),
    trackingUrls: JSON.stringify(["https://www.ems.com.cn/english?mailNum=EE123456789CN"]),
    shippedAt: ago(20),
    estimatedDeliveryFrom: ago(10),
    estimatedDeliveryTo: ago(7),
    lastEventAt: ago(2),
  });
  const event = (shopifyId: string, fulfillment: string, status: string, message: string, city: string, country: string, days: number) =>
    app.db.trackingEvent.create({
      data: { shop: TEST_SHOP, shopifyId, fulfillmentShopifyId: fulfillment, orderShopifyId: "7001", status, message, city, country, happenedAt: ago(days) },
    });
  await event("e1", "9701", "label_printed", "Shipment information received", "Shenzhen", "CN", 3);
  await event("e2", "9701", "in_transit", "Arrived at the sort facility", "Leipzig", "DE", 0.5);
  await event("e3", "9702", "in_transit", "Held at customs for inspection", "Frankfurt", "DE", 2);
  // Stored as a refresh would store it: the seed skips the record path.
  await refreshAtRisk(app.db, TEST_SHOP, new Date());
}

async function lookUp(page: Page, orderNumber: string, email: string): Promise<string> {
  await page.goto(`${storefrontUrl}/pages/track`);
  await page.getByLabel("Order number").fill(orderNumber);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Track order" }).click();
  const message = page.locator(".pw-track__message[role=status]");
  await page.waitForFunction(() => {
    const status = document.querySelector(".pw-track__message[role=status]") as HTMLElement;
    const result = document.querySelector(".pw-track__result") as HTMLElement;
    return !result.hidden || (!status.hidden && !/Looking up/.test(status.textContent ?? ""));
  });
  return (await message.isVisible()) ? ((await message.textContent()) ?? "") : "";
}

describe.skipIf(!browserReady)("storefront tracking block in Chromium", () => {
  beforeAll(async () => {
    app = await startAppServer({ worker: false });
    await seed();
    await startStorefront();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await storefront?.close();
    await app?.stop();
  });

  it("shows every shipment of the order for its number and email", async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 1400 } });
    expect(await lookUp(page, "#3001", " Lena.Koch@example.test")).toBe("");
    const result = page.locator(".pw-track__result");
    await expect.poll(() => result.locator(".pw-track__order-heading").textContent()).toBe("Order #3001");
    const cards = result.locator(".pw-track__shipment");
    expect(await cards.count()).toBe(2);
    // The parcel shipped first comes first: the late one, explained calmly.
    const late = cards.nth(0);
    expect(await late.locator(".pw-track__shipment-heading").textContent()).toBe("Shipment 1 of 2");
    expect(await late.textContent()).toContain("China Post EMS");
    expect(await late.locator(".pw-track__delay").textContent()).toContain("Your parcel is past its estimated delivery date.");
    const onTime = cards.nth(1);
    expect(await onTime.locator(".pw-track__status").textContent()).toBe("In transit");
    expect(await onTime.textContent()).toContain("JD014600003001");
    expect(await onTime.locator(".pw-track__carrier-link").getAttribute("href")).toBe("https://www.dhl.com/de-en/home/tracking.html?tracking-id=JD014600003001");
    expect(await onTime.locator(".pw-track__carrier-link").getAttribute("rel")).toBe("noopener noreferrer");
    expect(await onTime.textContent()).toContain("Estimated delivery");
    expect(await onTime.locator(".pw-track__event").allTextContents()).toEqual([
      expect.stringMatching(/^In transit · Arrived at the sort facility · Leipzig, DE · /),
      expect.stringMatching(/^Label created · Shipment information received · Shenzhen, CN · /),
    ]);
    // The block's color setting reaches the page.
    expect(await result.locator(".pw-track__status").first().evaluate((el) => getComputedStyle(el).borderTopColor)).toBe("rgb(138, 59, 18)");
    await page.screenshot({ path: join(artifactDir("storefront"), "found.png"), fullPage: true });
    await page.close();
  });

  it("answers a wrong email with the same neutral message as an order that does not exist", async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
    const wrongEmail = await lookUp(page, "3001", "someone@example.test");
    expect(await page.locator(".pw-track__result").isHidden()).toBe(true);
    await page.screenshot({ path: join(artifactDir("storefront"), "not-found.png"), fullPage: true });
    const noSuchOrder = await lookUp(page, "9999", "lena.koch@example.test");
    expect(wrongEmail).toBe("We couldn't find an order with these details. Please check the order number and email address.");
    expect(noSuchOrder).toBe(wrongEmail);
    await page.close();
  });

  it("asks for both fields before asking the app", async () => {
    const page = await browser.newPage();
    expect(await lookUp(page, "3001", "")).toBe("Enter your order number and email address.");
    await page.close();
  });

  it("shows the handling commitment for an order not yet shipped", async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
    await lookUp(page, "3002", "wait@example.test");
    const notice = page.locator(".pw-track__notice");
    expect(await notice.textContent()).toContain("We prepare your order within 48 hours and hand it to the carrier");
    expect(await notice.textContent()).toContain("it can take up to 3 days for tracking to appear online");
    await page.screenshot({ path: join(artifactDir("storefront"), "awaiting.png"), fullPage: true });
    await page.close();
  });

  it("opens the order from the signed link in the shipping confirmation, in the buyer's language", async () => {
    const link = new URL(trackingPageUrl({ shopDomain: TEST_SHOP, orderName: "#3001", orderShopifyId: "7001", secret: TEST_SECRET, issuedAt: new Date(), locale: "de" }));
    const page = await browser.newPage({ viewport: { width: 1024, height: 1400 }, locale: "de-DE" });
    await page.goto(`${storefrontUrl}${link.pathname}${link.search}`);
    const heading = page.locator(".pw-track__order-heading");
    await heading.waitFor();
    expect(await heading.textContent()).toBe("Bestellung #3001");
    expect(await page.getByLabel("Bestellnummer").inputValue()).toBe("3001");
    expect(await page.locator(".pw-track__shipment").nth(1).locator(".pw-track__status").textContent()).toBe("Unterwegs");
    expect(await page.locator(".pw-track__delay").textContent()).toContain("Es dauert etwas länger als erwartet");
    await page.screenshot({ path: join(artifactDir("storefront"), "signed-link-de.png"), fullPage: true });
    await page.close();
  });

  it("shows nothing for a link whose token was tampered with", async () => {
    const page = await browser.newPage();
    await page.goto(`${storefrontUrl}/apps/parcelwise/track?order=3001&t=AAAAAAAAAAAAAAAAAAAAAA`);
    const message = page.locator(".pw-track__message[role=status]");
    await expect.poll(() => message.textContent()).toBe("We couldn't find an order with these details. Please check the order number and email address.");
    expect(await page.locator(".pw-track__result").isHidden()).toBe(true);
    await page.close();
  });

  it("says an expired link has expired and leaves the form to the buyer", async () => {
    const issuedAt = new Date(Date.now() - 200 * 86_400_000);
    const link = new URL(trackingPageUrl({ shopDomain: TEST_SHOP, orderName: "#3001", orderShopifyId: "7001", secret: TEST_SECRET, issuedAt, locale: "de" }));
    const page = await browser.newPage();
    await page.goto(`${storefrontUrl}${link.pathname}${link.search}`);
    const message = page.locator(".pw-track__message[role=status]");
    await expect.poll(() => message.textContent()).toMatch(/^Dieser Sendungsverfolgungslink ist abgelaufen/);
    expect(await message.isVisible()).toBe(true);
    expect(await page.locator(".pw-track__result").isHidden()).toBe(true);
    expect(await page.locator("form input[name=email]").isVisible()).toBe(true);
    await page.close();
  });
});
