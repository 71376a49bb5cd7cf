// The real server over HTTP: SendGrid's signed Event Webhook in, notification statuses and suppressions
// out; the buyer's unsubscribe link, from the confirmation page and from a mailbox's one-click POST.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eventually, startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { createEventSigner, postSendGridEvents } from "#tests/standins/event-signer";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from "~/mail/events.server";
import { unsubscribeToken, unsubscribeUrl } from "~/mail/unsubscribe";
import { sign } from "~/security/signed-token";
import { DAY_MS } from "~/time";
import type { NotificationStatus } from "~/notifications/status";

const OTHER_SHOP = "parcelwise-other.myshopify.com";
const signer = createEventSigner();
let app: AppServer;
let webhookUrl: string;

beforeAll(async () => {
  app = await startAppServer({ worker: false, seedShops: [TEST_SHOP, OTHER_SHOP], env: { SENDGRID_WEBHOOK_PUBLIC_KEY: signer.publicKey } });
  webhookUrl = `${app.baseUrl}/webhooks/sendgrid`;
});
afterAll(async () => {
  await app?.stop();
});
beforeEach(async () => {
  await app.db.notification.deleteMany();
  await app.db.suppression.deleteMany();
});

let seq = 0;
async function seed(over: { shop?: string; kind?: string; status?: NotificationStatus; recipient?: string; providerMessageId?: string | null } = {}) {
  seq++;
  const status = over.status ?? "sent";
  return app.db.notification.create({
    data: {
      shop: over.shop ?? TEST_SHOP,
      kind: over.kind ?? "shipping_confirmation",
      planKey: `it:${seq}`,
      orderShopifyId: String(1000 + seq),
      locale: "en",
      recipient: over.recipient ?? `buyer${seq}@example.test`,
      scheduledFor: status === "scheduled" ? new Date(Date.now() + 3 * DAY_MS) : new Date(Date.now() - DAY_MS),
      status,
      providerMessageId: over.providerMessageId === undefined ? `sgmsg${seq}` : over.providerMessageId,
      sentAt: status === "scheduled" ? null : new Date(Date.now() - DAY_MS),
    },
  });
}
type Row = Awaited<ReturnType<typeof seed>>;

const event = (n: Row, name: string, extra: Record<string, unknown> = {}) => ({
  email: n.recipient,
  timestamp: Math.floor(Date.now() / 1000) - 60,
  event: name,
  sg_event_id: `evt-${name}-${n.id}`,
  sg_message_id: `${n.providerMessageId}.filterdrecv-5bd8f-1-abc.0`,
  notification_id: n.id,
  shop: n.shop,
  category: ["parcelwise", n.kind],
  ...extra,
});
const state = async () => ({
  notifications: await app.db.notification.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, providerEvent: true, providerEventAt: true, updatedAt: true } }),
  suppressions: await app.db.suppression.findMany({ orderBy: { email: "asc" }, select: { id: true, shop: true, email: true, reason: true } }),
});

