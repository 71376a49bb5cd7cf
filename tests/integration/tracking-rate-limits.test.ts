// The tracking lookup's attempt limits over the real server, as an attacker would test them: two server
// processes on one database, a forged X-Forwarded-For, a flood of junk lookups, spellings of one order
// number, and a buyer whose signed link must outlast someone else's wrong guesses. Requests go through
// the storefront stand-in (which forwards as Shopify's app proxy does) or are signed as it signs them.
// SQLite always; PostgreSQL with TEST_POSTGRES_URL; Redis (REDIS_URL) with TEST_REDIS_URL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import { Redis } from "ioredis";
import { startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { openPostgres, type Opened } from "../support/databases";
import { signedAppProxyQuery, startStorefrontStandin, type StorefrontStandin } from "#tests/standins/storefront-standin";
import { trackingPageUrl } from "~/tracking/link";
import { DAY_MS } from "~/time";

const TIMEOUT = 180_000;
const postgresUrl = process.env.TEST_POSTGRES_URL;
const redisUrl = process.env.TEST_REDIS_URL;
if (!postgresUrl) console.warn("TEST_POSTGRES_URL is not set: the tracking rate limits run on SQLite only, not on PostgreSQL");
if (!redisUrl) console.warn("TEST_REDIS_URL is not set: the tracking rate limits are not run with a Redis store (REDIS_URL)");

/** POSTs JSON from a chosen loopback address, so the stand-in sees that address as the buyer's. */
function postFrom(url: string, body: unknown, options: { from: string; headers?: Record<string, string> }): Promise<number> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: "POST", localAddress: options.from, headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload), ...options.headers } },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

interface Backend {
  name: string;
  /** The database both server processes share; undefined: a fresh SQLite file. */
  database?: () => Promise<Opened>;
  env?: Record<string, string>;
  flood?: boolean;
}

const backends: Backend[] = [{ name: "SQLite", flood: true }];
if (postgresUrl) backends.push({ name: "PostgreSQL", database: () => openPostgres(postgresUrl) });
if (redisUrl) backends.push({ name: "Redis", env: { REDIS_URL: redisUrl } });

