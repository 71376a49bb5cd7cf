// The admin over HTTP against the real built server, as App Bridge would call it (session tokens signed
// with the app secret): every loader and action is scoped to the session's shop whatever the URL or form
// says, requests without a valid token get nothing, and a shop's SendGrid key never comes back out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { ADMIN_USER_AGENT, sessionToken, TEST_APP_API_KEY } from "../support/admin-browser";
import { embeddedUrl } from "#tests/standins/admin-frame-standin";

const OTHER_SHOP = "parcelwise-other.myshopify.com";
const SHOP_KEY = "SG.shopOwnKey0001.NeverSendThisToABrowser42";
const MARKER = "Only-for-parcelwise-test {{ order.name }}";
let app: AppServer;
const bodies: string[] = [];

const token = (shop: string, secret = TEST_SECRET, apiKey = TEST_APP_API_KEY) => sessionToken(shop, apiKey, secret);

/** A request as App Bridge sends it from the admin: the route's data, with a Bearer session token. */
async function admin(shop: string | null, path: string, init: { method?: string; form?: Record<string, string>; bearer?: string } = {}) {
  const url = new URL(path, app.baseUrl);
  const headers: Record<string, string> = { "User-Agent": ADMIN_USER_AGENT };
  const bearer = init.bearer ?? (shop ? token(shop) : null);
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  const response = await fetch(url, {
    method: init.method ?? (init.form ? "POST" : "GET"),
    headers,
    body: init.form ? new URLSearchParams(init.form) : undefined,
    redirect: "manual",
  });
  const body = await response.text();
  bodies.push(body);
  return { status: response.status, body, json: () => JSON.parse(body) as Record<string, unknown> };
}

const data = (path: string, route: string) => `${path}${path.includes("?") ? "&" : "?"}_data=${encodeURIComponent(route)}`;
const EDITOR = "routes/app.templates.$kind";
const editor = (params = "locale=en") => data(`/app/templates/shipping_confirmation?${params}`, EDITOR);
const settings = (params = "") => data(`/app/settings${params}`, "routes/app.settings");

/** The page itself, as the admin loads it into its frame. */
async function document(shop: string, path: string, params: Record<string, string> = {}) {
  const url = new URL(embeddedUrl(app.baseUrl, shop, path, token(shop)));
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  const response = await fetch(url, { headers: { "User-Agent": ADMIN_USER_AGENT }, redirect: "manual" });
  const body = await response.text();
  bodies.push(body);
  return { status: response.status, body };
}

const shopRow = (domain: string) => app.db.shop.findUniqueOrThrow({ where: { domain } });
const timing = (feedbackDelayDays: string) => ({
  intent: "timing", handlingEnabled: "on", handlingDelayMinutes: "10", handlingHours: "48", onlineTrackingDays: "3", shippingEnabled: "on",
  feedbackEnabled: "on", feedbackDelayDays, feedbackFallbackDays: "5", delayGraceDays: "3", silenceDays: "7", estimateCoveragePercent: "90", atRiskRule: "learned",
});
const template = { subject: MARKER, html: "<p>{{ order.name }}</p>", text: "{{ order.name }}" };

beforeAll(async () => {
  app = await startAppServer({ worker: false, seedShops: [TEST_SHOP, OTHER_SHOP] });
  // The shop whose data the other one tries to reach.
  expect((await admin(TEST_SHOP, editor(), { form: { intent: "save", locale: "en", ...template } })).status).toBe(200);
  expect((await admin(TEST_SHOP, data("/app/templates?index", "routes/app.templates._index"), { form: { intent: "add-locale", locale: "nl" } })).status).toBe(200);
  expect((await admin(TEST_SHOP, settings("?index"), { form: timing("21") })).status).toBe(200);
  expect((await admin(TEST_SHOP, settings("?index"), { form: { intent: "api-key", sendgridApiKey: SHOP_KEY } })).status).toBe(200);
});
afterAll(async () => {
  await app?.stop();
});