describe("POST /webhooks/sendgrid", () => {
  it("applies a signed batch, and the same batch again changes nothing", async () => {
    const [delivered, bounced, spam, unsubscribed] = [await seed(), await seed(), await seed(), await seed()];
    const batch = [
      event(delivered, "processed"),
      event(delivered, "delivered"),
      event(bounced, "bounce", { type: "bounce", reason: "550 5.1.1 The email account does not exist" }),
      event(spam, "delivered"),
      event(spam, "spamreport", { timestamp: Math.floor(Date.now() / 1000) }),
      event(unsubscribed, "unsubscribe"),
    ];
    const response = await postSendGridEvents(webhookUrl, signer, batch);
    expect(response.status).toBe(200);

    const statuses = Object.fromEntries((await app.db.notification.findMany()).map((n) => [n.id, [n.status, n.providerEvent]]));
    expect(statuses).toEqual({
      [delivered.id]: ["delivered", "delivered"],
      [bounced.id]: ["bounced", "bounce"],
      [spam.id]: ["spam", "spamreport"],
      [unsubscribed.id]: ["sent", "unsubscribe"],
    });
    const suppressions = await app.db.suppression.findMany({ select: { shop: true, email: true, reason: true } });
    expect(suppressions).toHaveLength(3);
    expect(suppressions).toEqual(
      expect.arrayContaining([
        { shop: TEST_SHOP, email: bounced.recipient, reason: "bounce" },
        { shop: TEST_SHOP, email: spam.recipient, reason: "spamreport" },
        { shop: TEST_SHOP, email: unsubscribed.recipient, reason: "unsubscribe" },
      ]),
    );

    const before = await state();
    expect((await postSendGridEvents(webhookUrl, signer, batch)).status).toBe(200);
    expect(await state()).toEqual(before);
  });

  it("refuses a batch signed a year ago, with a 403 and a log line, and accepts it signed now", async () => {
    const n = await seed();
    const body = JSON.stringify([event(n, "delivered")]);
    const before = await state();
    const yearAgo = String(Math.floor(Date.now() / 1000) - 365 * 86_400);
    const replayed = await fetch(webhookUrl, { method: "POST", headers: { "Content-Type": "application/json", ...signer.headers(body, yearAgo) }, body });
    expect(replayed.status).toBe(403);
    expect(await replayed.text()).toMatch(/not signed within 600 seconds/);
    expect(app.logs.some((line) => line.includes("signed outside the replay window"))).toBe(true);
    // Eleven minutes ago is outside the default window too, and so is a batch signed ahead of our clock.
    for (const offset of [-660, 660]) {
      const at = String(Math.floor(Date.now() / 1000) + offset);
      expect((await fetch(webhookUrl, { method: "POST", headers: { "Content-Type": "application/json", ...signer.headers(body, at) }, body })).status).toBe(403);
    }
    expect(await state()).toEqual(before);
    const fiveMinutesAgo = String(Math.floor(Date.now() / 1000) - 300);
    expect((await fetch(webhookUrl, { method: "POST", headers: { "Content-Type": "application/json", ...signer.headers(body, fiveMinutesAgo) }, body })).status).toBe(200);
    expect((await postSendGridEvents(webhookUrl, signer, body)).status).toBe(200);
    expect((await app.db.notification.findUniqueOrThrow({ where: { id: n.id } })).status).toBe("delivered");
  });

  it("refuses a forged signature and an unsigned post, and changes nothing", async () => {
    const n = await seed();
    const body = JSON.stringify([event(n, "bounce", { type: "bounce" })]);
    const before = await state();

    const forged = await fetch(webhookUrl, { method: "POST", headers: { "Content-Type": "application/json", ...createEventSigner().headers(body) }, body });
    expect([401, 403]).toContain(forged.status);
    const headers = signer.headers(body);
    const tampered = await fetch(webhookUrl, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: body.replace("bounce", "delivered") });
    expect([401, 403]).toContain(tampered.status);
    const replayedAtOtherTime = await fetch(webhookUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers, [TIMESTAMP_HEADER]: String(Number(headers[TIMESTAMP_HEADER]) + 1) },
      body,
    });
    expect([401, 403]).toContain(replayedAtOtherTime.status);
    const unsigned = await fetch(webhookUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body });
    expect(unsigned.status).toBe(401);
    const noTimestamp = await fetch(webhookUrl, { method: "POST", headers: { "Content-Type": "application/json", [SIGNATURE_HEADER]: headers[SIGNATURE_HEADER] }, body });
    expect(noTimestamp.status).toBe(401);

    expect(await state()).toEqual(before);
  });

  it("answers a signed body that is not a JSON array with 400 and logs it", async () => {
    const malformed = await postSendGridEvents(webhookUrl, signer, '[{"event":"delivered"');
    expect(malformed.status).toBe(400);
    const notArray = await postSendGridEvents(webhookUrl, signer, '{"event":"delivered"}');
    expect(notArray.status).toBe(400);
    await eventually(async () => app.logs.some((line) => line.includes("SendGrid events rejected: body is not JSON")));
    await eventually(async () => app.logs.some((line) => line.includes("not a JSON array")));
  });

  it("acknowledges events about unknown messages with 200 and ignores them", async () => {
    const n = await seed();
    const before = await state();
    const response = await postSendGridEvents(webhookUrl, signer, [
      { ...event(n, "bounce", { type: "bounce" }), notification_id: "ckunknown000000000000000", sg_message_id: "nosuchmessage.filter.0" },
      { email: "stranger@example.test", event: "spamreport", timestamp: 1_790_000_000, sg_message_id: "other-app-message.filter.0" },
    ]);
    expect(response.status).toBe(200);
    expect(await state()).toEqual(before);
  });

  it("does not let an event claiming another shop touch a notification", async () => {
    const victim = await seed({ shop: OTHER_SHOP });
    const before = await state();
    const response = await postSendGridEvents(webhookUrl, signer, [event(victim, "spamreport", { shop: TEST_SHOP })]);
    expect(response.status).toBe(200);
    expect(await state()).toEqual(before);
  });
});