describe.each(backends)("tracking lookup limits, counted in $name", (backend) => {
  let database: Opened | undefined;
  let first: AppServer;
  let second: AppServer;
  let viaFirst: StorefrontStandin;
  let viaSecond: StorefrontStandin;

  beforeAll(async () => {
    if (backend.env?.REDIS_URL) {
      // Counts of an earlier run live on in Redis: start from none for the test shop.
      const redis = new Redis(backend.env.REDIS_URL);
      const keys = await redis.keys(`*${TEST_SHOP}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    }
    database = await backend.database?.();
    first = await startAppServer({ worker: false, databaseUrl: database?.url, env: backend.env });
    second = await startAppServer({ worker: false, databaseUrl: first.databaseUrl, env: backend.env, seedShops: [] });
    viaFirst = await startStorefrontStandin({ appUrl: first.baseUrl, shop: TEST_SHOP, secret: TEST_SECRET });
    viaSecond = await startStorefrontStandin({ appUrl: second.baseUrl, shop: TEST_SHOP, secret: TEST_SECRET });
    const paid = new Date(Date.now() - 3 * DAY_MS);
    for (const [shopifyId, name, email] of [
      ["7101", "#9801", "ana@example.test"],
      ["7102", "#9802", "ben@example.test"],
      ["7103", "#9803", "cleo@example.test"],
      ["7104", "#9804", "dev@example.test"],
    ]) {
      await first.db.order.create({ data: { shop: TEST_SHOP, shopifyId, name, email, destinationCountry: "DE", paidAt: paid, shopifyUpdatedAt: paid } });
    }
  }, TIMEOUT);

  afterAll(async () => {
    await viaFirst?.close();
    await viaSecond?.close();
    await second?.stop();
    await first?.stop();
    await database?.close();
  }, TIMEOUT);

  const lookup = (standin: StorefrontStandin, body: unknown, from: string, headers?: Record<string, string>) =>
    postFrom(`${standin.url}/apps/parcelwise/lookup`, body, { from, headers });

  it(
    "holds a per-order limit reached through one server process in a second one on the same database",
    async () => {
      const statuses = [];
      for (let i = 0; i < 8; i++) statuses.push(await lookup(viaFirst, { orderNumber: "9802", email: `wrong${i}@example.test` }, `127.0.1.${i + 1}`));
      expect(statuses).toEqual(Array(8).fill(404));
      // The ninth guess, from yet another address, reaches the other process: refused, even with the right email.
      expect(await lookup(viaSecond, { orderNumber: "9802", email: "ben@example.test" }, "127.0.1.99")).toBe(429);
    },
    TIMEOUT,
  );

  it(
    "counts a client by the address Shopify's proxy saw, whatever X-Forwarded-For it writes itself",
    async () => {
      const statuses = [];
      for (let i = 0; i < 21; i++) {
        statuses.push(await lookup(viaFirst, { orderNumber: `55${i}`, email: "x@example.test" }, "127.0.2.1", { "X-Forwarded-For": `203.0.113.${i}` }));
      }
      expect(statuses.slice(0, 20)).toEqual(Array(20).fill(404));
      expect(statuses[20]).toBe(429);
      // The same client through the other process is still held back; another buyer is not.
      expect(await lookup(viaSecond, { orderNumber: "9803", email: "cleo@example.test" }, "127.0.2.1", { "X-Forwarded-For": "198.51.100.7" })).toBe(429);
      expect(await lookup(viaSecond, { orderNumber: "9803", email: "cleo@example.test" }, "127.0.2.2")).toBe(200);
    },
    TIMEOUT,
  );

  it(
    "counts ##9801, #9801 and 9801 as one order",
    async () => {
      const statuses = [];
      for (const [i, spelling] of ["##9801", "9801", " #9801", "## 9801", "##9801", "9801", "#9801", "###9801"].entries()) {
        statuses.push(await lookup(i % 2 ? viaFirst : viaSecond, { orderNumber: spelling, email: `guess${i}@example.test` }, `127.0.3.${i + 1}`));
      }
      expect(statuses).toEqual(Array(8).fill(404));
      expect(await lookup(viaFirst, { orderNumber: "9801", email: "someone@example.test" }, "127.0.3.50")).toBe(429);
    },
    TIMEOUT,
  );

  it(
    "lets the buyer's signed link through after eight wrong guesses by someone else",
    async () => {
      const statuses = [];
      for (let i = 0; i < 9; i++) statuses.push(await lookup(viaFirst, { orderNumber: "9804", email: `attacker${i}@example.test` }, `127.0.4.${i + 1}`));
      expect(statuses).toEqual([...Array(8).fill(404), 429]);
      const link = new URL(trackingPageUrl({ shopDomain: TEST_SHOP, orderName: "#9804", orderShopifyId: "7104", secret: TEST_SECRET, issuedAt: new Date() }));
      const token = link.searchParams.get("t")!;
      expect(await lookup(viaSecond, { orderNumber: link.searchParams.get("order"), token }, "127.0.4.100")).toBe(200);
      expect(await lookup(viaFirst, { orderNumber: "9804", token }, "127.0.4.101")).toBe(200);
      // A wrong token is a wrong guess like a wrong email.
      expect(await lookup(viaFirst, { orderNumber: "9804", token: "A".repeat(token.length) }, "127.0.4.102")).toBe(429);
    },
    TIMEOUT,
  );

  if (backend.flood) {
    it(
      "keeps a per-order count through a flood of 50,100 junk lookups from many addresses",
      async () => {
        for (let i = 0; i < 8; i++) await lookup(viaFirst, { orderNumber: "9803-flood", email: `wrong${i}@example.test` }, `127.0.5.${i + 1}`);
        expect(await lookup(viaFirst, { orderNumber: "9803-flood", email: "again@example.test" }, "127.0.5.50")).toBe(429);
        // Signed as the stand-in signs (cheaper than going through it 50,000 times); each "client" makes
        // 20 lookups, and writes a fresh address of its own first in X-Forwarded-For every time.
        const total = 50_100;
        let next = 0;
        const statuses = new Map<number, number>();
        const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
        const one = (n: number) =>
          new Promise<void>((resolve, reject) => {
            const client = `10.${(n / 20 / 65536) | 0}.${((n / 20 / 256) | 0) % 256}.${((n / 20) | 0) % 256}`;
            const query = signedAppProxyQuery(new URLSearchParams(), TEST_SHOP, TEST_SECRET);
            const payload = JSON.stringify({ orderNumber: `junk-${n}`, email: "junk@example.test" });
            const request = http.request(
              `${first.baseUrl}/proxy/lookup?${query}`,
              { method: "POST", agent, headers: { "Content-Type": "application/json", "X-Forwarded-For": `172.16.${(n >> 8) & 255}.${n & 255}, ${client}` } },
              (response) => {
                statuses.set(response.statusCode ?? 0, (statuses.get(response.statusCode ?? 0) ?? 0) + 1);
                response.resume();
                response.on("end", () => resolve());
              },
            );
            request.on("error", reject);
            request.end(payload);
          });
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            while (next < total) await one(next++);
          }),
        );
        agent.destroy();
        // Every junk lookup was looked at (none refused by its client's own limit of 20).
        expect(Object.fromEntries(statuses)).toEqual({ 404: total });
        expect(await lookup(viaFirst, { orderNumber: "9803-flood", email: "again@example.test" }, "127.0.5.51")).toBe(429);
      },
      600_000,
    );
  }
});