describe("another shop's session", () => {
  it("reads its own template, whatever shop the URL names", async () => {
    const own = await admin(TEST_SHOP, editor());
    expect(own.body).toContain("Only-for-parcelwise-test");
    for (const params of [`locale=en&shop=${TEST_SHOP}`, `locale=nl&shop=${TEST_SHOP}`]) {
      const other = await admin(OTHER_SHOP, editor(params));
      expect(other.status).toBe(200);
      expect(other.body).not.toContain("Only-for-parcelwise-test");
      expect((other.json().template as { customized: boolean }).customized).toBe(false);
    }
    const page = await document(OTHER_SHOP, "/app/templates/shipping_confirmation", { locale: "en", shop: TEST_SHOP });
    expect(page.status).toBe(200);
    expect(page.body).not.toContain("Only-for-parcelwise-test");
    const list = await admin(OTHER_SHOP, data(`/app/templates?shop=${TEST_SHOP}`, "routes/app.templates._index"));
    expect((list.json().locales as Array<{ locale: string }>).map((l) => l.locale)).not.toContain("nl");
  });

  it("changes only its own templates", async () => {
    const save = await admin(OTHER_SHOP, editor(`locale=en&shop=${TEST_SHOP}`), { form: { intent: "save", locale: "en", shop: TEST_SHOP, subject: "Overwritten", html: "x", text: "x" } });
    expect(save.status).toBe(200);
    expect((await app.db.template.findMany({ where: { shop: OTHER_SHOP } })).map((t) => t.subject)).toEqual(["Overwritten"]);
    await admin(OTHER_SHOP, editor(`locale=en&shop=${TEST_SHOP}`), { form: { intent: "reset", locale: "en", shop: TEST_SHOP } });
    await admin(OTHER_SHOP, data(`/app/templates?index&shop=${TEST_SHOP}`, "routes/app.templates._index"), { form: { intent: "remove-locale", locale: "nl", shop: TEST_SHOP } });
    const mine = await app.db.template.findMany({ where: { shop: TEST_SHOP } });
    expect(mine.find((t) => t.kind === "shipping_confirmation" && t.locale === "en")?.subject).toBe(MARKER);
    expect(mine.filter((t) => t.locale === "nl")).toHaveLength(5);
    // Its reset removed its own row only.
    expect(await app.db.template.count({ where: { shop: OTHER_SHOP } })).toBe(0);
  });

  it("reads and changes only its own settings", async () => {
    const other = await admin(OTHER_SHOP, settings(`?shop=${TEST_SHOP}`));
    expect(other.status).toBe(200);
    const loaded = other.json() as { timing: { feedbackDelayDays: number }; sendgrid: { ownKey: boolean } };
    expect(loaded.timing.feedbackDelayDays).toBe(7);
    expect(loaded.sendgrid.ownKey).toBe(false);

    await admin(OTHER_SHOP, settings(`?index&shop=${TEST_SHOP}`), { form: { ...timing("30"), shop: TEST_SHOP } });
    await admin(OTHER_SHOP, settings(`?index&shop=${TEST_SHOP}`), { form: { intent: "remove-api-key", shop: TEST_SHOP } });
    await admin(OTHER_SHOP, settings(`?index&shop=${TEST_SHOP}`), { form: { intent: "sender", senderEmail: "attacker@evil.example", shop: TEST_SHOP } });
    expect(await shopRow(TEST_SHOP)).toMatchObject({ feedbackDelayDays: 21, senderEmail: null, sendgridApiKeyEncrypted: expect.stringMatching(/^v2\./) });
    expect(await shopRow(OTHER_SHOP)).toMatchObject({ feedbackDelayDays: 30, senderEmail: "attacker@evil.example" });
  });
});

describe("requests without a valid session token", () => {
  it("get no data: missing, forged, for another app, or expired", async () => {
    const expired = sessionToken(TEST_SHOP, TEST_APP_API_KEY, TEST_SECRET, { now: new Date(Date.now() - 5 * 60_000) });
    for (const bearer of [token(TEST_SHOP, "not-the-app-secret"), token(TEST_SHOP, TEST_SECRET, "another-app"), expired]) {
      const response = await admin(null, editor(), { bearer });
      expect(response.status).toBe(401);
      expect(response.body).not.toContain("Only-for-parcelwise-test");
    }
    for (const path of [editor(), settings(), data("/app", "routes/app._index")]) {
      const anonymous = await admin(null, path);
      expect(anonymous.status).not.toBe(200);
      expect(anonymous.body).not.toContain("Only-for-parcelwise-test");
      expect(anonymous.body).not.toContain("feedbackDelayDays");
    }
    const forgedSave = await admin(null, editor(), { bearer: token(TEST_SHOP, "not-the-app-secret"), form: { intent: "save", locale: "en", subject: "Forged", html: "x", text: "x" } });
    expect(forgedSave.status).toBe(401);
    expect((await app.db.template.findFirstOrThrow({ where: { shop: TEST_SHOP, kind: "shipping_confirmation", locale: "en" } })).subject).toBe(MARKER);
  });
});

describe("the shop's SendGrid API key", () => {
  it("is not echoed when refused", async () => {
    const refused = await admin(TEST_SHOP, settings("?index"), { form: { intent: "api-key", sendgridApiKey: "SG.tooShort" } });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("sendgridApiKey");
    expect(refused.body).not.toContain("SG.tooShort");
  });

  it("never appears in any response, page or log", async () => {
    for (const path of ["/app", "/app/settings", "/app/templates", "/app/templates/feedback_request"]) {
      const page = await document(TEST_SHOP, path);
      expect(page.status).toBe(200);
    }
    for (const [path, route] of [["/app", "routes/app._index"], ["/app", "routes/app"], ["/app/settings", "routes/app.settings"], ["/app/templates", "routes/app.templates._index"]]) {
      expect((await admin(TEST_SHOP, data(path, route))).status).toBe(200);
    }
    const sealed = (await shopRow(TEST_SHOP)).sendgridApiKeyEncrypted!;
    expect(bodies.length).toBeGreaterThan(15);
    for (const body of bodies) {
      expect(body).not.toContain(SHOP_KEY);
      expect(body).not.toContain(sealed);
      expect(body).not.toContain(TEST_SECRET);
    }
    expect(app.logs.join("\n")).not.toContain(SHOP_KEY);
  });
});