describe("/unsubscribe/<token>", () => {
  const buyer = "Unsub.Buyer@Example.test";
  const link = (mail: Row) => unsubscribeUrl(app.baseUrl, TEST_SECRET, mail);
  // A link mailed before tokens were opaque: the shop and address in base64url JSON, then their MAC.
  const legacyToken = (secret: string) => {
    const payload = Buffer.from(JSON.stringify({ s: TEST_SHOP, e: buyer.toLowerCase() })).toString("base64url");
    return `${payload}.${sign(secret, "parcelwise:unsubscribe:v1:", payload)}`;
  };

  async function scheduledForBuyer() {
    return {
      feedback: await seed({ kind: "feedback_request", status: "scheduled", recipient: buyer, providerMessageId: null }),
      delay: await seed({ kind: "delay_notice", status: "scheduled", recipient: buyer.toLowerCase(), providerMessageId: null }),
      shipping: await seed({ kind: "shipping_confirmation", status: "scheduled", recipient: buyer, providerMessageId: null }),
      otherShop: await seed({ shop: OTHER_SHOP, kind: "feedback_request", status: "scheduled", recipient: buyer, providerMessageId: null }),
    };
  }
  const statusOf = async (n: Row) => (await app.db.notification.findUniqueOrThrow({ where: { id: n.id } })).status;

  it("GET shows a confirmation page naming the shop and changes nothing", async () => {
    const rows = await scheduledForBuyer();
    const before = await state();
    const response = await fetch(link(rows.feedback));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    const html = await response.text();
    const shop = await app.db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    expect(html).toContain(`You will no longer receive these emails from ${shop.name || TEST_SHOP}`);
    expect(html).toMatch(/<form method="post">/);
    expect(html).not.toMatch(/<script/i);
    expect(await state()).toEqual(before);
  });

  it("POST from the page suppresses the buyer and cancels their scheduled feedback request and delay notice", async () => {
    const rows = await scheduledForBuyer();
    const response = await fetch(link(rows.delay), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("You are unsubscribed");
    expect(await app.db.suppression.findMany({ select: { shop: true, email: true, reason: true } })).toEqual([
      { shop: TEST_SHOP, email: buyer.toLowerCase(), reason: "unsubscribe" },
    ]);
    expect(await statusOf(rows.feedback)).toBe("cancelled");
    expect(await statusOf(rows.delay)).toBe("cancelled");
    expect(await statusOf(rows.shipping)).toBe("scheduled");
    expect(await statusOf(rows.otherShop)).toBe("scheduled");

    const before = await state();
    expect((await fetch(link(rows.delay), { method: "POST", body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }) })).status).toBe(200);
    expect(await state()).toEqual(before);
  });

  it("a mailbox's one-click POST (RFC 8058, multipart) works", async () => {
    const rows = await scheduledForBuyer();
    const form = new FormData();
    form.set("List-Unsubscribe", "One-Click");
    const response = await fetch(link(rows.feedback), { method: "POST", body: form });
    expect(response.status).toBe(200);
    expect(await app.db.suppression.count({ where: { shop: TEST_SHOP, email: buyer.toLowerCase(), reason: "unsubscribe" } })).toBe(1);
    expect(await statusOf(rows.feedback)).toBe("cancelled");
  });

  it("answers a bad or tampered token with a 400 page, for GET and POST, and changes nothing", async () => {
    const rows = await scheduledForBuyer();
    const before = await state();
    const token = unsubscribeToken(TEST_SECRET, rows.feedback);
    const forged = unsubscribeToken("not-the-app-secret", rows.feedback);
    // The last character of a 16-byte MAC carries 4 padding bits: a sibling spelling decodes alike.
    const sibling = token.slice(0, -1) + String.fromCharCode(token.charCodeAt(token.length - 1) + 1);
    expect(Buffer.from(sibling.split(".")[1], "base64url")).toEqual(Buffer.from(token.split(".")[1], "base64url"));
    // Another shop's notification id under this shop's MAC, and a legacy link signed with another secret.
    const otherShops = `${rows.otherShop.id}.${token.split(".")[1]}`;
    for (const bad of ["nonsense", `${token}x`, forged, sibling, otherShops, legacyToken("not-the-app-secret")]) {
      const get = await fetch(`${app.baseUrl}/unsubscribe/${bad}`);
      expect(get.status).toBe(400);
      expect(await get.text()).toMatch(/link is invalid/);
      const post = await fetch(`${app.baseUrl}/unsubscribe/${bad}`, { method: "POST", body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }) });
      expect(post.status).toBe(400);
    }
    expect(await state()).toEqual(before);
  });
});

