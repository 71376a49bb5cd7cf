// The Carriers page in Chromium against the real built server: a few hundred parcels over lanes with
// known spreads, their figures side by side, the recommendation, the charts, the CSV, and the home
// page's pointer at the least punctual lane; while an import runs, the card polls its progress alone.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page, Request } from "playwright-core";
import { startAppServer, TEST_SHOP, type AppServer } from "../support/app-server";
import { chromiumAvailable, launchChromium } from "../support/chromium";
import { adminTarget, NARROW, openAdmin, screenshots, WIDE } from "../support/admin-browser";
import { seedCarrierHistory } from "#tests/support/carriers-seed";
import { BRAZIL_ADVICE, BRAZIL_EVIDENCE, KNOWN_LANES } from "#tests/support/carriers-lanes";

const DAY = 86_400_000;
const run = chromiumAvailable();
let app: AppServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!run) return;
  [app, browser] = await Promise.all([startAppServer({ worker: false }), launchChromium()]);
  await seedCarrierHistory(app.db, TEST_SHOP, KNOWN_LANES);
  page = await browser.newPage({ viewport: WIDE });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** The lane table's row of one figure, carriers in column order. */
async function figureRow(label: string): Promise<string[]> {
  const row = page.locator("[data-lane-table] tbody tr").filter({ has: page.locator("th, td").first().getByText(label, { exact: true }) });
  return (await row.locator("td").allInnerTexts()).map((text) => text.trim());
}

