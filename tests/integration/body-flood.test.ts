// The attack of issue 11: 16 parallel 200 MB posts with forged signatures to /webhooks/*. The server's resident memory
// stays flat (it once grew to 6.8 GB), every post is refused, and the server answers afterwards.
import { afterAll, beforeAll, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { startAppServer, TEST_SHOP, type AppServer } from "../support/app-server";
import { postStream } from "../support/stream-post";

const MB = 1_000_000;
const POSTS = 16;
const BYTES = 200 * MB;

let app: AppServer;
beforeAll(async () => {
  app = await startAppServer({ worker: false });
}, 90_000);
afterAll(async () => {
  await app?.stop();
});

const residentBytes = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;

it("keeps memory flat under 16 parallel 200 MB webhook posts with forged signatures, refuses each, and still answers", async () => {
  // Warm up the routes first, so what is measured is the attack and not the first request's code loading.
  for (let i = 0; i < 3; i++) await postStream(`${app.baseUrl}/webhooks/orders/paid`, { bytes: 1000, contentLength: true });
  const before = residentBytes(app.pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, residentBytes(app.pid))), 50);
  const answers = await Promise.all(
    Array.from({ length: POSTS }, (_, i) =>
      postStream(`${app.baseUrl}/webhooks/orders/${i % 2 ? "paid" : "create"}`, {
        bytes: BYTES,
        // Half declare their size, half stream chunked so the server only learns it by reading.
        contentLength: i % 2 === 0,
        // A forged signature: the route has to read the body to find it wrong.
        headers: { "X-Shopify-Topic": "orders/paid", "X-Shopify-Shop-Domain": TEST_SHOP, "X-Shopify-Hmac-Sha256": "Zm9yZ2VkLXNpZ25hdHVyZQ==" },
      }),
    ),
  );
  clearInterval(sampler);
  peak = Math.max(peak, residentBytes(app.pid));
  console.log(`server RSS before ${Math.round(before / MB)} MB, peak ${Math.round(peak / MB)} MB; answers ${answers.map((a) => a.status).join(",")}`);
  expect(answers.every((answer) => answer.status === 413 || answer.status === 401)).toBe(true);
  expect(peak - before).toBeLessThan(150 * MB);
  expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
}, 300_000);
