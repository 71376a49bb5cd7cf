// Which address a buyer's mail comes from: the shop's own once SendGrid has accepted it, else the app's
// verified default (under the shop's name, replies to the shop); a refused shop address falls back.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/db.server";
import { startCaptureServer, type CaptureServer } from "#tests/standins/capture-server";
import { createSendGridMailer } from "~/mail/sendgrid.server";
import { runBatch, type WorkerOptions } from "~/notifications/worker.server";
import { openSqlite, type Opened } from "../support/databases";
import { seedDueNotifications } from "../support/due-notifications";

const SHOP = "sender.myshopify.com";
const APP_FROM = { email: "notifications@parcelwise.test", name: "Parcelwise" };

describe("the sender of a buyer's mail", () => {
  let database: Opened;
  let db: Db;
  let capture: CaptureServer;
  let options: WorkerOptions;

  beforeAll(async () => {
    database = await openSqlite();
    db = createDb(database.url);
    capture = await startCaptureServer({ apiKey: "SG.sender" });
    options = { db, mailer: createSendGridMailer({ apiKey: "SG.sender", baseUrl: capture.url }), from: APP_FROM };
  });
  afterAll(async () => {
    await db?.$disconnect();
    await capture?.close();
    await database?.close();
  });
  beforeEach(async () => {
    capture.clear();
    await db.notification.deleteMany({});
    await db.shipment.deleteMany({});
    await db.order.deleteMany({});
    await seedDueNotifications(db, { shop: SHOP, count: 1, dueAt: new Date(Date.now() - 60_000), kinds: ["shipping_confirmation"] });
  });

  it("is the app's default until the shop's address is verified, under the shop's name, replies to the shop", async () => {
    await db.shop.update({ where: { domain: SHOP }, data: { senderEmail: "hello@kumo.example", senderName: "Kumo", senderVerifiedAt: null } });
    expect(await runBatch(options)).toMatchObject({ sent: 1 });
    expect(capture.mails[0]).toMatchObject({ from: APP_FROM.email, fromName: "Kumo", replyTo: "hello@kumo.example" });
  });

  it("is the shop's own address once verified", async () => {
    await db.shop.update({ where: { domain: SHOP }, data: { senderEmail: "hello@kumo.example", senderName: "Kumo", senderVerifiedAt: new Date() } });
    expect(await runBatch(options)).toMatchObject({ sent: 1 });
    expect(capture.mails[0]).toMatchObject({ from: "hello@kumo.example", fromName: "Kumo" });
  });

  it("falls back to the app's default when SendGrid refuses the shop's address, without blocking the shop", async () => {
    await db.shop.update({ where: { domain: SHOP }, data: { senderEmail: "hello@kumo.example", senderVerifiedAt: new Date(), sendingBlockedReason: null } });
    capture.failNext(403, 1, { message: "The from address does not match a verified Sender Identity" });
    expect(await runBatch(options)).toMatchObject({ claimed: 1, retried: 1, sent: 0 });
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    expect(shop.senderVerifiedAt).toBeNull();
    expect(shop.sendingBlockedReason).toBeNull();
    const row = await db.notification.findFirstOrThrow({ where: { shop: SHOP } });
    expect(row).toMatchObject({ status: "scheduled", attempts: 0 });
    expect(row.lastError).toMatch(/refused the sender hello@kumo\.example/);

    expect(await runBatch(options)).toMatchObject({ sent: 1 });
    expect(capture.mails.at(-1)).toMatchObject({ from: APP_FROM.email, replyTo: "hello@kumo.example" });
  });

  it("blocks the shop's sending, with the reason, when even the app's default is refused", async () => {
    await db.shop.update({ where: { domain: SHOP }, data: { senderEmail: null, senderVerifiedAt: null, sendingBlockedReason: null } });
    capture.failNext(403, 1, { message: "The from address does not match a verified Sender Identity" });
    expect(await runBatch(options)).toMatchObject({ retried: 1 });
    expect((await db.shop.findUniqueOrThrow({ where: { domain: SHOP } })).sendingBlockedReason).toMatch(/refused the sender notifications@parcelwise\.test/);
    await db.shop.update({ where: { domain: SHOP }, data: { sendingBlockedReason: null } });
  });
});
