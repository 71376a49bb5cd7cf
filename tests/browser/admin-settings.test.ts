// Timing & settings in Chromium against the real built server: the plain-language explanation follows
// the fields, the server says what is wrong next to a field, saving re-plans the shop's waiting messages
// (a scheduled feedback request moves; delay notices switched off are cancelled), the SendGrid key goes
// in but never comes back out, and the shop's own event webhook key is checked and saved.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { eventually, startAppServer, TEST_SHOP, type AppServer } from "../support/app-server";
import { chromiumAvailable, launchChromium } from "../support/chromium";
import { adminTarget, newAdminPage, openAdmin, screenshots, waitForToast } from "../support/admin-browser";
import { replanShop } from "~/notifications/replan.server";
import { createEventSigner } from "#tests/standins/event-signer";

const DAY = 86_400_000;
const run = chromiumAvailable();
let app: AppServer;
let browser: Browser;
let page: Page;

/** A German buyer's order delivered yesterday at 12:00 UTC (13:00 in Berlin): its feedback request waits. */
async function seedDeliveredOrder(now: Date) {
  const delivered = new Date(Math.floor(now.getTime() / DAY) * DAY - DAY + 12 * 3_600_000);
  await app.db.order.create({
    data: {
      shop: TEST_SHOP, shopifyId: "4401", name: "#4401", email: "anna@example.test", buyerName: "Anna Müller", locale: "de",
      destinationCountry: "DE", financialStatus: "paid", paidAt: new Date(delivered.getTime() - 9 * DAY), shopifyUpdatedAt: delivered,
    },
  });
  await app.db.shipment.create({
    data: {
      shop: TEST_SHOP, shopifyId: "5501", orderShopifyId: "4401", status: "success", shipmentStatus: "delivered", carrierCode: "dhl_express",
      carrierName: "DHL Express", trackingNumbers: JSON.stringify(["4829163750"]), destinationCountry: "DE",
      shippedAt: new Date(delivered.getTime() - 5 * DAY), deliveredAt: delivered, lastEventAt: delivered, shopifyUpdatedAt: delivered,
    },
  });
  await replanShop(app.db, TEST_SHOP, now);
}

/** An order in transit since yesterday: its delay notice waits for the carrier's silence. */
async function seedOrderInTransit(now: Date) {
  const shipped = new Date(now.getTime() - DAY);
  await app.db.order.create({
    data: {
      shop: TEST_SHOP, shopifyId: "4402", name: "#4402", email: "ben@example.test", buyerName: "Ben Weber", locale: "de",
      destinationCountry: "DE", financialStatus: "paid", paidAt: new Date(shipped.getTime() - DAY), shopifyUpdatedAt: shipped,
    },
  });
  await app.db.shipment.create({
    data: {
      shop: TEST_SHOP, shopifyId: "5502", orderShopifyId: "4402", status: "success", shipmentStatus: "in_transit", carrierCode: "dhl_express",
      carrierName: "DHL Express", trackingNumbers: JSON.stringify(["4829163751"]), destinationCountry: "DE",
      shippedAt: shipped, lastEventAt: shipped, shopifyUpdatedAt: shipped,
    },
  });
  await replanShop(app.db, TEST_SHOP, now);
}

const delayNotice = () => app.db.notification.findFirstOrThrow({ where: { shop: TEST_SHOP, kind: "delay_notice", orderShopifyId: "4402" } });
const feedbackRequest = () => app.db.notification.findFirstOrThrow({ where: { shop: TEST_SHOP, kind: "feedback_request", orderShopifyId: "4401" } });
const explanation = (kind: string) => page.locator(`[data-timing-explanation="${kind}"]`).textContent();
const fieldError = (label: string) =>
  page.locator(".Polaris-Labelled__LabelWrapper", { hasText: label }).locator("xpath=..").locator(".Polaris-InlineError");

