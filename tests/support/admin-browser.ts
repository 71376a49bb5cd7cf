// Browser harness for the embedded admin. API:
// - adminTarget(server, shop?) → { baseUrl, shop, apiKey, secret } for a server from startAppServer.
// - sessionToken(shop, apiKey, secret) → a session token signed as the Shopify admin signs it (HS256, 60 s).
// - openAdmin(target, page, path = "/app") routes the App Bridge stand-in into the page (fetches carry a fresh
//   Bearer token, shopify.toast renders [data-standin-toast]), loads path?embedded=1&shop&host&id_token, waits for hydration.
// - newAdminPage(browser) gives a page with a non-bot user agent (authenticate.admin answers bots 410).
// - waitForToast(page, text) waits for a toast not awaited before; screenshots(page, name) saves narrow (400 px) and
//   wide (1280 px) full-page PNGs in artifactDir("admin").
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { APP_BRIDGE_CDN_URL, appBridgeStandinScript, embeddedUrl, sessionToken } from "#tests/standins/admin-frame-standin";
import { artifactDir } from "./chromium";
import { TEST_SECRET, TEST_SHOP, type AppServer } from "./app-server";

export { sessionToken };

/** The SHOPIFY_API_KEY startAppServer gives the app. */
export const TEST_APP_API_KEY = "test-api-key";

export interface AdminTarget {
  baseUrl: string;
  shop: string;
  apiKey: string;
  secret: string;
}

export function adminTarget(server: Pick<AppServer, "baseUrl">, shop: string = TEST_SHOP): AdminTarget {
  return { baseUrl: server.baseUrl, shop, apiKey: TEST_APP_API_KEY, secret: TEST_SECRET };
}

export const NARROW = { width: 400, height: 900 };
export const WIDE = { width: 1280, height: 900 };

// authenticate.admin answers self-identified bots (HeadlessChrome) with 410 Gone, as it should.
export const ADMIN_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

/** A page in a fresh context that looks like a merchant's browser (wide layout unless told). */
export async function newAdminPage(browser: Browser, viewport = WIDE): Promise<Page> {
  const context = await browser.newContext({ userAgent: ADMIN_USER_AGENT, viewport });
  return context.newPage();
}

// Never resolved by DNS: the page's requests to it are answered by page.route below.
const TOKEN_URL = "https://admin-standin.parcelwise.invalid/session-token";
const routed = new WeakMap<Page, AdminTarget>();

/** Answers the App Bridge script and session tokens for this page, as the admin frame would. */
export async function installAdminFrame(target: AdminTarget, page: Page): Promise<void> {
  if (routed.has(page)) {
    routed.set(page, target);
    return;
  }
  routed.set(page, target);
  const userAgent = await page.evaluate(() => navigator.userAgent);
  if (/HeadlessChrome/.test(userAgent)) await page.context().setExtraHTTPHeaders({ "User-Agent": ADMIN_USER_AGENT });
  await page.route(APP_BRIDGE_CDN_URL, (route) =>
    route.fulfill({ status: 200, contentType: "text/javascript", body: appBridgeStandinScript({ tokenUrl: TOKEN_URL }) }),
  );
  await page.route(`${TOKEN_URL}**`, (route) => {
    const current = routed.get(page)!;
    return route.fulfill({
      status: 200,
      contentType: "text/plain",
      headers: { "Access-Control-Allow-Origin": new URL(current.baseUrl).origin, "Cache-Control": "no-store" },
      body: sessionToken(current.shop, current.apiKey, current.secret),
    });
  });
}

/** Opens an admin page as the Shopify admin would load it into its frame, and waits until it is interactive. */
export async function openAdmin(target: AdminTarget, page: Page, path = "/app"): Promise<void> {
  await installAdminFrame(target, page);
  await page.goto(embeddedUrl(target.baseUrl, target.shop, path, sessionToken(target.shop, target.apiKey, target.secret)));
  await page.waitForFunction(() => document.documentElement.dataset.adminReady === "true");
}

/**
 * Waits for a toast (shopify.toast.show) containing `text` that no earlier call has seen: a toast from a
 * previous save, still on screen, does not count for the next one.
 */
export async function waitForToast(page: Page, text: string | RegExp): Promise<void> {
  const pattern = typeof text === "string" ? { source: text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), flags: "" } : { source: text.source, flags: text.flags };
  await page.waitForFunction(({ source, flags }) => {
    const wanted = new RegExp(source, flags);
    const toast = [...document.querySelectorAll<HTMLElement>("[data-standin-toast]:not([data-seen])")].find((element) => wanted.test(element.textContent ?? ""));
    if (toast) toast.dataset.seen = "true";
    return Boolean(toast);
  }, pattern);
}

/** Full-page screenshots at the admin's narrow and wide widths; returns the file paths. */
export async function screenshots(page: Page, name: string): Promise<string[]> {
  const dir = artifactDir("admin");
  const original = page.viewportSize();
  const files: string[] = [];
  for (const [label, size] of [["narrow", NARROW], ["wide", WIDE]] as const) {
    await page.setViewportSize(size);
    // Polaris switches layouts on resize and preview iframes repaint: let both settle.
    await page.waitForTimeout(400);
    const file = join(dir, `${name}-${label}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
  }
  if (original) await page.setViewportSize(original);
  await page.waitForTimeout(150);
  return files;
}
