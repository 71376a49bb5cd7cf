// The storefront tracking block's backend over HTTP, signed as Shopify's app proxy signs what it
// forwards: HMAC-SHA256 (hex) of the sorted query parameters joined without separators. Valid,
// forged, missing and stale signatures; a miss that says nothing; attempt limits per address and order.
import { refreshAtRisk } from "~/shipments/record.server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHmac } from "node:crypto";
import { startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { trackingLinkToken, trackingPageUrl } from "~/tracking/link";
import { DAY_MS } from "~/time";
import { sign } from "~/security/signed-token";

const ago = (days: number) => new Date(Date.now() - days * DAY_MS);

function proxyQuery(params: Record<string, string>, secret = TEST_SECRET): string {
  const message = Object.keys(params)
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join("");
  const signature = createHmac("sha256", secret).update(message).digest("hex");
  return new URLSearchParams({ ...params, signature }).toString();
}

function proxyParams(extra: Record<string, string> = {}): Record<string, string> {
  return {
    shop: TEST_SHOP,
    logged_in_customer_id: "",
    path_prefix: "/apps/parcelwise",
    timestamp: String(Math.floor(Date.now() / 1000)),
    ...extra,
  };
}

let app: AppServer;

function lookup(body: unknown, { ip, query = proxyQuery(proxyParams()) }: { ip: string; query?: string }) {
  return fetch(`${app.baseUrl}/proxy/lookup?${query}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Forwarded-For": ip },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  app = await startAppServer({ worker: false });
  await app.db.order.create({
    data: { shop: TEST_SHOP, shopifyId: "6001", name: "#2001", email: "Camille.Dubois@example.test", destinationCountry: "FR", paidAt: ago(8), shopifyUpdatedAt: ago(8) },
  });
  await app.db.order.create({
    data: { shop: TEST_SHOP, shopifyId: "6002", name: "#2002", email: "gone@example.test", redactedAt: ago(1), shopifyUpdatedAt: ago(8) },
  });
  await app.db.order.create({
    data: { shop: TEST_SHOP, shopifyId: "6003", name: "#2003", email: "wait@example.test", paidAt: ago(0.5), shopifyUpdatedAt: ago(0.5) },
  });
  await app.db.order.create({
    data: { shop: TEST_SHOP, shopifyId: "6005", name: "#2005", email: "old@example.test", paidAt: ago(365), shopifyUpdatedAt: ago(365) },
  });
  // Only the attempt-limit test asks for this one: its count starts at zero.
  await app.db.order.create({
    data: { shop: TEST_SHOP, shopifyId: "6004", name: "#2004", email: "limit@example.test", paidAt: ago(1), shopifyUpdatedAt: ago(1) },
  });
  await app.db.shipment.create({
    data: {
      shop: TEST_SHOP,
      shopifyId: "9101",
      orderShopifyId: "6001",
      status: "success",
      shipmentStatus: "in_transit",
      carrierName: "La Poste Colissimo",
      trackingNumbers: JSON.stringify(["6A12345678901"]),
      trackingUrls: JSON.stringify(["https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"]),
      shippedAt: ago(12),
      estimatedDeliveryFrom: ago(6),
      estimatedDeliveryTo: ago(5),
      lastEventAt: ago(2),
      shopifyUpdatedAt: ago(2),
    },
  });
  // Seeded rows get the at-risk time a refresh would store.
  await refreshAtRisk(app.db, TEST_SHOP, new Date());
});

afterAll(async () => {
  await app?.stop();
});

describe("POST /proxy/lookup (the block's fetch)", () => {
  it("finds the order by number and email however the buyer typed them", async () => {
    const response = await lookup({ orderNumber: " #2001 ", email: " camille.dubois@EXAMPLE.test " }, { ip: "203.0.113.1" });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const { tracking } = await response.json();
    expect(tracking).toMatchObject({
      order: { name: "#2001" },
      state: "shipped",
      shipments: [
        {
          carrier: "La Poste Colissimo",
          tracking: [{ number: "6A12345678901", url: "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901" }],
          // Five days past the window (grace 3): the buyer is told calmly why.
          delay: { reason: "overdue" },
        },
      ],
    });
    expect(JSON.stringify(tracking)).not.toMatch(/6001|9101|camille/i);
  });

  it("shows the handling commitment for an order not yet shipped", async () => {
    const response = await lookup({ orderNumber: "2003", email: "wait@example.test" }, { ip: "203.0.113.2" });
    expect((await response.json()).tracking).toMatchObject({ state: "awaiting_shipment", commitment: { handlingHours: 48, onlineTrackingDays: 3 } });
  });

  it("answers a wrong email exactly as an order that does not exist, or one redacted", async () => {
    const answers = await Promise.all([
      lookup({ orderNumber: "2001", email: "someone.else@example.test" }, { ip: "203.0.113.3" }),
      lookup({ orderNumber: "9999", email: "camille.dubois@example.test" }, { ip: "203.0.113.3" }),
      lookup({ orderNumber: "2002", email: "gone@example.test" }, { ip: "203.0.113.3" }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404]);
    const bodies = await Promise.all(answers.map((r) => r.text()));
    expect(new Set(bodies)).toEqual(new Set(['{"error":"not_found"}']));
  });

  it("follows a signed link from the shipping confirmation without an email", async () => {
    const link = new URL(trackingPageUrl({ shopDomain: TEST_SHOP, orderName: "#2001", orderShopifyId: "6001", secret: TEST_SECRET, issuedAt: new Date() }));
    const token = link.searchParams.get("t")!;
    expect((await lookup({ orderNumber: "2001", token }, { ip: "203.0.113.4" })).status).toBe(200);
    // The token is bound to its order and shop.
    expect((await lookup({ orderNumber: "2003", token }, { ip: "203.0.113.4" })).status).toBe(404);
    expect((await lookup({ orderNumber: "2001", token: trackingLinkToken("other-secret", TEST_SHOP, "6001", new Date()) }, { ip: "203.0.113.4" })).status).toBe(404);
  });

  it("refuses a sibling spelling of a valid token", async () => {
    const token = trackingLinkToken(TEST_SECRET, TEST_SHOP, "6001", new Date());
    // 16 bytes are 22 base64url characters; the last carries 4 padding bits, so its neighbour decodes alike.
    const sibling = token.slice(0, -1) + String.fromCharCode(token.charCodeAt(token.length - 1) + 1);
    expect(Buffer.from(sibling.split(".")[1], "base64url")).toEqual(Buffer.from(token.split(".")[1], "base64url"));
    expect((await lookup({ orderNumber: "2001", token: sibling }, { ip: "203.0.113.6" })).status).toBe(404);
    expect((await lookup({ orderNumber: "2001", token }, { ip: "203.0.113.6" })).status).toBe(200);
  });

  it("refuses an expired link with its own answer, and shows the page asking for the email", async () => {
    const old = new Date(Date.now() - 181 * DAY_MS);
    const link = new URL(trackingPageUrl({ shopDomain: TEST_SHOP, orderName: "#2001", orderShopifyId: "6001", secret: TEST_SECRET, issuedAt: old }));
    const token = link.searchParams.get("t")!;
    const refused = await lookup({ orderNumber: "2001", token }, { ip: "203.0.113.7" });
    expect(refused.status).toBe(410);
    expect(await refused.json()).toEqual({ error: "link_expired" });
    // 179 days is still within the default 180.
    const recent = trackingLinkToken(TEST_SECRET, TEST_SHOP, "6001", new Date(Date.now() - 179 * DAY_MS));
    expect((await lookup({ orderNumber: "2001", token: recent }, { ip: "203.0.113.7" })).status).toBe(200);
    const page = await fetch(`${app.baseUrl}/proxy/track?${proxyQuery(proxyParams({ order: "2001", t: token }))}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("This tracking link has expired");
    expect(html).toMatch(/<p class="pw-track__message" role="status" aria-live="polite">This tracking link has expired/);
  });

  it("honours a link mailed before links expired while its order is younger than the limit", async () => {
    const legacy = (orderShopifyId: string) => sign(TEST_SECRET, "parcelwise:tracking-link:v1\n", `${TEST_SHOP}\n${orderShopifyId}`, 16);
    // Order 2001 was paid 8 days ago; 2005 a year ago.
    expect((await lookup({ orderNumber: "2001", token: legacy("6001") }, { ip: "203.0.113.8" })).status).toBe(200);
    expect((await lookup({ orderNumber: "2005", token: legacy("6005") }, { ip: "203.0.113.8" })).status).toBe(410);
  });

  it("answers a shop without the app installed with the same miss", async () => {
    const query = proxyQuery(proxyParams({ shop: "stranger.myshopify.com" }));
    const response = await lookup({ orderNumber: "2001", email: "camille.dubois@example.test" }, { ip: "203.0.113.5", query });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "not_found" });
  });

  it("refuses a forged signature with 400", async () => {
    const query = proxyQuery(proxyParams(), "not-the-app-secret");
    expect((await lookup({ orderNumber: "2001", email: "camille.dubois@example.test" }, { ip: "203.0.113.6", query })).status).toBe(400);
  });

  it("refuses a request without a signature with 400", async () => {
    const query = new URLSearchParams(proxyParams()).toString();
    expect((await lookup({ orderNumber: "2001", email: "camille.dubois@example.test" }, { ip: "203.0.113.6", query })).status).toBe(400);
  });

  it("refuses a stale signature (replayed after Shopify's tolerance) with 400", async () => {
    const query = proxyQuery(proxyParams({ timestamp: String(Math.floor(Date.now() / 1000) - 600) }));
    expect((await lookup({ orderNumber: "2001", email: "camille.dubois@example.test" }, { ip: "203.0.113.6", query })).status).toBe(400);
  });

  it("refuses a signed query whose shop was changed afterwards", async () => {
    const query = proxyQuery(proxyParams({ shop: "stranger.myshopify.com" })).replace("stranger.myshopify.com", TEST_SHOP);
    expect((await lookup({ orderNumber: "2001", email: "camille.dubois@example.test" }, { ip: "203.0.113.6", query })).status).toBe(400);
  });

  it("refuses a body that is neither number plus email nor number plus token", async () => {
    expect((await lookup({ orderNumber: "2001" }, { ip: "203.0.113.7" })).status).toBe(400);
    expect((await lookup({ orderNumber: "", email: "a@b.c" }, { ip: "203.0.113.7" })).status).toBe(400);
  });

  it("only answers POST", async () => {
    expect((await fetch(`${app.baseUrl}/proxy/lookup?${proxyQuery(proxyParams())}`)).status).toBe(405);
  });

  it("limits attempts per order number, from whatever address, without revealing whether it exists", async () => {
    const attempts = [];
    for (let i = 0; i < 9; i++) {
      attempts.push((await lookup({ orderNumber: "2004", email: `guess${i}@example.test` }, { ip: `198.51.100.${i}` })).status);
    }
    expect(attempts).toEqual([404, 404, 404, 404, 404, 404, 404, 404, 429]);
    // The right email is refused too until the window ends; an order that does not exist is limited alike.
    const refused = await lookup({ orderNumber: "#2004", email: "limit@example.test" }, { ip: "198.51.100.200" });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toEqual({ error: "rate_limited" });
    const ghost = [];
    for (let i = 0; i < 9; i++) ghost.push((await lookup({ orderNumber: "8888", email: "x@example.test" }, { ip: `198.51.101.${i}` })).status);
    expect(ghost.at(-1)).toBe(429);
  });

  it("limits attempts per address across order numbers", async () => {
    const statuses = [];
    for (let i = 0; i < 21; i++) statuses.push((await lookup({ orderNumber: `30${i}`, email: "x@example.test" }, { ip: "192.0.2.99" })).status);
    expect(statuses.slice(0, 20).every((status) => status === 404)).toBe(true);
    expect(statuses[20]).toBe(429);
    // Another address is not held back.
    expect((await lookup({ orderNumber: "2003", email: "wait@example.test" }, { ip: "192.0.2.100" })).status).toBe(200);
  });
});

describe("GET /proxy/track (the page the mails link to)", () => {
  it("returns the block as Liquid for the theme's layout, in the buyer's language", async () => {
    const response = await fetch(`${app.baseUrl}/proxy/track?${proxyQuery(proxyParams({ order: "2001", t: "x", locale: "de" }))}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/liquid");
    const page = await response.text();
    expect(page).toContain("data-pw-track");
    expect(page).toContain("Bestellung verfolgen");
    expect(page).toContain(".pw-track__event::before");
    expect(page).not.toMatch(/{{|{%/);
  });

  it("falls back to the browser's language", async () => {
    const response = await fetch(`${app.baseUrl}/proxy/track?${proxyQuery(proxyParams())}`, { headers: { "Accept-Language": "es-MX,es;q=0.9" } });
    expect(await response.text()).toContain("Sigue tu pedido");
  });

  it("refuses a forged signature with 400", async () => {
    expect((await fetch(`${app.baseUrl}/proxy/track?${proxyQuery(proxyParams(), "forged")}`)).status).toBe(400);
  });
});
