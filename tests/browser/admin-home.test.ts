// The admin home in Chromium against the real built server, through the admin frame stand-in: the last
// 30 days' figures, the blocked-sending banner and the first-run checklist, in narrow and wide layouts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startAppServer, TEST_API_KEY, TEST_SHOP, type AppServer } from "../support/app-server";
import { encryptSecret } from "~/shops/secrets.server";
import { testSecretKeys } from "../support/encryption-key";
import { chromiumAvailable, launchChromium } from "../support/chromium";
import { adminTarget, newAdminPage, openAdmin, screenshots, waitForToast } from "../support/admin-browser";
import { seedAtRiskShipment } from "#tests/support/shipments-seed";
import type { NotificationStatus } from "~/notifications/status";

const DAY = 86_400_000;
const run = chromiumAvailable();
let app: AppServer;
let browser: Browser;
let page: Page;

async function seedMessages(now: Date) {
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const rows: Array<[NotificationStatus, Date | null]> = [
    ["sent", ago(1)],
    ["delivered", ago(2)],
    ["delivered", ago(3)],
    ["bounced", ago(4)],
    ["failed", null],
    ["delivered", ago(45)], // outside the 30 days
    ["scheduled", null],
  ];
  let n = 0;
  for (const [status, sentAt] of rows) {
    n++;
    await app.db.notification.create({
      data: { shop: TEST_SHOP, kind: "shipping_confirmation", planKey: `home-${n}`, orderShopifyId: `70${n}`, locale: "en", recipient: `b${n}@example.test`, scheduledFor: sentAt ?? now, status, sentAt },
    });
  }
  // Another shop's messages never count here.
  await app.db.notification.create({
    data: { shop: "someone-else.myshopify.com", kind: "shipping_confirmation", planKey: "x", orderShopifyId: "1", locale: "en", recipient: "x@example.test", scheduledFor: now, status: "sent", sentAt: now },
  });
}

const figure = (id: string) => page.locator(`[data-figure="${id}"]`).textContent();

beforeAll(async () => {
  if (!run) return;
  [app, browser] = await Promise.all([startAppServer({ worker: false }), launchChromium()]);
  page = await newAdminPage(browser);
  const now = new Date();
  await seedMessages(now);
  await seedAtRiskShipment(app.db, TEST_SHOP, { n: 1, now });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe.runIf(run)("admin home", () => {
  it("shows the last 30 days' messages and the shipments at risk, for this shop only", async () => {
    await openAdmin(adminTarget(app), page, "/app");
    await expect(figure("messages.sent")).resolves.toBe("5");
    await expect(figure("messages.delivered")).resolves.toBe("2");
    await expect(figure("messages.bounced")).resolves.toBe("1");
    await expect(figure("messages.failed")).resolves.toBe("1");
    await expect(figure("shipments.inTransit")).resolves.toBe("1");
    await expect(figure("shipments.atRisk")).resolves.toBe("1");
    await expect(page.getByText("1 message is scheduled.").isVisible()).resolves.toBe(true);
    await screenshots(page, "home");
  });

  it("says clearly when sending is blocked, and the checklist leads to the fix", async () => {
    // The shop sends through its own SendGrid account, whose sender SendGrid has not accepted yet.
    await app.db.shop.update({
      where: { domain: TEST_SHOP },
      data: { senderEmail: "hello@parcelwise-test.example", senderVerifiedAt: null, sendgridApiKeyEncrypted: encryptSecret(TEST_API_KEY, testSecretKeys()) },
    });
    await openAdmin(adminTarget(app), page, "/app");
    const banner = page.locator(".Polaris-Banner", { hasText: "Sending is blocked" });
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toContain("Sender address not verified");
    await expect(page.getByText("0 of 3 done").isVisible()).resolves.toBe(true);
    await screenshots(page, "home-blocked");

    // The fix: a test message SendGrid accepts verifies the sender.
    await banner.getByRole("link", { name: "Fix this" }).click();
    await page.getByRole("heading", { name: "Timing & settings" }).waitFor();
    await page.getByRole("button", { name: "Send a test message" }).click();
    await waitForToast(page, "Test message sent to owner@parcelwise-test.example");
    const mail = app.capture.mails.at(-1)!;
    expect(mail).toMatchObject({ to: ["owner@parcelwise-test.example"], from: "hello@parcelwise-test.example" });
    expect(mail.subject).toMatch(/^\[Test\] /);

    await page.locator("ui-nav-menu").getByRole("link", { name: "Home" }).click();
    await page.getByText("1 of 3 done").waitFor();
    await expect(page.locator(".Polaris-Banner", { hasText: "Sending is blocked" }).count()).resolves.toBe(0);
  });

  it("reports a missing SendGrid key and withheld buyer emails", async () => {
    const server = await startAppServer({ worker: false, env: { SENDGRID_API_KEY: "" } });
    try {
      await server.db.order.create({
        data: { shop: TEST_SHOP, shopifyId: "9001", name: "#9001", email: null, shopifyUpdatedAt: new Date() },
      });
      const other = await newAdminPage(browser);
      await openAdmin(adminTarget(server), other, "/app");
      const banner = other.locator(".Polaris-Banner", { hasText: "Sending is blocked" });
      await banner.waitFor();
      await expect(banner.textContent()).resolves.toMatch(/No SendGrid API key.*Shopify is not sharing buyers' email addresses/s);
      await other.context().close();
    } finally {
      await server.stop();
    }
  });
});
