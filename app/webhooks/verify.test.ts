// The webhook route's verification (verify.server.ts) against @shopify/shopify-api's own
// `webhooks.validate`, delivery by delivery: Shopify's sample payloads signed as Shopify signs them, the
// same with a forged, truncated or re-encoded signature, a changed body, each required header missing,
// an event subscription's headers, repeated headers and an empty body. Same verdict, same fields.
import "@shopify/shopify-api/adapters/web-api";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { shopifyHmac } from "#tests/standins/sign";
import { verifyWebhook } from "./verify.server";

const SECRET = "test-app-secret";
const api = shopifyApi({ apiKey: "test-api-key", apiSecretKey: SECRET, apiVersion: ApiVersion.October26, hostName: "parcelwise.test", isEmbeddedApp: true, logger: { level: 0, log: () => {} } });

const fixtures = join(import.meta.dirname, "..", "..", "tests", "fixtures", "shopify-webhooks");
const samples = readdirSync(fixtures)
  .filter((f) => f.endsWith(".json"))
  .map((file) => ({ file, body: readFileSync(join(fixtures, file), "utf8"), topic: file.split(".")[0]!.replace("_", "/") }));

function headersFor(body: string, topic: string, extra: Record<string, string> = {}): Headers {
  return new Headers({
    "Content-Type": "application/json",
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": "kumo-ceramics.myshopify.com",
    "X-Shopify-API-Version": "2026-07",
    "X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
    "X-Shopify-Event-Id": "98880550-7158-44d4-b7cd-2c97c8a091b5",
    "X-Shopify-Triggered-At": "2026-11-20T12:00:00.000Z",
    "X-Shopify-Hmac-Sha256": shopifyHmac(SECRET, body),
    ...extra,
  });
}

async function libraryVerdict(body: string, headers: Headers): Promise<unknown> {
  const request = new Request("https://parcelwise.test/webhooks/x", { method: "POST", headers, body: body || undefined });
  return api.webhooks.validate({ rawBody: body, rawRequest: request });
}

async function expectSameVerdict(body: string, headers: Headers): Promise<unknown> {
  const ours = verifyWebhook(SECRET, body, headers);
  expect(ours).toEqual(await libraryVerdict(body, headers));
  return ours;
}

describe("verifyWebhook gives @shopify/shopify-api's verdict", () => {
  it.each(samples)("on Shopify's sample $file, signed as Shopify signs it", async ({ body, topic }) => {
    expect(await expectSameVerdict(body, headersFor(body, topic))).toMatchObject({ valid: true, webhookType: "webhooks", domain: "kumo-ceramics.myshopify.com" });
  });

  it.each(samples)("on $file with a forged, truncated or stale signature, or a changed body: invalid HMAC", async ({ body, topic }) => {
    const good = shopifyHmac(SECRET, body);
    for (const hmac of [shopifyHmac("another-secret", body), good.slice(0, -2), good.replace(/=+$/, ""), good.toLowerCase(), Buffer.from(good, "base64").toString("hex")]) {
      expect(await expectSameVerdict(body, headersFor(body, topic, { "X-Shopify-Hmac-Sha256": hmac }))).toMatchObject({ valid: false, reason: "invalid_hmac" });
    }
    const changed = body.replace(/\d/, (d) => String((Number(d) + 1) % 10));
    expect(await expectSameVerdict(changed, headersFor(body, topic))).toMatchObject({ valid: false, reason: "invalid_hmac" });
  });

  it("on each required header missing or empty, and on all of them missing", async () => {
    const { body, topic } = samples.find((s) => s.file.startsWith("orders_paid"))!;
    for (const name of ["X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-API-Version", "X-Shopify-Webhook-Id"]) {
      const headers = headersFor(body, topic);
      headers.delete(name);
      expect(await expectSameVerdict(body, headers)).toEqual({ valid: false, reason: "missing_headers", missingHeaders: [name] });
      expect(await expectSameVerdict(body, headersFor(body, topic, { [name]: "" }))).toMatchObject({ valid: false, reason: "missing_headers" });
    }
    const bare = new Headers({ "X-Shopify-Hmac-Sha256": shopifyHmac(SECRET, body) });
    expect(await expectSameVerdict(body, bare)).toMatchObject({ valid: false, reason: "missing_headers" });
  });

  it("without the optional headers, with headers repeated or in another case, and with no HMAC or no body", async () => {
    const { body, topic } = samples.find((s) => s.file.startsWith("fulfillments_create"))!;
    const headers = headersFor(body, topic);
    for (const name of ["X-Shopify-Event-Id", "X-Shopify-Triggered-At"]) headers.delete(name);
    expect(await expectSameVerdict(body, headers)).toMatchObject({ valid: true });
    const shouted = new Headers();
    for (const [name, value] of headersFor(body, topic, { "X-Shopify-Name": "parcelwise" })) shouted.append(name.toUpperCase(), value);
    shouted.append("x-shopify-webhook-id", "a-second-id");
    expect(await expectSameVerdict(body, shouted)).toMatchObject({ valid: true, name: "parcelwise" });
    const unsigned = headersFor(body, topic);
    unsigned.delete("X-Shopify-Hmac-Sha256");
    expect(await expectSameVerdict(body, unsigned)).toEqual({ valid: false, reason: "missing_hmac" });
    expect(await expectSameVerdict("", headersFor("", topic))).toEqual({ valid: false, reason: "missing_body" });
  });

  it("on an event subscription's delivery (Shopify-* headers)", async () => {
    const { body } = samples.find((s) => s.file.startsWith("orders_paid"))!;
    const headers = new Headers({
      "shopify-hmac-sha256": shopifyHmac(SECRET, body),
      "shopify-topic": "orders/paid",
      "shopify-shop-domain": "kumo-ceramics.myshopify.com",
      "shopify-api-version": "2026-07",
      "shopify-webhook-id": "e1",
      "shopify-handle": "parcelwise-orders",
      "shopify-action": "create",
      "shopify-triggered-at": "2026-11-20T12:00:00.000Z",
    });
    expect(await expectSameVerdict(body, headers)).toMatchObject({ valid: true, webhookType: "events", topic: "ORDERS_PAID", handle: "parcelwise-orders" });
    headers.set("shopify-hmac-sha256", shopifyHmac("another-secret", body));
    expect(await expectSameVerdict(body, headers)).toMatchObject({ valid: false, reason: "invalid_hmac" });
    headers.set("shopify-hmac-sha256", shopifyHmac(SECRET, body));
    headers.delete("shopify-webhook-id");
    expect(await expectSameVerdict(body, headers)).toEqual({ valid: false, reason: "missing_headers", missingHeaders: ["shopify-webhook-id"] });
  });

  it("on a body with non-ASCII text, signed over its UTF-8 bytes", async () => {
    const body = JSON.stringify({ id: 1, note: "Grüße aus Köln, 東京から 📦" });
    expect(await expectSameVerdict(body, headersFor(body, "orders/paid"))).toMatchObject({ valid: true });
  });
});
