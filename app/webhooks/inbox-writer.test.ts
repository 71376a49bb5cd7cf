import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "../../prisma/migrate";
import { createDb, type Db } from "~/db.server";
import { fulfillmentPayloadFor } from "~/demo/scenario";
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
