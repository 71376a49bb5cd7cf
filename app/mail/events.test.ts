import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "../../prisma/migrate";
import { createDb, type Db } from "~/db.server";
import { isSuppressed, processSendGridEvents, suppressedAmong, unsubscribeBuyer } from "./events.server";
import type { NotificationStatus } from "~/notifications/status";

const SHOP_A = "alpha.myshopify.com";
const SHOP_B = "bravo.myshopify.com";
const NOW = new Date("2026-11-20T12:00:00.000Z");
const T = Math.floor(NOW.getTime() / 1000) - 3600;

const dir = mkdtempSync(join(tmpdir(), "parcelwise-events-"));
let db: Db;
beforeAll(async () => {
  const url = `file:${join(dir, "events.sqlite")}`;
  await migrate(url);
  db = createDb(url);
});
afterAll(async () => {
  await db.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await db.notification.deleteMany();
  await db.suppression.deleteMany();
});

let seq = 0;
async function notification(over: { shop?: string; status?: NotificationStatus; recipient?: string; kind?: string; providerMessageId?: string | null } = {}) {
  seq++;
  return db.notification.create({
    data: {
      shop: over.shop ?? SHOP_A,
      kind: over.kind ?? "shipping_confirmation",
      planKey: `test:${seq}`,
      orderShopifyId: String(seq),
      locale: "en",
      recipient: over.recipient ?? `buyer${seq}@example.test`,
      scheduledFor: new Date(NOW.getTime() - 86_400_000),
      status: over.status ?? "sent",
      providerMessageId: over.providerMessageId === undefined ? `msg${seq}` : over.providerMessageId,
    },
  });
}

type Row = Awaited<ReturnType<typeof notification>>;
const event = (n: Row, name: string, extra: Record<string, unknown> = {}) => ({
  email: n.recipient,
  timestamp: T,
  event: name,
  sg_event_id: `evt-${name}-${n.id}`,
  sg_message_id: `${n.providerMessageId}.filterdrecv-1-abc.0`,
  notification_id: n.id,
  shop: n.shop,
  category: ["parcelwise", n.kind],
  ...extra,
});
const reload = (n: Row) => db.notification.findUniqueOrThrow({ where: { id: n.id } });
const snapshot = async () => ({
  notifications: await db.notification.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, providerEvent: true, providerEventAt: true } }),
  suppressions: await db.suppression.findMany({ orderBy: { email: "asc" }, select: { shop: true, email: true, reason: true } }),
});

describe("processSendGridEvents: status mapping", () => {
  it("maps delivered, bounce, blocked, dropped and spam report to the notification's status", async () => {
    const [delivered, bounced, blocked, dropped, spam] = await Promise.all([1, 2, 3, 4, 5].map(() => notification()));
    const result = await processSendGridEvents(
      db,
      [
        event(delivered, "delivered"),
        event(bounced, "bounce", { type: "bounce", reason: "550 5.1.1 no such user" }),
        event(blocked, "bounce", { type: "blocked", reason: "421 try again later" }),
        event(dropped, "dropped", { reason: "Invalid" }),
        event(spam, "spamreport"),
      ],
      NOW,
    );
    expect(result).toMatchObject({ received: 5, matched: 5, unknown: 0, statusChanges: 5 });
    expect((await reload(delivered)).status).toBe("delivered");
    expect((await reload(bounced)).status).toBe("bounced");
    expect((await reload(blocked)).status).toBe("bounced");
    expect((await reload(dropped)).status).toBe("dropped");
    const spamRow = await reload(spam);
    expect(spamRow).toMatchObject({ status: "spam", providerEvent: "spamreport", providerEventAt: new Date(T * 1000) });
  });

  it("suppresses hard bounces, spam reports, unsubscribes and suppression drops, not soft bounces or other drops", async () => {
    const rows = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(() => notification()));
    await processSendGridEvents(
      db,
      [
        event(rows[0], "bounce", { type: "bounce", email: rows[0].recipient.toUpperCase() }),
        event(rows[1], "bounce", { type: "blocked" }),
        event(rows[2], "spamreport"),
        event(rows[3], "unsubscribe"),
        event(rows[4], "group_unsubscribe", { asm_group_id: 1 }),
        event(rows[5], "dropped", { reason: "Bounced Address" }),
        event(rows[6], "dropped", { reason: "Invalid SMTPAPI header" }),
        event(rows[7], "delivered"),
      ],
      NOW,
    );
    const suppressions = await db.suppression.findMany({ select: { shop: true, email: true, reason: true } });
    expect(suppressions).toHaveLength(5);
    expect(suppressions).toEqual(
      expect.arrayContaining([
        { shop: SHOP_A, email: rows[0].recipient, reason: "bounce" },
        { shop: SHOP_A, email: rows[2].recipient, reason: "spamreport" },
        { shop: SHOP_A, email: rows[3].recipient, reason: "unsubscribe" },
        { shop: SHOP_A, email: rows[4].recipient, reason: "unsubscribe" },
        { shop: SHOP_A, email: rows[5].recipient, reason: "dropped" },
      ]),
    );
    // An unsubscribe records the event but leaves the status alone.
    expect(await reload(rows[3])).toMatchObject({ status: "sent", providerEvent: "unsubscribe" });
  });

  it("ignores events it does not record and unreadable entries", async () => {
    const n = await notification();
    const result = await processSendGridEvents(db, [event(n, "processed"), event(n, "open"), event(n, "click"), event(n, "deferred"), null, 42, { email: "x@y.z" }], NOW);
    expect(result).toMatchObject({ received: 7, matched: 0, ignored: 7, statusChanges: 0 });
    expect(await reload(n)).toMatchObject({ status: "sent", providerEvent: null });
  });

  it("finds the notification by X-Message-Id when the custom args are missing", async () => {
    const n = await notification();
    const { notification_id: _id, shop: _shop, ...bare } = event(n, "delivered");
    const result = await processSendGridEvents(db, [bare], NOW);
    expect(result.matched).toBe(1);
    expect((await reload(n)).status).toBe("delivered");
  });

  it("mails sent in one request share its X-Message-Id: without custom args, the event's recipient picks the mail", async () => {
    const a = await notification({ providerMessageId: "shared", recipient: "ana@example.test" });
    const b = await notification({ providerMessageId: "shared", recipient: "ben@example.test" });
    const { notification_id: _id, shop: _shop, ...bare } = event(b, "bounce", { email: "BEN@example.test" });
    const { notification_id: _id2, shop: _shop2, email: _email, ...nobody } = event(a, "delivered");
    const result = await processSendGridEvents(db, [bare, nobody], NOW);
    expect(result).toMatchObject({ matched: 1, unknown: 1 });
    expect((await reload(b)).status).toBe("bounced");
    expect((await reload(a)).status).toBe("sent");
  });
});

