// Activity in Chromium against the real built server, through the admin frame stand-in: the log, its
// filters (with the server's date check), one message as sent, and the CSV export.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { startAppServer, TEST_SHOP, type AppServer } from "../support/app-server";
import { chromiumAvailable, launchChromium } from "../support/chromium";
import { adminTarget, openAdmin, screenshots, waitForToast, WIDE } from "../support/admin-browser";
import { seedAtRiskShipment, seedManyShipments } from "#tests/support/shipments-seed";

const run = chromiumAvailable();
let app: AppServer;
let browser: Browser;
let page: Page;
let late: Awaited<ReturnType<typeof seedAtRiskShipment>>;

beforeAll(async () => {
  if (!run) return;
  [app, browser] = await Promise.all([startAppServer({ worker: false }), launchChromium()]);
  // 60 shipping confirmations (one in fifty failed), and one late parcel's.
  await seedManyShipments(app.db, TEST_SHOP, 60, { days: 5 });
  late = await seedAtRiskShipment(app.db, TEST_SHOP, { n: 4, email: "late-buyer@example.test" });
  page = await browser.newPage({ viewport: WIDE, acceptDownloads: true });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe.runIf(run)("activity in the admin", () => {
  it("lists messages a page at a time and filters them", async () => {
    await openAdmin(adminTarget(app), page, "/app/activity");
    await page.getByText("61 messages", { exact: true }).waitFor();
    await expect(page.locator("tbody tr").count()).resolves.toBe(50);
    await screenshots(page, "activity");

    await page.getByRole("button", { name: "Status" }).click();
    // A filter checkbox follows the URL: it turns checked once the filter navigation has started, so
    // click and wait for the URL rather than check() (which wants the state changed at once).
    const failed = page.getByRole("checkbox", { name: "Failed" });
    await failed.click();
    await page.waitForURL(/status=failed/);
    await expect.poll(() => failed.isChecked()).toBe(true);
    await page.getByText("2 messages", { exact: true }).waitFor();
    await expect(page.getByText("550 5.1.1 mailbox does not exist").count()).resolves.toBe(2);
    await page.keyboard.press("Escape");
  });

  it("says next to the field what is wrong with a date range", async () => {
    await page.getByLabel("From").fill("2026-05-10");
    await page.getByLabel("To").fill("2026-05-01");
    await page.getByRole("button", { name: "Apply dates" }).click();
    await page.getByText("The end date is before the start date").waitFor();
    // Polaris ties the message to its field.
    await expect(page.getByLabel("To").getAttribute("aria-invalid")).resolves.toBe("true");
    await screenshots(page, "activity-date-error");
  });

  it("exports the filtered log as CSV", async () => {
    await openAdmin(adminTarget(app), page, "/app/activity?status=failed");
    await page.getByText("2 messages", { exact: true }).waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^parcelwise-activity-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, "utf8");
    const lines = csv.replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).every((line) => line.includes(",failed,"))).toBe(true);
    await waitForToast(page, "Activity exported");
  });

  it("shows one message with the mail as it was sent", async () => {
    await openAdmin(adminTarget(app), page, "/app/activity?query=%235004");
    await page.getByRole("link", { name: "Shipping confirmation" }).click();
    await page.waitForURL(new RegExp(`/app/activity/${late.confirmationId}`));
    await page.getByText("The mail as sent").first().waitFor();
    await expect(page.getByText("seeded-4").isVisible()).resolves.toBe(true);
    const frame = page.frameLocator('iframe[title="The mail as sent"]');
    await expect(frame.locator("strong").textContent()).resolves.toBe("#5004");
    await screenshots(page, "activity-message");
  });
});
