// The Review destination card in Chromium against the real built server: each review app is offered by
// name with what it documents, Shopify Product Reviews is shown as discontinued, a URL template that does
// not parse or does not give an http(s) link is refused next to the field, and a good one is saved.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startAppServer, TEST_SHOP, type AppServer } from "../support/app-server";
import { chromiumAvailable, launchChromium } from "../support/chromium";
import { adminTarget, newAdminPage, openAdmin, screenshots, waitForToast } from "../support/admin-browser";

const run = chromiumAvailable();
let app: AppServer;
let browser: Browser;
let page: Page;

const shopRow = () => app.db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP }, select: { reviewDestination: true, reviewUrlTemplate: true } });
const templateError = () => page.locator(".Polaris-Labelled__LabelWrapper", { hasText: "Review URL template" }).locator("xpath=..").locator(".Polaris-InlineError");

beforeAll(async () => {
  if (!run) return;
  [app, browser] = await Promise.all([startAppServer({ worker: false }), launchChromium()]);
  page = await newAdminPage(browser);
  await openAdmin(adminTarget(app), page, "/app/settings");
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe.runIf(run)("review destination", () => {
  it("offers the review apps by name with what each documents, and says Shopify Product Reviews is discontinued", async () => {
    const select = page.getByLabel("Where buyers leave their review");
    const options = await select.locator("option").allTextContents();
    expect(options).toEqual(["The products they bought (default)", "Judge.me", "Yotpo", "Okendo", "Stamped", "Your own URL template"]);
    await page.getByText("Shopify Product Reviews is discontinued").waitFor();
    await select.selectOption("judgeme");
    await page.getByText(/Judge\.me documents its review form on the product page/).waitFor();
    await page.getByRole("button", { name: "Save review destination" }).click();
    await waitForToast(page, "Review destination saved");
    expect(await shopRow()).toEqual({ reviewDestination: "judgeme", reviewUrlTemplate: null });
  });

  it("refuses a template with a Liquid error or a result that is not a web link, next to the field, and saves a good one", async () => {
    await page.getByLabel("Where buyers leave their review").selectOption("custom");
    const field = page.getByLabel("Review URL template");
    await field.fill("https://example.com/review?order={{ order.name ");
    await page.getByRole("button", { name: "Save review destination" }).click();
    await templateError().filter({ hasText: "Liquid error" }).waitFor();
    await field.fill("mailto:reviews@kumo.example?subject={{ rating }}");
    await page.getByRole("button", { name: "Save review destination" }).click();
    await templateError().filter({ hasText: "not an http:// or https:// link" }).waitFor();
    await screenshots(page, "settings-review-destination-error");
    expect((await shopRow()).reviewDestination).toBe("judgeme");

    const template = "https://example.com/review?order={{ order.name }}&product={{ product.handle }}&rating={{ rating }}";
    await field.fill(template);
    await page.getByRole("button", { name: "Save review destination" }).click();
    await waitForToast(page, "Review destination saved");
    expect(await shopRow()).toEqual({ reviewDestination: "custom", reviewUrlTemplate: template });
    await screenshots(page, "settings-review-destination");
  });
});