describe("processSendGridEvents: ordering and idempotency", () => {
  it("never moves a status backwards: a late delivered does not un-bounce", async () => {
    const n = await notification();
    await processSendGridEvents(db, [event(n, "bounce", { type: "bounce", timestamp: T + 10 })], NOW);
    await processSendGridEvents(db, [event(n, "delivered", { timestamp: T })], NOW);
    expect(await reload(n)).toMatchObject({ status: "bounced", providerEvent: "bounce", providerEventAt: new Date((T + 10) * 1000) });
  });

  it("applies a batch in event time whatever the order it arrives in", async () => {
    const n = await notification();
    await processSendGridEvents(db, [event(n, "spamreport", { timestamp: T + 60 }), event(n, "delivered", { timestamp: T })], NOW);
    expect(await reload(n)).toMatchObject({ status: "spam", providerEvent: "spamreport" });
  });

  it("a spam report after delivery moves delivered to spam", async () => {
    const n = await notification({ status: "delivered" });
    await processSendGridEvents(db, [event(n, "spamreport")], NOW);
    expect((await reload(n)).status).toBe("spam");
  });

  it("leaves cancelled notifications cancelled", async () => {
    const n = await notification({ status: "cancelled" });
    await processSendGridEvents(db, [event(n, "delivered")], NOW);
    expect((await reload(n)).status).toBe("cancelled");
  });

  it("processing the same batch twice changes nothing the second time", async () => {
    const rows = await Promise.all([1, 2, 3, 4].map(() => notification()));
    const batch = [
      event(rows[0], "delivered", { timestamp: T }),
      event(rows[0], "unsubscribe", { timestamp: T + 30 }),
      event(rows[1], "bounce", { type: "bounce" }),
      event(rows[2], "delivered", { timestamp: T }),
      event(rows[2], "spamreport", { timestamp: T + 5 }),
      event(rows[3], "dropped", { reason: "Unsubscribed Address" }),
    ];
    const first = await processSendGridEvents(db, batch, NOW);
    const afterFirst = await snapshot();
    const second = await processSendGridEvents(db, batch, new Date(NOW.getTime() + 60_000));
    expect(await snapshot()).toEqual(afterFirst);
    expect(first.statusChanges).toBe(5);
    expect(second.statusChanges).toBe(0);
    expect(afterFirst.suppressions).toHaveLength(4);
  });
});

