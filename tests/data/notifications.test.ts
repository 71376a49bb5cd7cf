// The notification worker (app/notifications/batch.server.ts and queue.server.ts) against real databases: claims, sends
// through SendGrid (the local capture server), retries and failures.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/db.server";
import { ago, backends, buyer, DAY, delivery, HOUR, later, MINUTE, NOW, SECOND, settle, useDatabase } from "./harness";
import { claimDue, markSent } from "~/notifications/queue.server";
import { claimBatch, runBatch, sendClaimed, type WorkerOptions } from "~/notifications/batch.server";
import { mailJob } from "~/jobs/mail-job.server";
import { seedDueNotifications } from "#tests/support/due-notifications";
import { startCaptureServer, type CaptureServer } from "#tests/standins/capture-server";
import { createSendGridMailer } from "~/mail/sendgrid.server";
import { fulfillmentPayloadFor, orderPayloadFor } from "#tests/demo/scenario";
import { InboxWriter, processInbox } from "~/webhooks/inbox.server";
import { WORKER_BATCH_SIZE_MAX } from "~/env.server";

describe.each(backends)("notification worker on $name", (backend) => {
  const suite = useDatabase(backend);
  const { deliver, newShop, paidOrder } = suite;
  let db: Db;
  beforeAll(() => {
    db = suite.db;
  });
  let capture: CaptureServer;
  beforeAll(async () => {
    capture = await startCaptureServer();
  });
  afterAll(async () => {
    await capture?.close();
  });

  const from = { email: "notifications@parcelwise.test", name: "Parcelwise" };
  const options = (over: Partial<WorkerOptions> = {}): WorkerOptions => ({
    db,
    mailer: createSendGridMailer({ apiKey: "SG.data-layer-test", baseUrl: capture.url }),
    from,
    ...over,
  });

  // The worker claims across all shops: each test starts with no notification rows at all.
  beforeEach(async () => {
    await db.notification.deleteMany({});
    capture.clear();
  });
  afterEach(() => capture.clear());

  async function seedDue(shop: string, count: number, data: { scheduledFor?: (i: number) => Date } = {}) {
    await db.notification.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        shop,
        kind: "handling_commitment",
        planKey: `handling_commitment:${i}`,
        orderShopifyId: String(i),
        locale: "en",
        recipient: `buyer${i}@example.com`,
        scheduledFor: data.scheduledFor?.(i) ?? new Date(NOW.getTime() - (i + 1) * 1000),
      })),
    });
  }

  it("claimDue never hands one notification to two concurrent claimers", async () => {
    const shop = await newShop("claim");
    await seedDue(shop, 200);
    // Four workers. On PostgreSQL each has its own client (connection pool), as separate worker
    // processes would; SQLite is served by one process (README), so its workers share the one client.
    const separate = backend.name === "PostgreSQL";
    const clients = Array.from({ length: 4 }, () => (separate ? createDb(suite.opened.url) : db));
    try {
      const batches = await settle(clients.map((client) => claimDue(client, NOW, 200, 2 * MINUTE)));
      const ids = batches.flat().map((n) => n.id);
      expect(new Set(ids).size, "no notification claimed twice").toBe(ids.length);
      expect(ids).toHaveLength(200);
      for (const batch of batches) for (const n of batch) expect(n).toMatchObject({ status: "sending", attempts: 1, leaseUntil: later(2 * MINUTE) });
    } finally {
      if (separate) await Promise.all(clients.map((client) => client.$disconnect()));
    }
    const rows = await db.notification.findMany({ where: { shop } });
    expect(rows.every((n) => n.status === "sending" && n.attempts === 1)).toBe(true);
    // All leased: nothing left for anyone.
    expect(await claimDue(db, NOW, 200, 2 * MINUTE)).toEqual([]);
  });

  it("claimDue's rows, read back from its UPDATE, are the rows a findMany reads", async () => {
    const shop = await newShop("claim-rows");
    await seedDue(shop, 5);
    await db.notification.updateMany({ where: { shop, planKey: "handling_commitment:1" }, data: { shipmentShopifyId: "7001", trackingNumber: "1Z", lastError: "earlier", providerEventAt: ago(HOUR) } });
    const claimed = await claimDue(db, NOW, 10, 2 * MINUTE);
    expect(claimed).toHaveLength(5);
    const read = await db.notification.findMany({ where: { shop } });
    expect(claimed).toEqual(claimed.map((c) => read.find((r) => r.id === c.id)));
    expect(claimed.map((c) => c.scheduledFor.getTime())).toEqual([...read.map((r) => r.scheduledFor.getTime())].sort((a, b) => a - b));
  });

  it("claimDue reclaims an expired lease, and leaves live leases, future and finished rows alone", async () => {
    const shop = await newShop("lease");
    const row = (planKey: string, data: Record<string, unknown>) =>
      db.notification.create({
        data: { shop, kind: "handling_commitment", planKey, orderShopifyId: planKey, locale: "en", recipient: "x@example.com", scheduledFor: ago(HOUR), ...data },
      });
    const expired = await row("expired", { status: "sending", leaseUntil: ago(1), attempts: 1 });
    await row("leased", { status: "sending", leaseUntil: later(MINUTE), attempts: 1 });
    await row("future", { status: "scheduled", scheduledFor: later(1) });
    const due = await row("due-now", { status: "scheduled", scheduledFor: NOW });
    for (const status of ["sent", "failed", "cancelled", "delivered", "bounced"]) await row(status, { status });

    const claimed = await claimDue(db, NOW, 50, 2 * MINUTE);
    expect(claimed.map((n) => n.id).sort()).toEqual([expired.id, due.id].sort());
    expect(claimed.find((n) => n.id === expired.id)).toMatchObject({ status: "sending", attempts: 2, leaseUntil: later(2 * MINUTE) });
    // Once the live lease expires, it is claimable.
    const afterLease = await claimDue(db, later(MINUTE + 1), 50, 2 * MINUTE);
    expect(afterLease.map((n) => n.planKey).sort()).toEqual(["future", "leased"]);
  });

  it("runBatch sends due notifications once through SendGrid and stores the message id", async () => {
    const shop = await newShop("send", { name: "Send Shop" });
    for (const [i, name] of ["Lia", "Max", "Ned", "Ora"].entries()) await paidOrder(shop, 5001 + i, buyer(name), ago(HOUR));
    // A shipment with tracking now, but shipped tomorrow: its confirmation is not due yet. Its order has a
    // live shipment, so that order's handling commitment is withdrawn (not sent); the three orders that
    // have not shipped keep theirs, due since 50 minutes ago.
    expect(await deliver(delivery(shop, "fulfillments/create", fulfillmentPayloadFor(7004, 5004, "UPS", "1Z999AA10123456784", "US", { created: later(DAY), updated: ago(MINUTE) })))).toBe("recorded");
    expect(await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "handling_commitment:5004" } } })).toMatchObject({ status: "cancelled" });

    const result = await runBatch(options(), NOW);
    expect(result).toEqual({ claimed: 3, sent: 3, retried: 0, failed: 0, cancelled: 0 });
    expect(capture.count).toBe(3);
    const sent = await db.notification.findMany({ where: { shop, status: "sent" } });
    expect(sent).toHaveLength(3);
    for (const n of sent) {
      const mail = capture.mails.find((m) => m.customArgs.notification_id === n.id);
      expect(mail, n.planKey).toBeDefined();
      expect(n.providerMessageId).toBe(mail!.id);
      expect(n).toMatchObject({ sentAt: NOW, attempts: 1, leaseUntil: null, lastError: null });
      expect(n.subject).toBe(mail!.subject);
      const order = await db.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: n.orderShopifyId } } });
      expect(mail!.to).toEqual([order.email]);
      expect(mail!.from).toBe(from.email);
      expect(mail!.fromName).toBe("Send Shop");
      expect(mail!.categories).toEqual(["parcelwise", "handling_commitment"]);
    }
    expect(sent.map((n) => n.planKey).sort()).toEqual(["handling_commitment:5001", "handling_commitment:5002", "handling_commitment:5003"]);
    expect(await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "shipping_confirmation:7004" } } })).toMatchObject({ status: "scheduled", attempts: 0 });
    expect(await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "handling_commitment:5004" } } })).toMatchObject({ status: "cancelled", attempts: 0 });

    // Again, later the same minute: nothing is sent twice.
    expect(await runBatch(options(), later(MINUTE))).toEqual({ claimed: 0, sent: 0, retried: 0, failed: 0, cancelled: 0 });
    expect(capture.count).toBe(3);
  });

  it("sends a batch of WORKER_BATCH_SIZE's largest value, every kind and locale mixed, one mail each", async () => {
    // A batch of 1,000 once failed on SQLite before a mail went out: its records are read with an id per
    // mail in a query, past the parameters SQLite takes through Prisma; its rows then came back claim after claim.
    const shop = await newShop("largest");
    await seedDueNotifications(db, { shop, count: WORKER_BATCH_SIZE_MAX, dueAt: ago(MINUTE) });
    const result = await runBatch(options({ batchSize: WORKER_BATCH_SIZE_MAX }), NOW);
    expect(result).toEqual({ claimed: WORKER_BATCH_SIZE_MAX, sent: WORKER_BATCH_SIZE_MAX, retried: 0, failed: 0, cancelled: 0 });
    expect(await db.notification.count({ where: { shop, status: "sent" } })).toBe(WORKER_BATCH_SIZE_MAX);
    expect(new Set(capture.mails.map((m) => m.customArgs.notification_id)).size).toBe(WORKER_BATCH_SIZE_MAX);
  }, 120_000);

  it("sends a batch of the largest size from as many shops, the same Shopify ids in each, every shop's mail from its own records", async () => {
    // Each lookup of a batch's records asks for a shop and its ids: 500 shops made 1,000 parameters a statement.
    const kinds = ["shipping_confirmation", "delay_notice", "feedback_request"];
    const shops = Array.from({ length: WORKER_BATCH_SIZE_MAX }, (_, k) => `many-${k}.myshopify.com`);
    for (const [k, shop] of shops.entries()) {
      await seedDueNotifications(db, { shop, count: 1, dueAt: ago(MINUTE), kinds: [kinds[k % kinds.length]!], locales: ["en", "de"] });
      await db.shop.update({ where: { domain: shop }, data: { name: `Shop ${k}` } });
    }
    const result = await runBatch(options({ batchSize: WORKER_BATCH_SIZE_MAX }), NOW);
    expect(result).toEqual({ claimed: WORKER_BATCH_SIZE_MAX, sent: WORKER_BATCH_SIZE_MAX, retried: 0, failed: 0, cancelled: 0 });
    expect(capture.mails).toHaveLength(WORKER_BATCH_SIZE_MAX);
    // Every shop's order is "#1000" with the same ids: each mail must come from its own shop's rows.
    const shopOf = new Map((await db.notification.findMany({ where: { shop: { in: shops.slice(0, 400) } }, select: { id: true, shop: true } })).map((n) => [n.id, n.shop]));
    for (const mail of capture.mails.filter((m) => shopOf.has(m.customArgs.notification_id))) {
      const k = shops.indexOf(shopOf.get(mail.customArgs.notification_id)!);
      expect(mail.fromName ?? JSON.stringify(mail), `mail of shop ${k}`).toContain(`Shop ${k}`);
    }
  }, 180_000);

  it("sends a batch of feedback requests whose orders name 1,200 products", async () => {
    const shop = await newShop("products");
    const ids = await seedDueNotifications(db, { shop, count: 100, dueAt: ago(MINUTE), kinds: ["feedback_request"] });
    const orders = await db.order.findMany({ where: { shop }, select: { shopifyId: true } });
    for (const [o, { shopifyId }] of orders.entries()) {
      const lines = Array.from({ length: 12 }, (_, l) => ({ productId: String(5_000_000 + o * 12 + l), variantId: null, title: `Bowl ${o}-${l}`, quantity: 1 }));
      await db.order.update({ where: { shop_shopifyId: { shop, shopifyId } }, data: { lineItems: JSON.stringify(lines) } });
    }
    const result = await runBatch(options({ batchSize: 100 }), NOW);
    expect(result).toEqual({ claimed: 100, sent: 100, retried: 0, failed: 0, cancelled: 0 });
    expect(new Set(capture.mails.map((m) => m.customArgs.notification_id))).toEqual(new Set(ids));
  }, 120_000);

  it("a batch whose records cannot be read says why on each row, is tried again only once its lease runs out, and fails for good at the last attempt", async () => {
    const shop = await newShop("unreadable");
    const count = 300;
    await seedDueNotifications(db, { shop, count, dueAt: ago(MINUTE), kinds: ["shipping_confirmation"] });
    // The last attempt for the first 10 rows by id.
    const last = (await db.notification.findMany({ where: { shop }, orderBy: { id: "asc" }, take: 10, select: { id: true } })).map((n) => n.id);
    await db.notification.updateMany({ where: { id: { in: last } }, data: { attempts: 7 } });
    // One table of the batch's records fails to read (a disk error; once, a statement past SQLite's
    // parameters); the queue's own table still answers.
    const unreadable = db.$extends({ query: { suppression: { findMany: () => Promise.reject(new Error("disk I/O error")) } } }) as unknown as Db;
    const worker = options({ db: unreadable, batchSize: count, maxAttempts: 8, leaseMs: MINUTE });
    await expect(runBatch(worker, NOW)).rejects.toThrow(/disk I\/O error/);
    const rows = await db.notification.findMany({ where: { shop } });
    const gaveUp = rows.filter((n) => n.status === "failed");
    expect(gaveUp.map((n) => n.id).sort()).toEqual([...last].sort());
    for (const n of gaveUp) expect(n.lastError).toBe("gave up after 8 attempts: the batch failed before sending: disk I/O error");
    const waiting = rows.filter((n) => n.status === "sending");
    expect(waiting).toHaveLength(count - last.length);
    for (const n of waiting) expect(n.lastError).toBe("the batch failed before sending: disk I/O error");
    // Not again at once: the rows wait for their lease, then the next claim (the records readable) sends them.
    expect(await runBatch(options({ batchSize: count }), later(SECOND))).toMatchObject({ claimed: 0 });
    expect(await runBatch(options({ batchSize: count }), later(2 * MINUTE))).toMatchObject({ claimed: count - last.length, sent: count - last.length });
    expect(capture.mails.filter((m) => last.includes(m.customArgs.notification_id))).toHaveLength(0);
  }, 120_000);

  it("a large batch goes out in SendGrid requests of several mails, each buyer receiving their own; a failed request retries its own mails only", async () => {
    const shop = await newShop("grouped");
    await seedDueNotifications(db, { shop, count: 60, dueAt: ago(MINUTE), kinds: ["shipping_confirmation"] });
    capture.failNext(503);
    // 60 mails on 4 lanes: 15 a request.
    const result = await runBatch(options({ batchSize: 60, concurrency: 4 }), NOW);
    expect(result).toEqual({ claimed: 60, sent: 45, retried: 15, failed: 0, cancelled: 0 });
    expect(capture.requests).toBe(3);
    expect(capture.count).toBe(45);
    const rows = await db.notification.findMany({ where: { shop } });
    const sent = rows.filter((n) => n.status === "sent");
    expect(sent).toHaveLength(45);
    for (const n of sent) {
      const mails = capture.mails.filter((m) => m.customArgs.notification_id === n.id);
      expect(mails, n.planKey).toHaveLength(1);
      expect(mails[0]!.to).toEqual([n.recipient]);
      expect(n.providerMessageId).toBe(mails[0]!.id);
      expect(n.subject).toBe(mails[0]!.subject);
      expect(n.html).toBe(mails[0]!.html);
      expect(n.text).toBe(mails[0]!.text);
    }
    expect(new Set(sent.map((n) => n.providerMessageId)).size).toBe(3);
    const retried = rows.filter((n) => n.status === "scheduled");
    expect(retried).toHaveLength(15);
    for (const n of retried) expect(n).toMatchObject({ attempts: 1, lastError: expect.stringContaining("503"), leaseUntil: null });
  });

  it("markSent writes the mails answered together in one group, each under its own lease only", async () => {
    const shop = await newShop("marks");
    await seedDue(shop, 150);
    const claimed = await claimDue(db, NOW, 150, 2 * MINUTE);
    expect(claimed).toHaveLength(150);
    // Another worker took one row over after our lease ran out; one row has no lease of ours at all.
    const [takenOver, unleased, ...ours] = claimed;
    await db.notification.update({ where: { id: takenOver!.id }, data: { leaseUntil: later(10 * MINUTE) } });
    await db.notification.update({ where: { id: unleased!.id }, data: { leaseUntil: null } });
    const at = later(SECOND);
    const mark = (n: (typeof claimed)[number], i: number) =>
      markSent(db, n, { messageId: i % 3 === 0 ? null : `msg-${i}`, subject: `Subject ${i} ✓`, html: `<p>Hello ${i} 'x' "y"</p>`, text: `Hello ${i}` }, at);
    // 150 answers in the same turn: more than one statement's worth (100 rows), all committed when the promises resolve.
    await Promise.all([mark(takenOver!, 0), mark({ ...unleased!, leaseUntil: null }, 1), ...ours.map((n, i) => mark(n, i + 2))]);
    const rows = new Map((await db.notification.findMany({ where: { shop } })).map((n) => [n.id, n]));
    expect(rows.get(takenOver!.id)).toMatchObject({ status: "sending", providerMessageId: null, html: null });
    expect(rows.get(unleased!.id)).toMatchObject({ status: "sent", providerMessageId: "msg-1", sentAt: at });
    for (const [i, n] of ours.entries()) {
      expect(rows.get(n.id)).toMatchObject({
        status: "sent",
        leaseUntil: null,
        lastError: null,
        sentAt: at,
        providerMessageId: (i + 2) % 3 === 0 ? null : `msg-${i + 2}`,
        subject: `Subject ${i + 2} ✓`,
        html: `<p>Hello ${i + 2} 'x' "y"</p>`,
        text: `Hello ${i + 2}`,
      });
    }
    // A second mark of a row already sent changes nothing (its lease is gone).
    await markSent(db, ours[0]!, { messageId: "again", subject: "again", html: "again", text: "again" }, later(MINUTE));
    expect(await db.notification.findUniqueOrThrow({ where: { id: ours[0]!.id } })).toMatchObject({ providerMessageId: "msg-2", subject: "Subject 2 ✓" });
  });

  it("markSent keeps each printed delivery window on its shipment in the group write; the first promise stands", async () => {
    const shop = await newShop("promises");
    const shippedAt = ago(DAY);
    await db.shipment.createMany({
      data: [0, 1, 2].map((i) => ({ shop, shopifyId: `ship-${i}`, orderShopifyId: String(i), status: "success", trackingNumbers: "[]", shippedAt, shopifyUpdatedAt: shippedAt })),
    });
    const promised = new Date("2026-03-10T00:00:00.000Z");
    await db.shipment.update({ where: { shop_shopifyId: { shop, shopifyId: "ship-2" } }, data: { promisedDeliveryTo: promised } });
    await seedDue(shop, 3);
    await db.notification.updateMany({ where: { shop }, data: { kind: "shipping_confirmation" } });
    for (const i of [0, 1, 2]) await db.notification.updateMany({ where: { shop, orderShopifyId: String(i) }, data: { shipmentShopifyId: `ship-${i}` } });
    const claimed = await claimDue(db, NOW, 3, 2 * MINUTE);
    const day = new Date("2026-03-14T00:00:00.000Z");
    const mail = { messageId: "m", subject: "s", html: "h", text: "t" };
    // One mail printed a window, one printed none, one a window for a shipment that keeps an earlier promise.
    await Promise.all(claimed.map((n) => markSent(db, n, { ...mail, promisedDeliveryTo: n.shipmentShopifyId === "ship-1" ? null : day }, NOW)));
    const shipments = new Map((await db.shipment.findMany({ where: { shop } })).map((s) => [s.shopifyId, s.promisedDeliveryTo]));
    expect(shipments).toEqual(new Map([["ship-0", day], ["ship-1", null], ["ship-2", promised]]));
    expect(await db.notification.count({ where: { shop, status: "sent" } })).toBe(3);
  });

  it("the mail job claims the next full batch while one sends, sends each once, and gives a batch claimed ahead back on stopping", async () => {
    const shop = await newShop("ahead");
    // Orders, shipments and a due mail each (several kinds and locales), as the planner leaves them.
    await seedDueNotifications(db, { shop, count: 250, dueAt: ago(MINUTE) });
    const job = mailJob(options({ batchSize: 100, concurrency: 8 }), () => NOW);
    expect(await job.run(NOW)).toBe(true);
    // The run returns once half its lanes are free; stopping lets the rest finish.
    await job.settle!();
    expect(capture.count).toBe(100);
    // The second batch was claimed during the first one's sends; stopping gave it back, no attempt spent.
    expect(await db.notification.groupBy({ by: ["status", "attempts"], where: { shop }, _count: true, orderBy: { status: "asc" } })).toEqual([
      { status: "scheduled", attempts: 0, _count: 150 },
      { status: "sent", attempts: 1, _count: 100 },
    ]);
    expect(await db.notification.count({ where: { shop, leaseUntil: { not: null } } })).toBe(0);

    // Run after run, each batch claimed ahead is the next one sent: all 250 once each, nothing left claimed.
    const again = mailJob(options({ batchSize: 100, concurrency: 8 }), () => NOW);
    while (await again.run(NOW));
    await again.settle!();
    expect(capture.count).toBe(250);
    expect(new Set(capture.mails.map((m) => m.customArgs.notification_id)).size).toBe(250);
    expect(await db.notification.count({ where: { shop, status: "sent" } })).toBe(250);
  });

  it("a batch hands its lanes to the next one once half are free: the slow sends finish meanwhile, never more than the concurrency in flight", async () => {
    const shop = await newShop("lanes");
    await seedDueNotifications(db, { shop, count: 8, dueAt: ago(MINUTE), kinds: ["shipping_confirmation"] });
    const real = options().mailer!;
    // The first four mails sent hang until let go; the other four are answered at once.
    let calls = 0;
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    const mailer = { send: async (mail: Parameters<typeof real.send>[0]) => (calls++ < 4 ? gate.then(() => real.send(mail)) : real.send(mail)) };
    const worker = options({ mailer, batchSize: 8, concurrency: 8 });
    const inFlight = { count: 0, stragglerWaitMs: 60_000 };
    const result = await sendClaimed(worker, await claimBatch(worker, NOW), inFlight);
    // Returned with four answered, long before the straggler wait; the four others still hold their lanes.
    expect(result).toMatchObject({ claimed: 8, sent: 4 });
    expect(inFlight.count).toBe(4);
    expect(capture.count).toBe(4);
    letGo();
    while (inFlight.count > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(capture.count).toBe(8);
    expect(await db.notification.count({ where: { shop, status: "sent" } })).toBe(8);
  });

  it("the mail job claims no batch ahead once less than half of the sending batch's lease is left (it would take back its own rows)", async () => {
    const shop = await newShop("late");
    await seedDueNotifications(db, { shop, count: 150, dueAt: ago(MINUTE) });
    // The batch starts sending 40 s into its 60 s lease.
    const job = mailJob(options({ batchSize: 100, concurrency: 8, leaseMs: 60_000 }), () => later(40 * SECOND));
    expect(await job.run(NOW)).toBe(true);
    await job.settle!();
    expect(capture.count).toBe(100);
    expect(await db.notification.groupBy({ by: ["status"], where: { shop }, _count: true, orderBy: { status: "asc" } })).toEqual([
      { status: "scheduled", _count: 50 },
      { status: "sent", _count: 100 },
    ]);
  });

  it("sends nothing for an order while a delivery about it waits in the inbox: the cancellation 10 ms behind the payment wins", async () => {
    const shop = await newShop("waiting");
    const who = buyer("Ines");
    // The paid webhook came late: its handling commitment is due at once.
    await paidOrder(shop, 5001, who, ago(HOUR));
    // The cancellation is accepted but not recorded yet (the inbox job has not run).
    const cancelled = orderPayloadFor(5001, 1001, who, { processed: ago(HOUR), updated: later(10) }, { cancelled_at: later(10).toISOString() });
    expect(await new InboxWriter(db).accept(delivery(shop, "orders/cancelled", cancelled))).toBe("accepted");

    expect(await runBatch(options(), NOW)).toEqual({ claimed: 0, sent: 0, retried: 0, failed: 0, cancelled: 0 });
    const waiting = await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "handling_commitment:5001" } } });
    expect(waiting).toMatchObject({ status: "scheduled", attempts: 0, leaseUntil: null });
    expect(capture.count).toBe(0);

    // Once recorded, the cancellation withdraws the message; a later batch finds nothing to send.
    // (The inbox row was accepted at the wall clock, so the inbox job runs at the wall clock too.)
    expect(await processInbox({ db, now: new Date() })).toMatchObject({ processed: 1 });
    expect(await runBatch(options(), later(2 * SECOND))).toMatchObject({ claimed: 0 });
    expect(await db.notification.findUniqueOrThrow({ where: { id: waiting.id } })).toMatchObject({ status: "cancelled" });
    expect(capture.count).toBe(0);
  });

  it("a 500 from SendGrid reschedules with backoff, and a later batch sends it", async () => {
    const shop = await newShop("retry");
    await paidOrder(shop, 5001, buyer("Oli"), ago(HOUR));
    capture.failNext(500);
    expect(await runBatch(options(), NOW)).toMatchObject({ claimed: 1, retried: 1, sent: 0 });
    const retried = await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "handling_commitment:5001" } } });
    expect(retried).toMatchObject({ status: "scheduled", attempts: 1, leaseUntil: null, providerMessageId: null });
    expect(retried.lastError).toContain("500");
    // First retry: between half a minute and a minute later.
    expect(retried.scheduledFor.getTime()).toBeGreaterThanOrEqual(later(30_000).getTime());
    expect(retried.scheduledFor.getTime()).toBeLessThanOrEqual(later(60_000).getTime());
    expect(capture.count).toBe(0);

    expect(await runBatch(options(), later(29_000))).toMatchObject({ claimed: 0 });
    expect(await runBatch(options(), later(2 * MINUTE))).toMatchObject({ claimed: 1, sent: 1 });
    const sent = await db.notification.findUniqueOrThrow({ where: { id: retried.id } });
    expect(sent).toMatchObject({ status: "sent", attempts: 2, sentAt: later(2 * MINUTE), lastError: null, providerMessageId: capture.mails[0].id });
    expect(capture.count).toBe(1);
  });

  it("a 400 from SendGrid marks the notification failed with SendGrid's message", async () => {
    const shop = await newShop("reject");
    await paidOrder(shop, 5001, buyer("Pia"), ago(HOUR));
    capture.failNext(400, 1, { message: "Does not contain a valid address." });
    expect(await runBatch(options(), NOW)).toMatchObject({ claimed: 1, failed: 1, sent: 0 });
    const failed = await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "handling_commitment:5001" } } });
    expect(failed).toMatchObject({ status: "failed", leaseUntil: null, providerMessageId: null, sentAt: null });
    expect(failed.lastError).toBe("SendGrid HTTP 400: Does not contain a valid address.");
    expect(await runBatch(options(), later(DAY))).toMatchObject({ claimed: 0 });
    expect(capture.count).toBe(0);
  });

  it("a broken shop template fails that notification with the template error; the rest of the batch is sent", async () => {
    const shop = await newShop("template");
    await paidOrder(shop, 5001, buyer("Uwe", { locale: "de", country: "DE", email: "uwe@example.de" }), ago(HOUR));
    await paidOrder(shop, 5002, buyer("Val"), ago(HOUR));
    await paidOrder(shop, 5003, buyer("Wes"), ago(HOUR));
    await db.template.create({
      data: { shop, kind: "handling_commitment", locale: "de", subject: "Ihre Bestellung {{ order.name", html: "<p>{{ buyer.name }}</p>", text: "{{ buyer.name }}" },
    });

    expect(await runBatch(options(), NOW)).toEqual({ claimed: 3, sent: 2, retried: 0, failed: 1, cancelled: 0 });
    const broken = await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "handling_commitment:5001" } } });
    expect(broken.status).toBe("failed");
    expect(broken.lastError).toMatch(/^template error in subject/);
    expect(broken.providerMessageId).toBeNull();
    expect(capture.mails.map((m) => m.to[0]).sort()).toEqual(["val@example.com", "wes@example.com"]);
    expect(await db.notification.count({ where: { shop, status: "sent" } })).toBe(2);
  });

  it("a tracking number changed after the confirmation was sent is announced exactly once", async () => {
    const shop = await newShop("tracking");
    await paidOrder(shop, 5001, buyer("Xia"), ago(2 * DAY));
    // The handling commitment goes out while nothing has shipped; the fulfillment then leaves it as sent.
    expect(await runBatch(options(), NOW)).toMatchObject({ claimed: 1, sent: 1 });
    const shipped = { created: ago(DAY), updated: ago(DAY) };
    expect(await deliver(delivery(shop, "fulfillments/create", fulfillmentPayloadFor(7001, 5001, "UPS", "1Z999AA10123456784", "US", shipped)))).toBe("recorded");
    expect(await runBatch(options(), NOW)).toMatchObject({ claimed: 1, sent: 1 }); // the confirmation
    expect(capture.mails.map((m) => m.categories[1])).toEqual(["handling_commitment", "shipping_confirmation"]);
    expect(await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "handling_commitment:5001" } } })).toMatchObject({ status: "sent" });

    const changed = fulfillmentPayloadFor(7001, 5001, "UPS", "1Z999AA10000000001", "US", { created: ago(DAY), updated: ago(HOUR) });
    for (let i = 0; i < 3; i++) expect(await deliver(delivery(shop, "fulfillments/update", changed))).toBe("recorded");
    const updates = await db.notification.findMany({ where: { shop, kind: "tracking_updated" } });
    expect(updates.map((n) => [n.planKey, n.status, n.trackingNumber])).toEqual([["tracking_updated:7001:1Z999AA10000000001", "scheduled", "1Z999AA10000000001"]]);

    capture.clear();
    expect(await runBatch(options(), later(MINUTE))).toMatchObject({ claimed: 1, sent: 1 });
    expect(capture.mails[0].text).toContain("1Z999AA10000000001");
    expect(await deliver(delivery(shop, "fulfillments/update", changed))).toBe("recorded");
    expect(await runBatch(options(), later(HOUR))).toMatchObject({ claimed: 0 });
    expect(await db.notification.count({ where: { shop, kind: "tracking_updated" } })).toBe(1);
    expect(await db.notification.findUniqueOrThrow({ where: { shop_planKey: { shop, planKey: "shipping_confirmation:7001" } } })).toMatchObject({
      status: "sent",
      trackingNumber: "1Z999AA10123456784",
    });
  });
});
