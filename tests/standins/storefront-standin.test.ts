import "@shopify/shopify-api/adapters/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { signedAppProxyQuery, startStorefrontStandin, type StorefrontStandin } from "./storefront-standin";

const shop = "kumo.myshopify.com";
const api = shopifyApi({
  apiKey: "key-1",
  apiSecretKey: "secret-1",
  apiVersion: ApiVersion.October25,
  hostName: "app.example",
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});

describe("signedAppProxyQuery", () => {
  it("is what Shopify's own library accepts as an app proxy request, and only with the app's secret", async () => {
    const query = Object.fromEntries(new URLSearchParams(signedAppProxyQuery(new URLSearchParams({ order: "1001", t: "abc" }), shop, "secret-1")));
    expect(query).toMatchObject({ order: "1001", t: "abc", shop, path_prefix: "/apps/parcelwise" });
    expect(await api.utils.validateHmac(query, { signator: "appProxy" })).toBe(true);
    const forged = Object.fromEntries(new URLSearchParams(signedAppProxyQuery(new URLSearchParams({ order: "1001" }), shop, "other-secret")));
    expect(await api.utils.validateHmac(forged, { signator: "appProxy" })).toBe(false);
  });
});

describe("startStorefrontStandin", () => {
  let app: http.Server;
  let standin: StorefrontStandin;
  const seen: string[] = [];
  beforeAll(async () => {
    app = http.createServer((req, res) => {
      seen.push(req.url ?? "");
      res.writeHead(200, { "Content-Type": "application/liquid" }).end("<p>the block</p>");
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    standin = await startStorefrontStandin({ appUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}`, shop, secret: "secret-1", storeName: "Kumo" });
  });
  afterAll(async () => {
    await standin?.close();
    await new Promise((resolve) => app.close(resolve));
  });

  it("forwards /apps/parcelwise/* to the app's /proxy/* signed, and wraps a Liquid answer in the theme", async () => {
    const answer = await fetch(`${standin.url}/apps/parcelwise/track?order=1001`);
    expect(answer.status).toBe(200);
    expect(await answer.text()).toMatch(/<title>Kumo<\/title>[\s\S]*<p>the block<\/p>/);
    const forwarded = new URL(seen.at(-1)!, "http://app");
    expect(forwarded.pathname).toBe("/proxy/track");
    expect(await api.utils.validateHmac(Object.fromEntries(forwarded.searchParams), { signator: "appProxy" })).toBe(true);
  });

  it("serves no theme page without the block, and no file outside the block's assets", async () => {
    expect((await fetch(`${standin.url}/pages/track`)).status).toBe(404);
    expect((await fetch(`${standin.url}/cdn/shop/t/1/assets/track-order.js`)).status).toBe(200);
    expect((await fetch(`${standin.url}/cdn/shop/t/1/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it("refuses to start in production", async () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      await expect(startStorefrontStandin({ appUrl: "http://127.0.0.1:3999", shop, secret: "s" })).rejects.toThrow(/not production/);
    } finally {
      process.env.NODE_ENV = before;
    }
  });
});