describe("unsubscribe tokens", () => {
  it("name the notification, never the buyer's address, in any decoding", async () => {
    const mail = await seed({ kind: "feedback_request", status: "sent", recipient: "Private.Person@Example.test", providerMessageId: null });
    const token = unsubscribeToken(TEST_SECRET, mail);
    const [id, mac] = token.split(".");
    expect(id).toBe(mail.id);
    for (const part of [token, id, mac]) {
      for (const decoded of [part, Buffer.from(part, "base64url").toString("latin1"), Buffer.from(part, "base64").toString("latin1")]) {
        // (Random MAC bytes can decode to a stray "@": look for the address's own parts.)
        for (const piece of ["private", "person", "example.test"]) expect(decoded.toLowerCase()).not.toContain(piece);
      }
    }
    // Still unsubscribes that address.
    expect((await fetch(`${app.baseUrl}/unsubscribe/${token}`, { method: "POST", body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }) })).status).toBe(200);
    expect(await app.db.suppression.count({ where: { shop: TEST_SHOP, email: "private.person@example.test" } })).toBe(1);
  });

  it("a link mailed before tokens were opaque still unsubscribes its buyer", async () => {
    const payload = Buffer.from(JSON.stringify({ s: TEST_SHOP, e: "old.link@example.test" })).toString("base64url");
    const legacy = `${payload}.${sign(TEST_SECRET, "parcelwise:unsubscribe:v1:", payload)}`;
    expect((await fetch(`${app.baseUrl}/unsubscribe/${legacy}`)).status).toBe(200);
    expect((await fetch(`${app.baseUrl}/unsubscribe/${legacy}`, { method: "POST", body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }) })).status).toBe(200);
    expect(await app.db.suppression.count({ where: { shop: TEST_SHOP, email: "old.link@example.test" } })).toBe(1);
  });
});

describe("without SENDGRID_WEBHOOK_PUBLIC_KEY", () => {
  let keyless: AppServer;
  beforeAll(async () => {
    keyless = await startAppServer({ worker: false });
  });
  afterAll(async () => {
    await keyless?.stop();
  });

  it("refuses every event, signed or not", async () => {
    const response = await postSendGridEvents(`${keyless.baseUrl}/webhooks/sendgrid`, signer, []);
    expect(response.status).toBe(503);
    await eventually(async () => keyless.logs.some((line) => line.includes("SENDGRID_WEBHOOK_PUBLIC_KEY is not set")));
  });
});
