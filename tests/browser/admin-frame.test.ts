// The demo's way in: the admin frame stand-in server (what `npm run demo` prints as the admin URL) opens
// the embedded admin in a plain browser. The app loads App Bridge's replacement from APP_BRIDGE_URL, every
// request carries a session token the stand-in signed, and a reload comes back through the bounce page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freePort, startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { chromiumAvailable, launchChromium } from "../support/chromium";
import { newAdminPage, TEST_APP_API_KEY } from "../support/admin-browser";
import { APP_BRIDGE_CDN_URL, startAdminFrameStandin, type AdminFrameStandin } from "#tests/standins/admin-frame-standin";

const run = chromiumAvailable();
let app: AppServer;
let frame: AdminFrameStandin;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!run) return;
  const framePort = await freePort();
  [app, browser] = await Promise.all([
    startAppServer({ worker: false, env: { APP_BRIDGE_URL: `http://127.0.0.1:${framePort}/app-bridge.js` } }),
    launchChromium(),
  ]);
  frame = await startAdminFrameStandin({ appUrl: app.baseUrl, shop: TEST_SHOP, apiKey: TEST_APP_API_KEY, secret: TEST_SECRET, port: framePort });
  page = await newAdminPage(browser);
  // Shopify's CDN is not reachable here, and the stand-in must not need it.
  await page.route(APP_BRIDGE_CDN_URL, (route) => route.abort());
});
afterAll(async () => {
  await browser?.close();
  await frame?.close();
  await app?.stop();
});

const ready = () => page.waitForFunction(() => document.documentElement.dataset.adminReady === "true");

describe.runIf(run)("the demo's admin URL", () => {
  it("opens the embedded admin in a plain browser", async () => {
    await page.goto(frame.adminUrl("/app/settings"));
    await ready();
    await page.getByRole("heading", { name: "Timing & settings" }).waitFor();
    expect(await page.locator(`script[src="${frame.scriptUrl}"]`).count()).toBe(1);
  });

  it("navigates and saves through session tokens the stand-in signs", async () => {
    await page.locator("ui-nav-menu").getByRole("link", { name: "Templates" }).click();
    await page.getByRole("heading", { name: "Templates" }).waitFor();
    await page.getByRole("button", { name: "Mark templates as reviewed" }).click();
    await page.locator("[data-standin-toast]", { hasText: "Templates marked as reviewed" }).waitFor();
    expect((await app.db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).templatesReviewedAt).not.toBeNull();
    expect(new URL(page.url()).searchParams.get("shop")).toBe(TEST_SHOP);
  });

  it("survives a reload, as inside the admin", async () => {
    await page.reload();
    await ready();
    await page.getByRole("heading", { name: "Templates" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/app/templates");
    expect(await page.locator(`script[src="${APP_BRIDGE_CDN_URL}"]`).count()).toBe(0);
  });
});
