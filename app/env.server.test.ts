import { afterEach, describe, expect, it, vi } from "vitest";
import { databaseUrl, parseEnv } from "./env.server";
import { redact } from "./log.server";

const valid = { SHOPIFY_API_KEY: "key", SHOPIFY_API_SECRET: "secret", SHOPIFY_APP_URL: "https://app.example" };

describe("environment", () => {
  it("refuses to start without Shopify's variables, naming each", () => {
    expect(() => parseEnv({})).toThrow(/SHOPIFY_API_KEY[\s\S]*SHOPIFY_API_SECRET[\s\S]*SHOPIFY_APP_URL/);
  });

  it("applies the documented defaults", () => {
    const env = parseEnv(valid);
    expect(env).toMatchObject({ PORT: 3000, DATABASE_URL: "file:./prisma/dev.sqlite", WORKER: "on", SENDGRID_BASE_URL: "https://api.sendgrid.com" });
  });

  it("limits request bodies to 4 MiB unless MAX_BODY_BYTES says otherwise, and refuses a limit too small for webhooks", () => {
    expect(parseEnv(valid).MAX_BODY_BYTES).toBe(4 * 1024 * 1024);
    expect(parseEnv({ ...valid, MAX_BODY_BYTES: "8388608" }).MAX_BODY_BYTES).toBe(8_388_608);
    expect(() => parseEnv({ ...valid, MAX_BODY_BYTES: "100" })).toThrow(/MAX_BODY_BYTES/);
  });

  it("gives the database URL without needing Shopify's variables, with the same default", () => {
    vi.stubEnv("DATABASE_URL", "");
    expect(databaseUrl()).toBe(parseEnv(valid).DATABASE_URL);
    vi.stubEnv("DATABASE_URL", "postgresql://parcelwise@db.example/parcelwise");
    expect(databaseUrl()).toBe("postgresql://parcelwise@db.example/parcelwise");
  });
  afterEach(() => vi.unstubAllEnvs());

  it("refuses the Admin API stand-in in production", () => {
    expect(() => parseEnv({ ...valid, NODE_ENV: "production", SHOPIFY_ADMIN_API_STANDIN: "http://127.0.0.1:1" })).toThrow(/not production/);
  });
});

describe("log redaction", () => {
  it("masks secrets and buyer contact details, keeps the rest", () => {
    expect(redact({ shop: "a.myshopify.com", apiKey: "SG.x", email: "b@c.d", nested: { accessToken: "t", topic: "orders/paid" } })).toEqual({
      shop: "a.myshopify.com",
      apiKey: "[redacted]",
      email: "[redacted]",
      nested: { accessToken: "[redacted]", topic: "orders/paid" },
    });
  });
});
