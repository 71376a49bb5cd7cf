import "@shopify/shopify-api/adapters/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { adminHost, appBridgeStandinScript, embeddedUrl, sessionToken, startAdminFrameStandin, type AdminFrameStandin } from "./admin-frame-standin";
import { appBridgeUrlOverride } from "~/admin/app-bridge.server";

const shop = "kumo.myshopify.com";
const api = shopifyApi({
  apiKey: "key-1",
  apiSecretKey: "secret-1",
  apiVersion: ApiVersion.October25,
  hostName: "app.example",
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});

describe("sessionToken", () => {
  it("is what Shopify's own library accepts as the admin's session token", async () => {
    const payload = await api.session.decodeSessionToken(sessionToken(shop, "key-1", "secret-1"));
    expect(payload).toMatchObject({ iss: `https://${shop}/admin`, dest: `https://${shop}`, aud: "key-1", sub: "1" });
    expect(payload.exp - payload.iat).toBe(60);
  });

  it("is refused when signed with another secret, for another app, or expired", async () => {
    await expect(api.session.decodeSessionToken(sessionToken(shop, "key-1", "other-secret"))).rejects.toThrow();
    await expect(api.session.decodeSessionToken(sessionToken(shop, "other-app", "secret-1"))).rejects.toThrow();
    await expect(api.session.decodeSessionToken(sessionToken(shop, "key-1", "secret-1", { now: new Date(Date.now() - 120_000) }))).rejects.toThrow();
  });

  it("goes with a host parameter the library accepts", () => {
    expect(api.utils.sanitizeHost(adminHost(shop))).toBe(adminHost(shop));
    const url = new URL(embeddedUrl("http://127.0.0.1:3000", shop, "/app/settings", "t"));
    expect(Object.fromEntries(url.searchParams)).toEqual({ embedded: "1", shop, host: adminHost(shop), id_token: "t" });
  });
});

describe("appBridgeStandinScript", () => {
  it("holds no secret, only where to ask for a token", () => {
    const script = appBridgeStandinScript({ tokenUrl: "http://127.0.0.1:9/session-token" });
    expect(script).toContain('"http://127.0.0.1:9/session-token"');
    expect(script).not.toMatch(/secret/i);
    expect(() => new Function(script)).not.toThrow();
  });
});

describe("appBridgeUrlOverride", () => {
  it("is honoured only in stand-in mode and never in production", () => {
    const url = "http://127.0.0.1:9/app-bridge.js";
    expect(appBridgeUrlOverride({ NODE_ENV: "development", SHOPIFY_ADMIN_API_STANDIN: "http://127.0.0.1:8" }, url)).toBe(url);
    expect(appBridgeUrlOverride({ NODE_ENV: "production", SHOPIFY_ADMIN_API_STANDIN: "http://127.0.0.1:8" }, url)).toBeUndefined();
    expect(appBridgeUrlOverride({ NODE_ENV: "development", SHOPIFY_ADMIN_API_STANDIN: undefined }, url)).toBeUndefined();
  });
});

describe("startAdminFrameStandin", () => {
  let standin: AdminFrameStandin;
  beforeAll(async () => {
    standin = await startAdminFrameStandin({ appUrl: "http://127.0.0.1:3999", shop, apiKey: "key-1", secret: "secret-1" });
  });
  afterAll(() => standin?.close());

  it("hands tokens to the app's own origin only", async () => {
    const refused = await fetch(`${standin.url}/session-token`, { headers: { Origin: "http://evil.example" } });
    expect(refused.status).toBe(403);
    const given = await fetch(`${standin.url}/session-token`, { headers: { Origin: "http://127.0.0.1:3999" } });
    expect(given.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:3999");
    await expect(api.session.decodeSessionToken(await given.text())).resolves.toMatchObject({ dest: `https://${shop}` });
  });

  it("opens an admin page the way the admin frame loads it, and only app pages", async () => {
    const response = await fetch(standin.adminUrl("/app/templates"), { redirect: "manual" });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location")!);
    expect(location.origin + location.pathname).toBe("http://127.0.0.1:3999/app/templates");
    await expect(api.session.decodeSessionToken(location.searchParams.get("id_token")!)).resolves.toBeTruthy();
    const elsewhere = await fetch(`${standin.url}/admin?path=${encodeURIComponent("//evil.example/")}`, { redirect: "manual" });
    expect(new URL(elsewhere.headers.get("location")!).pathname).toBe("/app");
  });

  it("serves the App Bridge stand-in", async () => {
    const response = await fetch(standin.scriptUrl);
    expect(response.headers.get("content-type")).toContain("javascript");
    expect(await response.text()).toContain(`${standin.url}/session-token`);
  });

  it("refuses to start in production", async () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      await expect(startAdminFrameStandin({ appUrl: "http://127.0.0.1:3999", shop, apiKey: "k", secret: "s" })).rejects.toThrow(/not production/);
    } finally {
      process.env.NODE_ENV = before;
    }
  });
});
