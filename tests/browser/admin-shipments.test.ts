// Shipments in Chromium against the real built server, through the admin frame stand-in: find the late
// parcel under "At risk", open it, resend its shipping confirmation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startAppServer, TEST_SHOP, type AppServer } from "../support/app-server";
import { chromiumAvailable, launchChromium } from "../support/chromium";
import { adminTarget, NARROW, openAdmin, screenshots, waitForToast, WIDE } from "../support/admin-browser";
import { seedAtRiskShipment, seedManyShipments } from "#tests/support/shipments-seed";

const run = chromiumAvailable();
let app: AppServer;
let browser: Browser;
let page: Page;
let late: Awaited<ReturnType<typeof seedAtRiskShipment>>;

beforeAll(async () => {
  if (!run) return;
  // Worker off: the resent message stays scheduled for the test to see.
  [app, browser] = await Promise.all([startAppServer({ worker: false }), launchChromium()]);
  // 120 parcels of the last two days, all on their way, then the late one.
  await seedManyShipments(app.db, TEST_SHOP, 120, { days: 2 });
  late = await seedAtRiskShipment(app.db, TEST_SHOP, { n: 3, email: "late-buyer@example.test" });
  page = await browser.newPage({ viewport: WIDE });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe.runIf(run)("shipments in the admin", () => {
  it("lists shipments a page at a time", async () => {
    await openAdmin(adminTarget(app), page, "/app/shipments");
    await page.getByText("121 shipments", { exact: true }).waitFor();
    await expect(page.locator("tbody tr").count()).resolves.toBe(50);
    await screenshots(page, "shipments");
  });

  it("finds the at-risk shipment and resends its shipping confirmation", async () => {
    await page.getByRole("tab", { name: /At risk/ }).click();
    await page.waitForURL(/atRisk=1/);
    await page.getByText("1 shipment", { exact: true }).waitFor();
    const row = page.getByRole("link", { name: "#5003.1" });
    await expect(row.isVisible()).resolves.toBe(true);
    await expect(page.getByText("At risk: overdue").isVisible()).resolves.toBe(true);
    await screenshots(page, "shipments-at-risk");

    await row.click();
    await page.waitForURL(new RegExp(`/app/shipments/${late.shipmentId}`));
    await page.getByRole("heading", { name: "Carrier events" }).waitFor();
    await expect(page.getByText("Arrived at customs · Leipzig, DE").isVisible()).resolves.toBe(true);
    await expect(page.getByRole("link", { name: /JD0146000/ }).getAttribute("href")).resolves.toMatch(/^https:\/\/www\.dhl\.com\//);
    await screenshots(page, "shipment");

    await page.getByRole("button", { name: "Resend: Shipping confirmation" }).click();
    await waitForToast(page, "Message will be sent again");
    // The page reloads its data: the copy is listed, scheduled, beside the original.
    await page.getByText("Resent copy").waitFor();
    await expect(page.getByText("Scheduled", { exact: true }).isVisible()).resolves.toBe(true);
    const copies = await app.db.notification.findMany({ where: { shop: TEST_SHOP, planKey: { startsWith: `resend:${late.confirmationId}:` } } });
    expect(copies.map((copy) => [copy.status, copy.kind, copy.recipient])).toEqual([["scheduled", "shipping_confirmation", "late-buyer@example.test"]]);
    await screenshots(page, "shipment-resent");
  });

  it("works in the narrow layout", async () => {
    await page.setViewportSize(NARROW);
    await openAdmin(adminTarget(app), page, "/app/shipments?atRisk=1");
    // Condensed: one stacked row per shipment, no table.
    await page.getByRole("link", { name: "#5003.1" }).waitFor();
    await expect(page.locator("table").count()).resolves.toBe(0);
    await page.setViewportSize(WIDE);
  });
});