describe("processSendGridEvents: scoping", () => {
  it("acknowledges events about unknown messages and changes nothing", async () => {
    const n = await notification();
    const before = await snapshot();
    const result = await processSendGridEvents(
      db,
      [{ ...event(n, "bounce", { type: "bounce" }), notification_id: "no-such-notification", sg_message_id: "unknown.filter.0" }],
      NOW,
    );
    expect(result).toMatchObject({ matched: 0, unknown: 1 });
    expect(await snapshot()).toEqual(before);
  });

  it("an event naming shop A's notification with shop B's custom arg touches nothing", async () => {
    const victim = await notification({ shop: SHOP_A });
    await notification({ shop: SHOP_B });
    const before = await snapshot();
    const result = await processSendGridEvents(db, [event(victim, "spamreport", { shop: SHOP_B }), event(victim, "unsubscribe", { shop: SHOP_B })], NOW);
    expect(result).toMatchObject({ matched: 0, unknown: 2 });
    expect(await snapshot()).toEqual(before);
  });

  it("suppressions belong to the notification's shop only", async () => {
    const a = await notification({ shop: SHOP_A, recipient: "same@example.test" });
    await notification({ shop: SHOP_B, recipient: "same@example.test" });
    await processSendGridEvents(db, [event(a, "bounce", { type: "bounce" })], NOW);
    expect(await isSuppressed(db, SHOP_A, "Same@Example.test")).toBe(true);
    expect(await isSuppressed(db, SHOP_B, "same@example.test")).toBe(false);
  });
});

describe("suppression list", () => {
  it("suppressedAmong answers, lowercased, which addresses a shop must not mail", async () => {
    await unsubscribeBuyer(db, SHOP_A, "One@Example.test");
    await unsubscribeBuyer(db, SHOP_B, "two@example.test");
    const found = await suppressedAmong(db, SHOP_A, ["ONE@example.test", "two@example.test", "three@example.test"]);
    expect([...found]).toEqual(["one@example.test"]);
  });

  it("unsubscribeBuyer cancels that buyer's scheduled delay notices and feedback requests only, and is idempotent", async () => {
    const feedback = await notification({ kind: "feedback_request", status: "scheduled", recipient: "Buyer@Example.test", providerMessageId: null });
    const delay = await notification({ kind: "delay_notice", status: "scheduled", recipient: "buyer@example.test", providerMessageId: null });
    const shipping = await notification({ kind: "shipping_confirmation", status: "scheduled", recipient: "buyer@example.test", providerMessageId: null });
    const sentFeedback = await notification({ kind: "feedback_request", status: "sent", recipient: "buyer@example.test" });
    const otherBuyer = await notification({ kind: "feedback_request", status: "scheduled", recipient: "other@example.test", providerMessageId: null });
    const otherShop = await notification({ shop: SHOP_B, kind: "feedback_request", status: "scheduled", recipient: "buyer@example.test", providerMessageId: null });

    expect(await unsubscribeBuyer(db, SHOP_A, "BUYER@example.test")).toEqual({ cancelled: 2 });
    expect((await reload(feedback)).status).toBe("cancelled");
    expect((await reload(delay)).status).toBe("cancelled");
    for (const untouched of [shipping, otherBuyer, otherShop]) expect((await reload(untouched)).status).toBe("scheduled");
    expect((await reload(sentFeedback)).status).toBe("sent");
    expect(await db.suppression.findMany({ select: { shop: true, email: true, reason: true } })).toEqual([
      { shop: SHOP_A, email: "buyer@example.test", reason: "unsubscribe" },
    ]);

    const before = await snapshot();
    expect(await unsubscribeBuyer(db, SHOP_A, "buyer@example.test")).toEqual({ cancelled: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it("unsubscribeBuyer cancels 1,200 scheduled mails of one buyer: more ids than one statement takes on SQLite", async () => {
    await db.notification.createMany({
      data: Array.from({ length: 1200 }, (_, i) => ({ shop: SHOP_A, kind: "feedback_request", planKey: `many:${i}`, orderShopifyId: String(90_000 + i), locale: "en", recipient: "Many@example.test", scheduledFor: NOW, status: "scheduled" })),
    });
    expect(await unsubscribeBuyer(db, SHOP_A, "many@example.test")).toEqual({ cancelled: 1200 });
    expect(await db.notification.count({ where: { shop: SHOP_A, status: "cancelled", lastError: "the buyer unsubscribed" } })).toBe(1200);
  });

  it("keeps the first reason an address was suppressed for", async () => {
    const n = await notification({ recipient: "r@example.test" });
    await processSendGridEvents(db, [event(n, "bounce", { type: "bounce" })], NOW);
    await unsubscribeBuyer(db, SHOP_A, "r@example.test");
    expect((await db.suppression.findFirstOrThrow()).reason).toBe("bounce");
  });
});
