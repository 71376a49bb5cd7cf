// `npm start` with its defaults: two processes on one machine, the primary running the worker and one
// forked web process serving HTTP. A web process that dies is replaced; stopping the primary stops both.
import { afterAll, beforeAll, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { eventually, niceOf, startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { sendWebhook } from "#tests/standins/sign";
import { fulfillmentPayloadFor, orderPayloadFor } from "#tests/demo/scenario";

const childrenOf = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** The forked web processes: children of the primary running app/server.ts (render threads are threads, not processes). */
const webProcesses = (app: AppServer) => childrenOf(app.pid).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("server.ts"));

let app: AppServer;
beforeAll(async () => {
  // A slow poll: a mail within it proves the web process woke the primary's worker.
  app = await startAppServer({ env: { WORKER_POLL_MS: "20000" } });
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

it("serves HTTP from one forked web process and records and sends from the primary's worker", async () => {
  expect(webProcesses(app)).toHaveLength(1);
  const yesterday = new Date(Date.now() - 86_400_000);
  const buyer = { first: "Jon", last: "B", email: "jon@example.test", locale: "en", country: "GB", city: "Leeds", zip: "LS1 4AP", address1: "Park Row 2" };
  const paid = await sendWebhook(app.baseUrl, TEST_SECRET, { topic: "orders/paid", shop: TEST_SHOP, payload: orderPayloadFor(811, 1811, buyer, { processed: yesterday, updated: yesterday }) });
  const fulfilled = await sendWebhook(app.baseUrl, TEST_SECRET, { topic: "fulfillments/create", shop: TEST_SHOP, payload: fulfillmentPayloadFor(911, 811, "DHL Express", "7811", "GB", { created: yesterday, updated: yesterday }) });
  expect([paid.status, fulfilled.status]).toEqual([200, 200]);
  await eventually(async () => app.capture.mails.some((m) => m.to.includes("jon@example.test")), 15_000, "the shipping confirmation");
  expect(app.logs.filter((line) => line.includes("Parcelwise listening"))).toHaveLength(1);
}, 60_000);

it("runs the worker at WORKER_NICE (10) once the web process is forked, the web process at the niceness npm start began with", () => {
  const started = niceOf(process.pid);
  expect(niceOf(app.pid)).toBe(Math.max(started, 10));
  expect(webProcesses(app).map(niceOf)).toEqual([started]);
});

it("replaces a web process that dies, and the new one answers", async () => {
  const [first] = webProcesses(app);
  process.kill(first, "SIGKILL");
  const [second] = await eventually(async () => {
    const webs = webProcesses(app).filter((pid) => pid !== first);
    return webs.length === 1 ? webs : null;
  }, 30_000, "a new web process");
  expect(second).not.toBe(first);
  await eventually(async () => (await fetch(`${app.baseUrl}/healthz`).catch(() => null))?.status === 200, 60_000, "the new web process answering");
  expect(app.logs.some((line) => line.includes("web process died; starting another"))).toBe(true);
  // Forked by the worker's thread, it began at the worker's niceness and took back its own; where raising a
  // priority is not allowed it says so.
  const taken = niceOf(second!) === niceOf(process.pid);
  expect(taken || app.logs.some((line) => line.includes("this web process runs at the worker's niceness"))).toBe(true);
}, 120_000);

it("stops both processes on SIGTERM", async () => {
  const [web] = webProcesses(app);
  await app.down();
  await eventually(async () => !alive(web), 15_000, "the web process gone");
  expect(alive(app.pid)).toBe(false);
}, 60_000);
