// `npm run demo` is the main job: run its script for real (built server, SQLite, capture server, signed
// scenario over HTTP) and check what it tells a newcomer.
import { afterAll, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../support/app-server";
import { CHROMIUM_PATH, launchChromium } from "../support/chromium";
import { createDb } from "~/db.server";

let demo: ChildProcess | undefined;
const dir = mkdtempSync(join(tmpdir(), "parcelwise-demo-"));
afterAll(() => {
  demo?.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

it("replays the scenario, captures the mail, prints where to read it, and stops on Ctrl+C", async () => {
  const port = await freePort();
  // The demo's own values, as on a newcomer's machine: no SendGrid URL, so it captures mail itself.
  const { SENDGRID_BASE_URL: _sendgrid, ...inherited } = process.env;
  const env = { ...inherited, NODE_ENV: "development" as const, PORT: String(port), DATABASE_URL: `file:${join(dir, "demo.sqlite")}` };
  demo = spawn(process.execPath, ["--import", "tsx", "tests/demo/run.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  demo.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  demo.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  // The demo imports about 2,000 shipments of history before it replays its webhooks.
  const deadline = Date.now() + 150_000;
  while (!output.includes("Ctrl+C") && Date.now() < deadline && demo.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(output).toContain("Ctrl+C");
  expect(output).toMatch(/History: 1,950 orders, 1,977 shipments imported \([\d,]+ carrier events; \d+ held at customs, \d+ never delivered; completed in/);
  // Nothing is planned, let alone sent, for an imported order.
  const demoDb = createDb(env.DATABASE_URL);
  try {
    const imported = await demoDb.order.findMany({ where: { importedAt: { not: null } }, select: { shopifyId: true } });
    expect(imported).toHaveLength(1950);
    const importedIds = new Set(imported.map((o) => o.shopifyId));
    const planned = await demoDb.notification.findMany({ select: { orderShopifyId: true } });
    expect(planned.length).toBeGreaterThan(0);
    expect(planned.filter((n) => importedIds.has(n.orderShopifyId))).toEqual([]);
    expect(await demoDb.shipment.groupBy({ by: ["destinationCountry"], where: { orderShopifyId: { in: imported.slice(0, 900).map((o) => o.shopifyId) } } })).toHaveLength(5);
  } finally {
    await demoDb.$disconnect();
  }
  expect(output).toMatch(/Recorded: 5 orders, 3 shipments, 3 carrier events, 13 webhook receipts/);
  expect(output).toMatch(/401\s+orders\/paid\s+a forged webhook/);
  expect(output).not.toMatch(/^\s*500\s/m);
  const captured = [...output.matchAll(/^\s+sent\s+(\w+)\s+#(\d+).*?(http:\/\/127\.0\.0\.1:\d+\/mails\/[\w-]+\.html)$/gm)];
  expect(captured.map((m) => `${m[1]} #${m[2]}`).sort()).toEqual([
    "feedback_request #1002",
    "shipping_confirmation #1001",
    "shipping_confirmation #1003",
  ]);
  // Each printed link opens the rendered mail.
  const page = await fetch(captured[0][3]);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/<html|<table/i);
  // SendGrid's signed Event Webhook reports each captured mail delivered; a batch under another key is refused.
  expect(output).toMatch(/SendGrid events: 3 delivered \(signed\), POST http:\/\/127\.0\.0\.1:\d+\/webhooks\/sendgrid answered 200/);
  const delivered = [...output.matchAll(/^\s+delivered\s+(\w+)\s+#(\d+)\s+\S+@\S+$/gm)];
  expect(delivered.map((m) => `${m[1]} #${m[2]}`).sort()).toEqual(captured.map((m) => `${m[1]} #${m[2]}`).sort());
  expect(output).toMatch(/403\s+a batch signed with another key is refused/);
  // The printed tracking page opens through the storefront stand-in's signed app proxy, and the page's
  // script finds the order by the link's token (as by number + email on the plain form).
  const trackUrl = output.match(/Tracking page \(as a buyer sees it in the shop\): (http:\/\/127\.0\.0\.1:\d+\/apps\/parcelwise\/track\?order=1001&t=[\w.-]+)$/m)?.[1];
  expect(trackUrl).toBeDefined();
  const formUrl = output.match(/Tracking form \(the buyer types order number \+ email, e\.g\. 1001 and (\S+)\): (http:\/\/127\.0\.0\.1:\d+\/apps\/parcelwise\/track)$/m);
  expect(formUrl?.[2]).toBe(`${new URL(trackUrl!).origin}/apps/parcelwise/track`);
  const trackPage = await fetch(trackUrl!);
  expect(trackPage.status).toBe(200);
  expect(await trackPage.text()).toMatch(/data-pw-track[\s\S]*data-endpoint="\/apps\/parcelwise\/lookup"/);
  const lookUp = (body: Record<string, string>) =>
    fetch(`${new URL(trackUrl!).origin}/apps/parcelwise/lookup`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const byToken = await lookUp({ orderNumber: "1001", token: new URL(trackUrl!).searchParams.get("t")! });
  expect(byToken.status).toBe(200);
  expect(JSON.stringify(await byToken.json())).toMatch(/DHL Express[\s\S]*1234567890|1234567890[\s\S]*DHL Express/);
  const byEmail = await lookUp({ orderNumber: "1001", email: formUrl![1] });
  expect(byEmail.status).toBe(200);
  // The feedback request's "contact us first" link opens its form on the shop's domain.
  const contactUrl = output.match(/Contact page \(the feedback request's "contact us first" link\): (http:\/\/127\.0\.0\.1:\d+\/apps\/parcelwise\/contact\?t=[\w.-]+)$/m)?.[1];
  expect(contactUrl).toBeDefined();
  const contactPage = await fetch(contactUrl!);
  expect(contactPage.status).toBe(200);
  expect(await contactPage.text()).toMatch(/<form method="post" action="\/apps\/parcelwise\/contact"/);
  if (existsSync(CHROMIUM_PATH)) {
    const browser = await launchChromium();
    try {
      const buyerPage = await browser.newPage();
      await buyerPage.goto(trackUrl!);
      const shipment = buyerPage.locator(".pw-track__shipment").first();
      await shipment.waitFor();
      expect(await shipment.textContent()).toMatch(/DHL Express[\s\S]*1234567890/);
    } finally {
      await browser.close();
    }
  }
  // The printed admin URL opens the embedded admin: the frame stand-in redirects into the app with a
  // session token signed as the Shopify admin signs it, and authenticate.admin lets the page through.
  const adminUrl = output.match(/Admin: (http:\/\/127\.0\.0\.1:\d+\/admin\?path=\S+)/)?.[1];
  expect(adminUrl).toBeDefined();
  const bounce = await fetch(adminUrl!, { redirect: "manual" });
  expect(bounce.status).toBe(302);
  const into = new URL(bounce.headers.get("location")!, adminUrl);
  expect(`${into.origin}${into.pathname}`).toBe(`http://127.0.0.1:${port}/app`);
  expect(into.searchParams.get("shop")).toBe("parcelwise-demo.myshopify.com");
  expect(into.searchParams.get("id_token")).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  const admin = await fetch(into, { headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36" } });
  expect(admin.status).toBe(200);
  expect(await admin.text()).toMatch(/Parcelwise|Polaris/);

  demo.kill("SIGINT");
  const code = await new Promise((resolve) => demo!.once("exit", resolve));
  expect(code).toBe(0);
}, 240_000);

it("refuses to run in production", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/demo/run.ts"], { env: { ...process.env, NODE_ENV: "production" }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise((resolve) => child.once("exit", resolve));
  expect(code).toBe(1);
  expect(stderr).toMatch(/refuses to run with NODE_ENV=production/);
});
