// The notification log and the merchant's actions against a real (temporary SQLite) database.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "../../prisma/migrate";
import { createDb, type Db } from "~/db.server";
import { activityCsvStream, applyMessageAction, listActivity, notificationDetail } from "./activity.server";
import { parseActivityFilters } from "./activity";
import type { NotificationStatus } from "~/notifications/status";

const NOW = new Date("2026-11-20T12:00:00.000Z");
const SHOP = "log-a.myshopify.com";
const OTHER = "log-b.myshopify.com";

let dir: string;
let db: Db;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parcelwise-activity-"));
  const url = `file:${join(dir, "activity.sqlite")}`;
  await migrate(url);
  db = createDb(url);
  await db.shop.createMany({ data: [{ domain: SHOP, timezone: "Europe/Berlin" }, { domain: OTHER }] });
});
afterAll(async () => {
  await db?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
function message(shop: string, status: NotificationStatus, extra: Record<string, unknown> = {}) {
  counter++;
  return db.notification.create({
    data: {
      shop,
      kind: "shipping_confirmation",
      planKey: `shipping_confirmation:f${counter}`,
      orderShopifyId: `o${counter}`,
      shipmentShopifyId: `f${counter}`,
      trackingNumber: `T${counter}`,
      locale: "de",
      recipient: `buyer${counter}@example.test`,
      scheduledFor: new Date(NOW.getTime() - 60_000),
      status,
      ...(status === "sent" ? { sentAt: NOW, providerMessageId: `pm-${counter}`, subject: "Unterwegs", html: "<p>Hi</p>", text: "Hi" } : {}),
      ...extra,
    },
  });
}

describe("resend", () => {
  it("sends a handed-off message again as a new scheduled message, never twice at once", async () => {
    const original = await message(SHOP, "sent", { attempts: 1 });
    const first = await applyMessageAction(db, SHOP, original.id, "resend", NOW);
    expect(first).toMatchObject({ ok: true, message: "Message will be sent again" });
    const copy = await db.notification.findUniqueOrThrow({ where: { id: (first as { notificationId: string }).notificationId } });
    expect(copy).toMatchObject({
      shop: SHOP,
      planKey: `resend:${original.id}:1`,
      status: "scheduled",
      scheduledFor: NOW,
      kind: original.kind,
      orderShopifyId: original.orderShopifyId,
      shipmentShopifyId: original.shipmentShopifyId,
      trackingNumber: original.trackingNumber,
      recipient: original.recipient,
      locale: original.locale,
      attempts: 0,
      html: null,
    });
    // The original keeps its record.
    expect(await db.notification.findUniqueOrThrow({ where: { id: original.id } })).toMatchObject({ status: "sent", providerMessageId: original.providerMessageId });

    // A second click while the copy waits does nothing.
    expect(await applyMessageAction(db, SHOP, original.id, "resend", NOW)).toMatchObject({ ok: false, status: 409 });
    // Once the copy went out, another resend is the second one.
    await db.notification.update({ where: { id: copy.id }, data: { status: "sent" } });
    const second = await applyMessageAction(db, SHOP, original.id, "resend", NOW);
    expect(second.ok).toBe(true);
    expect(await db.notification.count({ where: { shop: SHOP, planKey: { startsWith: `resend:${original.id}:` } } })).toBe(2);
    expect(await db.notification.findFirst({ where: { planKey: `resend:${original.id}:2` } })).not.toBeNull();
  });

  it("is refused for a message that is still waiting or was cancelled", async () => {
    const waiting = await message(SHOP, "scheduled");
    expect(await applyMessageAction(db, SHOP, waiting.id, "resend", NOW)).toMatchObject({ ok: false, status: 409 });
    const cancelled = await message(SHOP, "cancelled");
    expect(await applyMessageAction(db, SHOP, cancelled.id, "resend", NOW)).toMatchObject({ ok: false, status: 409 });
  });
});

describe("send now and cancel", () => {
  it("moves a waiting message to now and retries a failed one with fresh attempts", async () => {
    const later = await message(SHOP, "scheduled", { scheduledFor: new Date(NOW.getTime() + 86_400_000), attempts: 2 });
    expect(await applyMessageAction(db, SHOP, later.id, "send_now", NOW)).toMatchObject({ ok: true });
    expect(await db.notification.findUniqueOrThrow({ where: { id: later.id } })).toMatchObject({ status: "scheduled", scheduledFor: NOW, attempts: 2 });

    const failed = await message(SHOP, "failed", { attempts: 8, lastError: "550 mailbox unavailable" });
    expect(await applyMessageAction(db, SHOP, failed.id, "send_now", NOW)).toMatchObject({ ok: true });
    expect(await db.notification.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({ status: "scheduled", scheduledFor: NOW, attempts: 0 });
  });

  it("cancels only a message that is still waiting", async () => {
    const waiting = await message(SHOP, "scheduled");
    expect(await applyMessageAction(db, SHOP, waiting.id, "cancel", NOW)).toMatchObject({ ok: true, message: "Message cancelled" });
    expect((await db.notification.findUniqueOrThrow({ where: { id: waiting.id } })).status).toBe("cancelled");

    for (const status of ["sending", "sent", "failed"] as const) {
      const row = await message(SHOP, status);
      expect(await applyMessageAction(db, SHOP, row.id, "cancel", NOW)).toMatchObject({ ok: false, status: 409 });
      expect((await db.notification.findUniqueOrThrow({ where: { id: row.id } })).status).toBe(status);
    }
  });

  it("never touches another shop's message", async () => {
    const theirs = await message(OTHER, "scheduled");
    const sent = await message(OTHER, "sent");
    for (const [id, action] of [[theirs.id, "cancel"], [theirs.id, "send_now"], [sent.id, "resend"]] as const) {
      expect(await applyMessageAction(db, SHOP, id, action, NOW)).toEqual({ ok: false, status: 404, error: "This message does not exist." });
    }
    expect(await db.notification.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ status: "scheduled", scheduledFor: theirs.scheduledFor });
    expect(await db.notification.count({ where: { planKey: { startsWith: `resend:${sent.id}` } } })).toBe(0);
    expect(await notificationDetail(db, SHOP, theirs.id)).toBeNull();
  });
});

describe("the log and its CSV", () => {
  const LOG = "log-c.myshopify.com";
  beforeEach(async () => {
    await db.notification.deleteMany({ where: { shop: LOG } });
    await db.shop.upsert({ where: { domain: LOG }, create: { domain: LOG, timezone: "Asia/Tokyo" }, update: {} });
    await db.notification.createMany({
      data: Array.from({ length: 2_345 }, (_, i) => ({
        shop: LOG,
        kind: i % 2 ? "shipping_confirmation" : "delay_notice",
        planKey: `k${i}`,
        orderShopifyId: `${i}`,
        locale: "en",
        recipient: i === 7 ? '=cmd, "Eve"' : `b${i}@example.test`,
        scheduledFor: NOW,
        status: i % 5 === 0 ? "failed" : "sent",
        lastError: i % 5 === 0 ? "bounce,\nhard" : null,
        createdAt: new Date(NOW.getTime() - Math.floor(i / 2) * 1000),
      })),
    });
  });

  it("pages through the filtered log in the database", async () => {
    const { filters } = parseActivityFilters(new URLSearchParams("status=failed"));
    const first = await listActivity(db, LOG, filters, { after: null, before: null, size: 50 });
    expect(first.total).toBe(469);
    expect(first.page.items).toHaveLength(50);
    expect(first.page.items.every((item) => item.status === "failed")).toBe(true);
  });

  it("exports every matching row, escaped, in batches", async () => {
    const { filters } = parseActivityFilters(new URLSearchParams());
    const bytes = new Uint8Array(await new Response(activityCsvStream(db, LOG, filters, 1000)).arrayBuffer());
    // A UTF-8 byte order mark first, for spreadsheet programs.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith("id,created_at,")).toBe(true);
    // Header + one line per row; the quoted error's line break stays inside its cell.
    expect(recordCount(text)).toBe(2_346);
    expect(text).toContain(`,"'=cmd, ""Eve""",`);
    expect(text).toContain('"bounce,\nhard"');
    const failedOnly = await new Response(activityCsvStream(db, LOG, parseActivityFilters(new URLSearchParams("status=failed")).filters, 100)).text();
    expect(failedOnly.split("\r\n").filter((line) => line.includes(",failed,"))).toHaveLength(469);
  });
});

function recordCount(csv: string): number {
  let quoted = false;
  let records = 0;
  for (let i = 0; i < csv.length; i++) {
    if (csv[i] === '"') quoted = !quoted;
    else if (!quoted && csv[i] === "\r" && csv[i + 1] === "\n") records++;
  }
  return records;
}