beforeAll(async () => {
  if (!run) return;
  [app, browser] = await Promise.all([startAppServer({ worker: false }), launchChromium()]);
  page = await newAdminPage(browser);
  await seedDeliveredOrder(new Date());
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe.runIf(run)("timing & settings", () => {
  it("explains each rule in plain language, following the fields as they change", async () => {
    await openAdmin(adminTarget(app), page, "/app/settings");
    await expect(explanation("feedback_request")).resolves.toContain("7 days after the carrier reports delivery, between 09:00 and 20:00 in the buyer's time");
    await expect(page.getByText("Default: 7 days").first().isVisible()).resolves.toBe(true);
    await screenshots(page, "settings");
    await page.getByLabel("Days after delivery", { exact: true }).fill("14");
    await expect(explanation("feedback_request")).resolves.toContain("14 days after the carrier reports delivery");
  });

  it("moves a scheduled feedback request when the delay changes", async () => {
    const before = await feedbackRequest();
    expect(before.status).toBe("scheduled");
    await page.getByRole("button", { name: "Save timing" }).click();
    await waitForToast(page, "Timing saved; 1 order re-planned");
    const after = await feedbackRequest();
    expect(after.scheduledFor.getTime() - before.scheduledFor.getTime()).toBe(7 * DAY);
    const shop = await app.db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    expect(shop.feedbackDelayDays).toBe(14);
    expect(shop).toMatchObject({ feedbackEnabled: true, handlingEnabled: true, shippingEnabled: true });
    expect(shop.timingReviewedAt).not.toBeNull();
  });

  it("cancels the waiting feedback request when the request is switched off, and plans it again when on", async () => {
    await page.getByLabel("Ask for a review after delivery").uncheck();
    await expect(explanation("feedback_request")).resolves.toBe("Not sent: buyers are not asked for a review.");
    await page.getByRole("button", { name: "Save timing" }).click();
    await waitForToast(page, "Timing saved");
    await expect(feedbackRequest()).resolves.toMatchObject({ status: "cancelled" });
    await page.getByLabel("Ask for a review after delivery").check();
    await page.getByRole("button", { name: "Save timing" }).click();
    await eventually(async () => (await feedbackRequest()).status === "scheduled");
  });

  it("cancels the waiting delay notice when delay notices are switched off", async () => {
    await seedOrderInTransit(new Date());
    await expect(delayNotice()).resolves.toMatchObject({ status: "scheduled" });
    await page.getByLabel("Tell the buyer when a parcel is late").uncheck();
    await expect(explanation("delay_notice")).resolves.toMatch(/^Not sent: .*still shows as at risk/);
    await page.getByRole("button", { name: "Save timing" }).click();
    await eventually(async () => (await delayNotice()).status === "cancelled");
    expect((await app.db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).delayEnabled).toBe(false);
    await page.getByLabel("Tell the buyer when a parcel is late").check();
    await page.getByRole("button", { name: "Save timing" }).click();
    await eventually(async () => (await delayNotice()).status === "scheduled");
  });

  it("sets the estimate coverage and the at-risk rule, and pins the handling time beside what was learned", async () => {
    await openAdmin(adminTarget(app), page, "/app/settings");
    await expect(page.locator('[data-learned="handling"]').textContent()).resolves.toBe("Not enough orders yet: using 48h.");
    await expect(page.locator('[data-learned="online"]').textContent()).resolves.toBe("Not enough parcels yet: using 3 days.");
    await page.getByLabel("Parcels inside the window").fill("80");
    await expect(explanation("shipping_confirmation")).resolves.toContain("8 in 10 parcels of its lane arrive inside it");
    await expect(page.getByText("8 in 10 parcels of a lane arrive inside the window we print.").isVisible()).resolves.toBe(true);
    await expect(explanation("delay_notice")).resolves.toMatch(/^When a parcel is past its lane's slow tail/);
    await page.getByText("Fixed: the grace and silence days below").click();
    await expect(explanation("delay_notice")).resolves.toMatch(/^When a parcel is 3 days past the end of its estimated delivery window/);
    await page.getByLabel("Pin this handling time").check();
    await expect(page.locator('[data-learned="handling"]').textContent()).resolves.toBe("Pinned: buyers are told 48h.");
    await screenshots(page, "settings-timing-rules");
    await page.getByRole("button", { name: "Save timing" }).click();
    await waitForToast(page, "Timing saved");
    await eventually(async () => (await app.db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).atRiskRule === "fixed");
    expect(await app.db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).toMatchObject({ estimateCoverage: 0.8, atRiskRule: "fixed", handlingHoursPinned: true, onlineTrackingDaysPinned: false });

    await page.getByLabel("Parcels inside the window").fill("100");
    await page.getByRole("button", { name: "Save timing" }).click();
    await fieldError("Parcels inside the window").filter({ hasText: "must be between 50 and 99 percent" }).waitFor();
    expect((await app.db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).estimateCoverage).toBe(0.8);

    await openAdmin(adminTarget(app), page, "/app/settings");
    await expect(page.getByLabel("Parcels inside the window").inputValue()).resolves.toBe("80");
    await expect(page.getByRole("radio", { name: "Fixed: the grace and silence days below" }).isChecked()).resolves.toBe(true);
    await expect(page.getByLabel("Pin this handling time").isChecked()).resolves.toBe(true);
  });

  it("checks on the server and says what is wrong next to the field", async () => {
    await page.getByLabel("Days after delivery", { exact: true }).fill("-3");
    await page.getByRole("button", { name: "Save timing" }).click();
    await fieldError("Days after delivery").filter({ hasText: "Days after delivery must be between 0 and 60 days" }).waitFor();
    expect((await app.db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).feedbackDelayDays).toBe(14);

    await page.getByLabel("Sender address").fill("not an address");
    await page.getByLabel("Review link").fill("http://insecure.example/reviews");
    await page.getByRole("button", { name: "Save sender" }).click();
    await fieldError("Sender address").filter({ hasText: "Sender address must be an email address" }).waitFor();
    await fieldError("Review link").filter({ hasText: "must start with https://" }).waitFor();
    await screenshots(page, "settings-errors");

    await page.getByLabel("Sender name").fill("Kumo Ceramics");
    await page.getByLabel("Sender address").fill("Hello@Kumo.example");
    await page.getByLabel("Review link").fill("https://kumo.example/reviews");
    await page.getByRole("button", { name: "Save sender" }).click();
    await waitForToast(page, "Sender saved");
    expect(await app.db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).toMatchObject({ senderName: "Kumo Ceramics", senderEmail: "hello@kumo.example", reviewUrl: "https://kumo.example/reviews", senderVerifiedAt: null });
  });

  it("overrides a carrier's transit days per region", async () => {
    await page.getByLabel("Carrier", { exact: true }).selectOption("ups");
    await page.getByLabel("Fewest days").nth(2).fill("9");
    await page.getByLabel("Most days").nth(2).fill("4");
    await page.getByRole("button", { name: "Save transit days" }).click();
    await page.locator(".Polaris-InlineError", { hasText: "The most days cannot be fewer than the fewest days" }).waitFor();
    await page.getByLabel("Most days").nth(2).fill("12");
    await page.getByRole("button", { name: "Save transit days" }).click();
    await waitForToast(page, "Transit days saved");
    const shop = await app.db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    expect(JSON.parse(shop.carrierTransitOverrides)).toEqual({ ups: { europe: [9, 12] } });
  });

  it("stores the shop's SendGrid key encrypted and never shows it again", async () => {
    const key = "SG.browserTestKey01.ThisMustNeverReachTheBrowser";
    const field = page.getByLabel("Your SendGrid API key");
    await field.fill(key);
    await page.getByRole("button", { name: "Save key" }).click();
    await waitForToast(page, "SendGrid API key saved");
    await expect(page.getByLabel("Replace your SendGrid API key").inputValue()).resolves.toBe("");
    const stored = (await app.db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).sendgridApiKeyEncrypted!;
    expect(stored).toMatch(/^v2\./);
    expect(stored).not.toContain(key);

    await openAdmin(adminTarget(app), page, "/app/settings");
    expect(await page.content()).not.toContain(key);
    expect(await page.content()).not.toContain(stored);
    await page.getByText("Messages are sent with your own SendGrid API key.").waitFor();

    // The shop's key is the one used now: the local SendGrid stand-in only knows the app's key.
    await page.getByRole("button", { name: "Send a test message" }).click();
    await waitForToast(page, "SendGrid did not accept the API key");

    await page.getByRole("button", { name: "Remove my key and use Parcelwise's" }).click();
    await waitForToast(page, "Your SendGrid API key was removed");
    expect((await app.db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).sendgridApiKeyEncrypted).toBeNull();
  });

  it("shows the shop's event webhook address and saves a verification key that parses", async () => {
    await expect(page.locator("[data-event-webhook-url]").textContent()).resolves.toBe(`${app.baseUrl}/webhooks/sendgrid/${TEST_SHOP}`);
    const field = page.getByLabel("Event Webhook verification key");
    await field.fill("SG.browserTestKey01.NotAVerificationKey");
    await page.getByRole("button", { name: "Save verification key" }).click();
    await fieldError("Event Webhook verification key").filter({ hasText: "This is not a verification key" }).waitFor();
    const { publicKey } = createEventSigner();
    await field.fill(publicKey);
    await page.getByRole("button", { name: "Save verification key" }).click();
    await waitForToast(page, "Event webhook key saved");
    expect((await app.db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).sendgridWebhookPublicKey).toBe(publicKey);
    await openAdmin(adminTarget(app), page, "/app/settings");
    await expect(page.getByLabel("Event Webhook verification key").inputValue()).resolves.toBe(publicKey);
  });
});