describe.runIf(run)("the Carriers page", () => {
  it("shows the busiest destination's carriers side by side, with the recommendation and its evidence", async () => {
    await openAdmin(adminTarget(app), page, "/app/carriers");
    await page.getByRole("heading", { name: "Carriers to Brazil" }).waitFor();
    const headings = (await page.locator("[data-lane-table] thead th").allInnerTexts()).map((text) => text.trim());
    expect(headings.slice(1)).toEqual(["Correios", "DHL Express"]);
    expect(await figureRow("Parcels")).toEqual(["110", "40"]);
    expect(await figureRow("Median business days")).toEqual(["14", "4"]);
    expect(await figureRow("9 in 10 within (business days)")).toEqual(["18", "6"]);
    expect(await figureRow("On time (by the promised date)")).toEqual(["60% of 100", "100% of 40"]);
    expect(await figureRow("Carrier exception or customs hold")).toEqual(["10%", "0%"]);
    expect(await figureRow("Needed a delay notice")).toEqual(["5%", "0%"]);
    expect(await figureRow("Not delivered after 45 days")).toEqual(["0%", "0%"]);
    expect(await figureRow("Online for tracking (days)")).toEqual(["1", "1"]);
    await expect(page.locator("[data-recommendation]").innerText()).resolves.toBe(BRAZIL_EVIDENCE);
    await expect(page.getByText(BRAZIL_ADVICE).isVisible()).resolves.toBe(true);
    await expect(page.getByText("Carriers are compared once each has 20 delivered parcels here.").isVisible()).resolves.toBe(true);
  });

  it("draws the transit distribution and the weekly median, each beside its table", async () => {
    const transit = page.locator('figure[data-chart="Transit time to Brazil"] svg').first();
    await transit.waitFor();
    await page.locator('figure[data-chart="Weekly median to Brazil"] svg').first().waitFor();
    // The table beside the chart: 10 Correios parcels at 10 days, none from DHL Express.
    const rows = (await page.locator("[data-transit-table] tbody tr").allInnerTexts()).map((row) => row.trim().split(/\s+/));
    expect(rows).toContainEqual(["10", "10", "0"]);
    expect(rows).toContainEqual(["3", "0", "10"]);
    await expect(page.getByRole("columnheader", { name: "Shipped in the week of" }).isVisible()).resolves.toBe(true);
    await screenshots(page, "carriers");
  });

  it("switches destination and region from the pickers, saying when evidence is short", async () => {
    await page.getByLabel("Destination").selectOption("DE");
    await page.waitForURL(/destination=DE/);
    await page.getByRole("heading", { name: "Carriers to Germany" }).waitFor();
    expect(await figureRow("Median business days")).toEqual(["3", "7"]);
    await expect(page.getByText(/^Not enough evidence for a recommendation yet\./).isVisible()).resolves.toBe(true);

    await page.getByLabel("Destination").selectOption("US");
    await page.getByLabel("Region").selectOption("CA");
    await page.waitForURL(/region=CA/);
    await page.getByRole("heading", { name: "Carriers to United States, CA" }).waitFor();
    expect(await figureRow("Parcels")).toEqual(["45"]);
    await screenshots(page, "carriers-region");
  });

  it("exports the lane table as CSV", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^parcelwise-carriers-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "destination_country,destination_region,carrier,origin_country,parcels,delivered,in_transit,median_business_days,p90_business_days,on_time_rate,promised_parcels,exception_or_customs_share,delay_notice_share,undelivered_after_45_days_share,online_for_tracking_days",
    );
    expect(lines).toContain("BR,,Correios,CN,110,100,10,14,18,0.6000,100,0.1000,0.0545,0.0000,1");
    expect(lines).toContain("US,CA,USPS,CN,45,45,0,5,5,1.0000,45,0.0000,0.0000,0.0000,1");
    expect(lines).toHaveLength(1 + 5 + 1);
  });

  it("is pointed at from the home page's least punctual lane", async () => {
    await openAdmin(adminTarget(app), page, "/app");
    const card = page.locator("[data-least-on-time]");
    await expect(card.innerText()).resolves.toBe("Correios to Brazil: 60% of 100 parcels arrived by the date promised.");
    await screenshots(page, "home-least-on-time");
    await page.getByRole("link", { name: "Compare carriers to Brazil" }).click();
    await page.waitForURL(/\/app\/carriers\?destination=BR/);
    await page.getByRole("heading", { name: "Carriers to Brazil" }).waitFor();
  });

  it("works in the narrow layout", async () => {
    await page.setViewportSize(NARROW);
    await openAdmin(adminTarget(app), page, "/app/carriers?destination=BR");
    await page.locator('figure[data-chart="Transit time to Brazil"] svg').first().waitFor();
    expect(await figureRow("Median business days")).toEqual(["14", "4"]);
    await page.setViewportSize(WIDE);
  });

  it("polls only the import's progress while it runs, and reloads the lane table once when it completes", async () => {
    const running = await app.db.historyImport.create({
      data: { shop: TEST_SHOP, status: "running", since: new Date(Date.now() - 60 * DAY), bulkOperationId: "gid://shopify/BulkOperation/77", bulkStatus: "COMPLETED", objectCount: 1000, objectsRecorded: 100, ordersImported: 12 },
    });
    const requests: URL[] = [];
    const onRequest = (request: Request) => void requests.push(new URL(request.url()));
    page.on("request", onRequest);
    try {
      await openAdmin(adminTarget(app), page, "/app/carriers?destination=BR");
      const count = page.locator("#history-import-count");
      await expect(count.innerText()).resolves.toBe("12 orders imported");
      const pageData = () => requests.filter((url) => url.searchParams.get("_data") === "routes/app.carriers").length;
      const progressPolls = () => requests.filter((url) => url.pathname === "/app/carriers/import").length;
      const loadedWith = pageData();

      await app.db.historyImport.update({ where: { id: running.id }, data: { ordersImported: 3412, objectsRecorded: 500 } });
      await page.getByText("3,412 orders imported", { exact: true }).waitFor({ timeout: 30_000 });
      expect(progressPolls()).toBeGreaterThanOrEqual(1);
      expect(pageData()).toBe(loadedWith);

      // The import records a lane the page has not shown yet, then completes.
      await seedCarrierHistory(app.db, TEST_SHOP, [{ carrierCode: "dhl_express", carrierName: "DHL Express", destination: "NL", transits: [2, 3, 4] }], { prefix: "imported" });
      await app.db.historyImport.update({ where: { id: running.id }, data: { status: "completed", finishedAt: new Date(), ordersImported: 3415, shipmentsImported: 3, objectsRecorded: 1000 } });
      await page.getByText("Done: 3 shipments and 0 carrier events.", { exact: true }).waitFor({ timeout: 30_000 });
      await page.getByLabel("Destination").locator('option[value="NL"]').waitFor({ state: "attached", timeout: 30_000 });
      expect(pageData()).toBe(loadedWith + 1);
      // Done: no more polling, no further reloads.
      const polls = progressPolls();
      await page.waitForTimeout(5000);
      expect([progressPolls(), pageData()]).toEqual([polls, loadedWith + 1]);
      await expect(count.innerText()).resolves.toBe("3,415 orders imported");
    } finally {
      page.off("request", onRequest);
    }
  });
});
