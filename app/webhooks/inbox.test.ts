import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "../../prisma/migrate";
import { createDb, type Db } from "~/db.server";
import { fulfillmentPayloadFor, orderPayloadFor } from "#tests/demo/scenario";
import { processInbox } from "./inbox.server";
import { InboxWriter, MalformedPayloadError, type WebhookDelivery } from "./ingest.server";

const dir = mkdtempSync(join(tmpdir(), "parcelwise-inbox-"));
let db: Db;
beforeAll(async () => {
  const url = `file:${join(dir, "inbox.sqlite")}`;
  await migrate(url);
  db = createDb(url);
});
afterAll(async () => {
  await db.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

const at = { created: new Date("2026-11-20T10:00:00Z"), updated: new Date("2026-11-20T10:00:00Z") };
const delivery = (n: number, over: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
  shop: "writer.myshopify.com",
  topic: "fulfillments/create",
  webhookId: `wh-${n}`,
  eventId: `evt-${n}`,
  payload: fulfillmentPayloadFor(n, 1, "DHL Express", `N${n}`, "DE", at),
  ...over,
});

describe("InboxWriter", () => {
  it("stores the deliveries of one turn with one insert and settles each", async () => {
    const writer = new InboxWriter(db);
    const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => writer.accept(delivery(i))));
    expect(outcomes).toEqual(Array(40).fill("accepted"));
    expect(await db.webhookReceipt.count({ where: { shop: "writer.myshopify.com", status: "pending" } })).toBe(40);
  });

  it("tells replays and copies of an event apart from new deliveries in the same batch", async () => {
    const writer = new InboxWriter(db);
    const outcomes = await Promise.all([
      writer.accept(delivery(100)),
      writer.accept(delivery(100)),
      writer.accept(delivery(101, { webhookId: "wh-other", eventId: "evt-100" })),
      writer.accept(delivery(5)),
      writer.accept(delivery(102)),
    ]);
    expect(outcomes).toEqual(["accepted", "duplicate", "duplicate", "duplicate", "accepted"]);
    expect(await db.webhookReceipt.count({ where: { webhookId: { in: ["wh-100", "wh-102", "wh-other"] } } })).toBe(2);
  });

  it("refuses a malformed payload before anything is written, and ignores topics it does not handle", async () => {
    const writer = new InboxWriter(db);
    await expect(writer.accept(delivery(200, { payload: { id: 1 } }))).rejects.toBeInstanceOf(MalformedPayloadError);
    expect(await writer.accept(delivery(201, { topic: "products/update" }))).toBe("ignored_topic");
    expect(await db.webhookReceipt.count({ where: { webhookId: { in: ["wh-200", "wh-201"] } } })).toBe(0);
  });
});

describe("processInbox", () => {
  it("keeps the deliveries of an installed shop whose details could not be recorded at install", async () => {
    const shop = "half-installed.myshopify.com";
    await db.session.create({ data: { id: `offline_${shop}`, shop, state: "", accessToken: "token" } });
    const order = orderPayloadFor(9, 1009, { first: "Ola", last: "N", email: "ola@example.no", locale: "nb", country: "NO", city: "Oslo", zip: "0150", address1: "Gate 1" }, { processed: at.created, updated: at.updated });
    expect(await new InboxWriter(db).accept({ shop, topic: "orders/paid", webhookId: "wh-half", payload: order })).toBe("accepted");
    expect(await processInbox({ db, now: new Date(Date.now() + 1000), limit: 500 })).toMatchObject({ failed: 0, retried: 0 });
    expect(await db.webhookReceipt.findFirst({ where: { shop } })).toMatchObject({ status: "processed", payload: null });
    expect(await db.shop.findUnique({ where: { domain: shop } })).toMatchObject({ domain: shop, primaryLocale: "en" });
    expect(await db.order.count({ where: { shop, shopifyId: "9" } })).toBe(1);
  });

  it("ignores a delivery for a shop with neither a session nor a Shop row", async () => {
    const shop = "stranger.myshopify.com";
    expect(await new InboxWriter(db).accept({ shop, topic: "fulfillments/create", webhookId: "wh-stranger", payload: fulfillmentPayloadFor(77, 1, "UPS", "1Z", "US", at) })).toBe("accepted");
    await processInbox({ db, now: new Date(Date.now() + 1000) });
    expect(await db.webhookReceipt.findFirst({ where: { shop } })).toMatchObject({ status: "ignored", payload: null });
    expect(await db.shop.count({ where: { domain: shop } })).toBe(0);
  });
});
