// Template previews render on worker threads: one shop's heavy previews do not hold up another shop's
// webhooks, and a runaway preview is stopped at the time limit with a clear error in the editor.
import { afterAll, beforeAll, expect, it } from "vitest";
import { performance } from "node:perf_hooks";
import { startAppServer, TEST_SECRET, type AppServer } from "../support/app-server";
import { sessionToken, TEST_APP_API_KEY } from "../support/admin-browser";
import { sendWebhook } from "#tests/standins/sign";
import { orderPayloadFor } from "#tests/demo/scenario";
import { HEAVY_TEMPLATE, RUNAWAY_TEMPLATE } from "../support/heavy-templates";

const EDITING = "render-editing.myshopify.com";
const SELLING = "render-selling.myshopify.com";
const LIMIT_MS = 2000;
const BROWSER = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36" };

let app: AppServer;

beforeAll(async () => {
  app = await startAppServer({ seedShops: [EDITING, SELLING], worker: false, env: { RENDER_PREVIEW_LIMIT_MS: String(LIMIT_MS) } });
});
afterAll(() => app?.stop());

interface EditorAnswer {
  preview: { subject: string; html: string } | null;
  problems: { part: string; message: string }[];
}

async function preview(template: { subject: string; html: string; text: string }): Promise<{ status: number; body: EditorAnswer }> {
  const url = new URL("/app/templates/shipping_confirmation", app.baseUrl);
  url.searchParams.set("_data", "routes/app.templates.$kind");
  const response = await fetch(url, {
    method: "POST",
    headers: { ...BROWSER, Authorization: `Bearer ${sessionToken(EDITING, TEST_APP_API_KEY, TEST_SECRET)}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent: "preview", locale: "en", ...template }),
  });
  return { status: response.status, body: (await response.json()) as EditorAnswer };
}

let orderId = 7000;
async function timedWebhook(): Promise<number> {
  const at = new Date(Date.now() - 60_000);
  const id = orderId++;
  const buyer = { first: "Ada", last: "Quick", email: `ada${id}@example.test`, locale: "en", country: "DE", city: "Berlin", zip: "10115", address1: "Street 1" };
  const started = performance.now();
  const response = await sendWebhook(app.baseUrl, TEST_SECRET, { topic: "orders/paid", shop: SELLING, payload: orderPayloadFor(id, id, buyer, { processed: at, updated: at }) });
  expect(response.status).toBe(200);
  return performance.now() - started;
}

it("answers another shop's signed webhooks in under 500 ms each during eight concurrent heavy previews", async () => {
  // Both routes warm and the preview threads started, as in a running app.
  await timedWebhook();
  await Promise.all([preview(HEAVY_TEMPLATE), preview(HEAVY_TEMPLATE)]);
  let previewsDone = false;
  const previews = Promise.all(Array.from({ length: 8 }, () => preview(HEAVY_TEMPLATE))).finally(() => (previewsDone = true));
  await new Promise((resolve) => setTimeout(resolve, 150));
  const latencies: number[] = [];
  while (!previewsDone || latencies.length < 5) latencies.push(await timedWebhook());
  const answered = await previews;
  for (const { status, body } of answered) {
    expect(status).toBe(200);
    expect(body.problems).toEqual([]);
    expect(body.preview?.subject).toMatch(/^Your order #\d+ has shipped$/);
  }
  expect(latencies.length).toBeGreaterThanOrEqual(5);
  expect(Math.max(...latencies), `webhook answers (ms): ${latencies.map((l) => l.toFixed(0)).join(", ")}`).toBeLessThan(500);
}, 120_000);

it("stops a runaway preview at the time limit and shows the editor why", async () => {
  const started = performance.now();
  const { status, body } = await preview(RUNAWAY_TEMPLATE);
  const took = performance.now() - started;
  expect(body.preview).toBeNull();
  expect(body.problems).toEqual([expect.objectContaining({ part: "html", message: expect.stringMatching(/took longer than 2 s and was stopped/) })]);
  expect(status).toBe(200);
  // Killed at the limit, not waited for: the template alone runs for many seconds.
  expect(took).toBeLessThan(LIMIT_MS + 3000);
  // The pool replaced the thread: the next preview renders.
  const after = await preview({ subject: "Order {{ order.name }}", html: "<p>{{ buyer.first_name }}</p>", text: "ok" });
  expect(after.body.preview?.subject).toMatch(/^Order #\d+$/);
  expect(app.logs.join("\n")).toMatch(/render ran past its time limit/);
}, 60_000);
