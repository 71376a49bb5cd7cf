import { afterEach, describe, expect, it, vi } from "vitest";
import { databaseUrl, laneLearningOn, parseEnv, renderSettings } from "./env.server";
import { redact } from "./log.server";

const valid = { SHOPIFY_API_KEY: "key", SHOPIFY_API_SECRET: "secret", SHOPIFY_APP_URL: "https://app.example", ENCRYPTION_KEY: "a".repeat(64) };

describe("environment", () => {
  it("refuses to start without Shopify's variables, naming each", () => {
    expect(() => parseEnv({})).toThrow(/SHOPIFY_API_KEY[\s\S]*SHOPIFY_API_SECRET[\s\S]*SHOPIFY_APP_URL/);
  });

  it("refuses to start without a valid ENCRYPTION_KEY, naming it and saying how to make one", () => {
    const { ENCRYPTION_KEY: _unset, ...withoutKey } = valid;
    expect(() => parseEnv(withoutKey)).toThrow(/ENCRYPTION_KEY: is required[\s\S]*openssl rand -base64 32/);
    expect(() => parseEnv({ ...valid, ENCRYPTION_KEY: "my-app-secret" })).toThrow(/ENCRYPTION_KEY: must be 32 random bytes, base64 or hex[\s\S]*openssl rand -base64 32/);
    expect(() => parseEnv({ ...valid, ENCRYPTION_KEY_PREVIOUS: `${"b".repeat(64)},short` })).toThrow(/ENCRYPTION_KEY_PREVIOUS/);
    expect(parseEnv({ ...valid, ENCRYPTION_KEY_PREVIOUS: "b".repeat(64) }).ENCRYPTION_KEY_PREVIOUS).toBe("b".repeat(64));
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

  it("claims at most 500 notifications a batch, and refuses a larger WORKER_BATCH_SIZE at start", () => {
    expect(parseEnv(valid).WORKER_BATCH_SIZE).toBe(200);
    expect(parseEnv({ ...valid, WORKER_BATCH_SIZE: "500" }).WORKER_BATCH_SIZE).toBe(500);
    expect(() => parseEnv({ ...valid, WORKER_BATCH_SIZE: "1000" })).toThrow(/WORKER_BATCH_SIZE/);
  });

  it("gives the database URL without needing Shopify's variables, with the same default", () => {
    vi.stubEnv("DATABASE_URL", "");
    expect(databaseUrl()).toBe(parseEnv(valid).DATABASE_URL);
    vi.stubEnv("DATABASE_URL", "postgresql://parcelwise@db.example/parcelwise");
    expect(databaseUrl()).toBe("postgresql://parcelwise@db.example/parcelwise");
  });
  afterEach(() => vi.unstubAllEnvs());

  it("learns lanes unless LANE_LEARNING=off, and refuses anything else", () => {
    expect(parseEnv(valid).LANE_LEARNING).toBe("on");
    vi.stubEnv("LANE_LEARNING", "");
    expect(laneLearningOn()).toBe(true);
    vi.stubEnv("LANE_LEARNING", "off");
    expect(laneLearningOn()).toBe(false);
    vi.stubEnv("LANE_LEARNING", "no");
    expect(() => laneLearningOn()).toThrow(/LANE_LEARNING/);
  });

  it("defaults the link and replay windows, and refuses a trusted proxy list it cannot read", () => {
    expect(parseEnv(valid)).toMatchObject({ TRACKING_LINK_MAX_AGE_DAYS: 180, SENDGRID_EVENT_MAX_AGE_SECONDS: 600 });
    expect(parseEnv({ ...valid, TRUSTED_PROXIES: "10.0.0.0/8, ::1" }).TRUSTED_PROXIES).toBe("10.0.0.0/8, ::1");
    expect(() => parseEnv({ ...valid, TRUSTED_PROXIES: "10.0.0.0/8, the-load-balancer" })).toThrow(/TRUSTED_PROXIES: not an IP address or CIDR range: the-load-balancer/);
  });

  it("gives the render pools' settings without Shopify's variables: 2 s limits by default, and refuses a limit under 50 ms", () => {
    expect(renderSettings()).toMatchObject({ RENDER_PREVIEW_LIMIT_MS: 2000, RENDER_MAIL_LIMIT_MS: 2000 });
    expect(renderSettings().RENDER_THREADS).toBeGreaterThanOrEqual(1);
    vi.stubEnv("RENDER_THREADS", "3");
    vi.stubEnv("RENDER_MAIL_LIMIT_MS", "5000");
    expect(renderSettings()).toMatchObject({ RENDER_THREADS: 3, RENDER_MAIL_LIMIT_MS: 5000 });
    vi.stubEnv("RENDER_PREVIEW_LIMIT_MS", "10");
    expect(() => renderSettings()).toThrow(/RENDER_PREVIEW_LIMIT_MS/);
  });

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
