// Delivering contact-form messages (app/feedback/contact-send.server.ts) against real databases: claims
// are disjoint under concurrency and resume expired leases, and each answer SendGrid can give leaves the
// message sent, waiting or failed, never lost.
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~/db.server";
import type { Mailer, OutgoingMail, SendResult } from "~/mail/sendgrid.server";
import { claimContactMessages, deliverContactMessage, type ContactSendOptions } from "~/feedback/contact-send.server";
import { ago, backends, buyer, DAY, MINUTE, NOW, useDatabase } from "./harness";

const APP_FROM = { email: "notifications@parcelwise.test", name: "Parcelwise" };

/** A mailer answering from a script, keeping what it was given. */
function scripted(...answers: SendResult[]): Mailer & { sent: OutgoingMail[] } {
  const sent: OutgoingMail[] = [];
  return {
    sent,
    async send(mail) {
      sent.push(mail);
      return answers.shift() ?? { ok: true, messageId: `m${sent.length}`, status: 202 };
    },
  };
}

describe.each(backends)("contact messages on $name", (backend) => {
  const suite = useDatabase(backend);
  let db: Db;
  beforeAll(() => {
    db = suite.db;
  });

  async function shopWithMessage(label: string, shopData: Record<string, unknown> = { contactEmail: "owner@kumo.example" }) {
    const shop = await suite.newShop(label, { name: "Kumo" });
    await db.shop.update({ where: { domain: shop }, data: shopData });
    await suite.paidOrder(shop, 5001, buyer("Ann", { email: "ann@example.com" }), ago(20 * DAY));
    const message = await db.contactMessage.create({ data: { shop, notificationId: "n1", orderShopifyId: "5001", message: "It broke.", rating: 1, availableAt: ago(MINUTE) } });
    return { shop, message };
  }

  const claimOne = async (id: string) => (await claimContactMessages(db, NOW, 100, 2 * MINUTE)).find((m) => m.id === id)!;

  it("claims each due message once under concurrent workers, and takes over an expired lease", async () => {
    const shop = await suite.newShop("contact-claims");
    await db.contactMessage.deleteMany({});
    for (let i = 0; i < 12; i++) await db.contactMessage.create({ data: { shop, notificationId: `n${i}`, orderShopifyId: `${i}`, message: `m${i}`, availableAt: ago(MINUTE) } });
    await db.contactMessage.create({ data: { shop, notificationId: "later", orderShopifyId: "99", message: "later", availableAt: new Date(NOW.getTime() + MINUTE) } });
    const claims = await Promise.all([1, 2, 3].map(() => claimContactMessages(db, NOW, 100, 2 * MINUTE)));
    const ids = claims.flat().map((m) => m.id);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    expect(claims.flat().every((m) => m.status === "sending" && m.attempts === 1)).toBe(true);
    // Nothing more is due until the leases run out; then a worker takes them over.
    expect(await claimContactMessages(db, NOW, 100, 2 * MINUTE)).toHaveLength(0);
    const afterLease = await claimContactMessages(db, new Date(NOW.getTime() + 3 * MINUTE), 100, 2 * MINUTE);
    expect(afterLease.map((m) => m.message).sort()).toEqual([...claims.flat().map((m) => m.message), "later"].sort());
    await db.contactMessage.deleteMany({});
  });

  it("is sent to the shop's reply address from its sender, Reply-To the buyer, and marked sent", async () => {
    const { shop, message } = await shopWithMessage("contact-sent", { contactEmail: "owner@kumo.example", replyToEmail: "care@kumo.example" });
    const mailer = scripted();
    const options: ContactSendOptions = { db, mailer, from: APP_FROM };
    expect(await deliverContactMessage(options, await claimOne(message.id), NOW)).toBe("sent");
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({ to: "care@kumo.example", replyTo: "ann@example.com", from: { email: APP_FROM.email, name: "Kumo" }, subject: "Re: Your order #1001" });
    expect(await db.contactMessage.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ shop, status: "sent", providerMessageId: "m1", leaseUntil: null, lastError: null });
  });

  it("waits through a SendGrid outage and a rate limit, and fails only on a refusal", async () => {
    const { message } = await shopWithMessage("contact-retries");
    const mailer = scripted(
      { ok: false, retryable: true, status: 500, error: "SendGrid HTTP 500" },
      { ok: false, retryable: true, status: 429, error: "SendGrid HTTP 429", retryAfterMs: 30_000 },
    );
    const options: ContactSendOptions = { db, mailer, from: APP_FROM };
    expect(await deliverContactMessage(options, await claimOne(message.id), NOW)).toBe("retried");
    const waiting = await db.contactMessage.findUniqueOrThrow({ where: { id: message.id } });
    expect(waiting).toMatchObject({ status: "queued", attempts: 1, lastError: "SendGrid HTTP 500" });
    expect(waiting.availableAt.getTime()).toBeGreaterThan(NOW.getTime());
    const retryAt = new Date(waiting.availableAt.getTime() + 1);
    const [again] = await claimContactMessages(db, retryAt, 100, 2 * MINUTE);
    expect(await deliverContactMessage(options, again!, retryAt)).toBe("retried");
    // A rate limit spends no attempt.
    expect(await db.contactMessage.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ status: "queued", attempts: 1 });

    const refused = await shopWithMessage("contact-refused");
    const bad = scripted({ ok: false, retryable: false, status: 400, error: "SendGrid HTTP 400: bad" });
    expect(await deliverContactMessage({ db, mailer: bad, from: APP_FROM }, await claimOne(refused.message.id), NOW)).toBe("failed");
    expect(await db.contactMessage.findUniqueOrThrow({ where: { id: refused.message.id } })).toMatchObject({ status: "failed", lastError: "SendGrid HTTP 400: bad" });
  });

  it("falls back to the app's sender when SendGrid refuses the shop's own, and waits while the shop has no address", async () => {
    const verified = await shopWithMessage("contact-sender", { contactEmail: "owner@kumo.example", senderEmail: "hello@kumo.example", senderVerifiedAt: ago(DAY) });
    const mailer = scripted({ ok: false, retryable: false, status: 403, error: "SendGrid HTTP 403: not verified" });
    expect(await deliverContactMessage({ db, mailer, from: APP_FROM }, await claimOne(verified.message.id), NOW)).toBe("sent");
    expect(mailer.sent.map((m) => m.from.email)).toEqual(["hello@kumo.example", APP_FROM.email]);

    const nowhere = await shopWithMessage("contact-nowhere", { contactEmail: null });
    const unused = scripted();
    expect(await deliverContactMessage({ db, mailer: unused, from: APP_FROM }, await claimOne(nowhere.message.id), NOW)).toBe("retried");
    expect(unused.sent).toHaveLength(0);
    expect(await db.contactMessage.findUniqueOrThrow({ where: { id: nowhere.message.id } })).toMatchObject({ status: "queued", attempts: 0, lastError: "the shop has no contact or reply-to address" });
  });
});
