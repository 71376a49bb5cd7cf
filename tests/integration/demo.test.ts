// `npm run demo` is the main job: run its script for real (built server, SQLite, capture server, signed
// scenario over HTTP) and check what it tells a newcomer.
import { afterAll, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../support/app-server";

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
  demo = spawn(process.execPath, ["--import", "tsx", "app/demo/run.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  demo.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  demo.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes("Ctrl+C") && Date.now() < deadline && demo.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(output).toContain("Ctrl+C");
  expect(output).toMatch(/Recorded: 5 orders, 3 shipments, 3 carrier events, 13 webhook receipts/);
  expect(output).toMatch(/401\s+orders\/paid\s+a forged webhook/);
  expect(output).not.toMatch(/^\s*500\s/m);
  const captured = [...output.matchAll(/^\s+sent\s+(\w+)\s+#(\d+).*?(http:\/\/127\.0\.0\.1:\d+\/mails\/[\w-]+\.html)$/gm)];
  expect(captured.map((m) => `${m[1]} #${m[2]}`).sort()).toEqual([
    "feedback_request #1002",
    "shipping_confirmation #1001",
    "shipping_confirmation #1002",
    "shipping_confirmation #1003",
  ]);
  // Each printed link opens the rendered mail.
  const page = await fetch(captured[0][3]);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/<html|<table/i);
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
});

it("refuses to run in production", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "app/demo/run.ts"], { env: { ...process.env, NODE_ENV: "production" }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise((resolve) => child.once("exit", resolve));
  expect(code).toBe(1);
  expect(stderr).toMatch(/refuses to run with NODE_ENV=production/);
});
