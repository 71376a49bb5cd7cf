// The order status page extension's backend over HTTP: session tokens signed as Shopify signs them
// (HS256 with the app's secret), and expired, forged, tampered and foreign ones; the order must be the
// signed-in customer's own, as Shopify's Admin API (the local stand-in) records it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHmac, randomUUID } from "node:crypto";
import { startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { DAY_MS } from "~/time";

const API_KEY = "test-api-key"; // what startAppServer gives the app as SHOPIFY_API_KEY
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
const ORIGIN = "https://extensions.shopifycdn.com";
const ago = (days: number) => new Date(Date.now() - days * DAY_MS);

const ANNA = "gid://shopify/Customer/77";
const BORIS = "gid://shopify/Customer/88";

function jwt(claims: Record<string, unknown>, secret = TEST_SECRET, header: Record<string, unknown> = { alg: "HS256", typ: "JWT" }): string {
  const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString("base64url");
  const unsigned = `${encode(header)}.${encode(claims)}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}

function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { dest: TEST_SHOP, aud: API_KEY, sub: ANNA, exp: now + 300, nbf: now - 5, iat: now - 5, jti: randomUUID(), ...extra };
}

function get(path: string, token?: string, init: RequestInit = {}) {
  return fetch(`${app.baseUrl}${path}`, {
    ...init,
    headers: { "User-Agent": BROWSER, Origin: ORIGIN, ...(token ? { Authorization: `Bearer ${token}` } : {}), ...init.headers },
  });
}

let app: AppServer;

beforeAll(async () => {
  app = await startAppServer({ worker: false });
  const order = (shopifyId: string, name: string, email: string) =>
    app.db.order.create({ data: { shop: TEST_SHOP, shopifyId, name, email, destinationCountry: "DE", paidAt: ago(5), shopifyUpdatedAt: ago(5) } });
  await order("5001", "#1001", "anna@example.test");
  await order("5002", "#1002", "boris@example.test");
  await order("5003", "#1003", "anna@example.test");
  await app.db.shipment.create({
    data: {
      shop: TEST_SHOP,
      shopifyId: "9001",
      orderShopifyId: "5001",
      status: "success",
      shipmentStatus: "in_transit",
      carrierCode: "dhl",
      carrierName: "DHL Express",
      trackingNumbers: JSON.stringify(["JD014600001"]),
      trackingUrls: JSON.stringify(["https://www.dhl.com/track?id=JD014600001"]),
      shippedAt: ago(3),
      estimatedDeliveryFrom: new Date(Date.now() + 2 * DAY_MS),
      estimatedDeliveryTo: new Date(Date.now() + 5 * DAY_MS),
      lastEventAt: ago(1),
      shopifyUpdatedAt: ago(1),
    },
  });
  await app.db.trackingEvent.create({
    data: { shop: TEST_SHOP, shopifyId: "e1", fulfillmentShopifyId: "9001", orderShopifyId: "5001", status: "in_transit", message: "Arrived at hub", city: "Leipzig", country: "DE", happenedAt: ago(1) },
  });
  // Shopify's record of whose orders these are.
  app.standin.orders.set("5001", { id: "gid://shopify/Order/5001", customer: { id: ANNA } });
  app.standin.orders.set("5002", { id: "gid://shopify/Order/5002", customer: { id: BORIS } });
  app.standin.orders.set("5003", { id: "gid://shopify/Order/5003", customer: { id: ANNA } });
  app.standin.orders.set("5009", { id: "gid://shopify/Order/5009", customer: { id: ANNA } });
});

afterAll(async () => {
  await app?.stop();
});

describe("GET /api/order-status/:orderId", () => {
  it("answers the signed-in customer with their order's shipments, for the extension's origin", async () => {
    const response = await get("/api/order-status/5001", jwt(claims()));
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("cache-control")).toContain("no-store");
    const { tracking } = await response.json();
    expect(tracking).toMatchObject({
      order: { name: "#1001" },
      state: "shipped",
      commitment: null,
      shipments: [
        {
          carrier: "DHL Express",
          tracking: [{ number: "JD014600001", url: "https://www.dhl.com/track?id=JD014600001" }],
          status: "in_transit",
          lastEvent: { status: "in_transit", message: "Arrived at hub", city: "Leipzig", country: "DE" },
          delay: null,
        },
      ],
    });
    expect(tracking.shipments[0].estimatedDelivery).toEqual({
      from: new Date(Date.now() + 2 * DAY_MS).toISOString().slice(0, 10),
      to: new Date(Date.now() + 5 * DAY_MS).toISOString().slice(0, 10),
    });
    const body = JSON.stringify(tracking);
    for (const secret of ["9001", "5001", "anna@example.test", "gid://"]) expect(body).not.toContain(secret);
    // Ownership came from Shopify's record of the order, asked with the shop's offline token.
    expect(app.standin.requests.some((r) => r.query.includes("ParcelwiseOrderCustomer") && r.variables.id === "gid://shopify/Order/5001")).toBe(true);
  });

  it("accepts the order as a GID too, and shows the commitment for one not yet shipped", async () => {
    const response = await get(`/api/order-status/${encodeURIComponent("gid://shopify/Order/5003")}`, jwt(claims()));
    expect(response.status).toBe(200);
    expect((await response.json()).tracking).toEqual({
      order: { name: "#1003" },
      state: "awaiting_shipment",
      commitment: { handlingHours: 48, onlineTrackingDays: 3 },
      shipments: [],
    });
  });

  it("answers another customer's order exactly as an order that does not exist", async () => {
    const foreign = await get("/api/order-status/5002", jwt(claims()));
    const missing = await get("/api/order-status/5999", jwt(claims()));
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await foreign.text()).toBe(await missing.text());
  });

  it("answers 404 for the customer's order Parcelwise has not recorded yet", async () => {
    expect((await get("/api/order-status/5009", jwt(claims()))).status).toBe(404);
  });

  it("answers 404 for a shop that has not installed the app", async () => {
    const response = await get("/api/order-status/5001", jwt(claims({ dest: "stranger.myshopify.com" })));
    expect(response.status).toBe(404);
  });

  it("asks for sign-in when the token names no customer (a pre-authenticated buyer)", async () => {
    const response = await get("/api/order-status/5001", jwt(claims({ sub: undefined })));
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: "sign_in_required" });
  });

  it("refuses an expired token with 401 the extension can read", async () => {
    const now = Math.floor(Date.now() / 1000);
    const response = await get("/api/order-status/5001", jwt(claims({ exp: now - 60, nbf: now - 360, iat: now - 360 })));
    expect(response.status).toBe(401);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("refuses a token not yet valid", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await get("/api/order-status/5001", jwt(claims({ nbf: now + 120, iat: now + 120, exp: now + 420 })))).status).toBe(401);
  });

  it("refuses a forged token (signed with another secret) with 401", async () => {
    expect((await get("/api/order-status/5001", jwt(claims(), "not-the-app-secret"))).status).toBe(401);
  });

  it("refuses a token whose claims were changed after signing", async () => {
    const [header, , signature] = jwt(claims({ sub: BORIS })).split(".");
    const swapped = Buffer.from(JSON.stringify(claims({ sub: ANNA }))).toString("base64url");
    expect((await get("/api/order-status/5001", `${header}.${swapped}.${signature}`)).status).toBe(401);
  });

  it("refuses an unsigned token (alg none)", async () => {
    const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString("base64url");
    expect((await get("/api/order-status/5001", `${encode({ alg: "none", typ: "JWT" })}.${encode(claims())}.`)).status).toBe(401);
  });

  it("refuses a token for another app", async () => {
    expect((await get("/api/order-status/5001", jwt(claims({ aud: "someone-elses-api-key" })))).status).toBe(401);
  });

  it("refuses a request without a token", async () => {
    expect((await get("/api/order-status/5001")).status).toBe(401);
  });

  it("answers the browser's CORS preflight", async () => {
    const response = await get("/api/order-status/5001", undefined, {
      method: "OPTIONS",
      headers: { "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-headers")).toContain("Authorization");
  });
});

describe("GET /api/order-status/commitment (thank-you page)", () => {
  it("gives the shop's handling commitment to a checkout token, with or without a customer", async () => {
    for (const token of [jwt(claims()), jwt(claims({ sub: undefined }))]) {
      const response = await get("/api/order-status/commitment", token);
      expect(response.status).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(await response.json()).toEqual({ commitment: { handlingHours: 48, onlineTrackingDays: 3 } });
    }
  });

  it("refuses a forged or expired token", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await get("/api/order-status/commitment", jwt(claims(), "forged"))).status).toBe(401);
    expect((await get("/api/order-status/commitment", jwt(claims({ exp: now - 60 })))).status).toBe(401);
  });

  it("has no commitment for a shop that turned the handling message off, or is not installed", async () => {
    await app.db.shop.update({ where: { domain: TEST_SHOP }, data: { handlingEnabled: false } });
    try {
      expect(await (await get("/api/order-status/commitment", jwt(claims()))).json()).toEqual({ commitment: null });
    } finally {
      await app.db.shop.update({ where: { domain: TEST_SHOP }, data: { handlingEnabled: true } });
    }
    expect(await (await get("/api/order-status/commitment", jwt(claims({ dest: "stranger.myshopify.com" })))).json()).toEqual({ commitment: null });
  });
});
