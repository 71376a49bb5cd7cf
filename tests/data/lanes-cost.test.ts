// What the lane model adds to recording a carrier event, on real databases: with the model on, a
// delivery reads its lane's rows once (for the window and the update) and writes the changed rows in one
// statement; an event that teaches nothing writes none. Counted as Prisma operations through a query
// extension, as upper bounds against the same event with LANE_LEARNING=off. And concurrent deliveries on
// one lane are all counted (PostgreSQL re-reads the rows under the shop's advisory lock). In the inbox's
// batches the whole batch reads and writes each table once: statements per delivery stay well under one.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Db } from "~/db.server";
import { isPostgres } from "~/db/dialect";
import { rebuildLaneModel, type LaneStats } from "~/lanes/lane-model";
import { saveLaneModel } from "~/lanes/store.server";
import { recordDelivery } from "~/webhooks/record.server";
import { claimReceipts, InboxWriter, processInbox } from "~/webhooks/inbox.server";
import { onWritePhase, recordBatch, type WritePhase } from "~/webhooks/record-batch.server";
import { statementsRun } from "~/db/rows.server";
import { fulfillmentEventFor, fulfillmentPayloadFor } from "#tests/demo/scenario";
import { backends, buyer, DAY, delivery, MINUTE, settle, useDatabase } from "./harness";

const LANE_ROW = "lane:dhl_express|DE|US";

/** The client with every Prisma operation (model or raw) it runs noted in `log`. */
function counting(db: Db, log: string[]): Db {
  return db.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        log.push(model ? `${model}.${operation}` : operation);
        return query(args);
      },
    },
  }) as unknown as Db;
}

describe.each(backends)("the lane model's cost per carrier event on $name", (backend) => {
  const suite = useDatabase(backend);
  const { deliver, newShop, paidOrder } = suite;
  const now = new Date();
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);
  afterEach(() => vi.unstubAllEnvs());

  /** A shop whose DHL Express lane to the USA already knows 60 recent deliveries. */
  async function taughtShop(label: string) {
    const shop = await newShop(label);
    await suite.db.shop.update({ where: { domain: shop }, data: { country: "DE" } });
    const lane = { carrier: "DHL Express", originCountry: "DE", destinationCountry: "US", destinationRegion: null };
    const parcels = Array.from({ length: 60 }, (_, i) => ({ ...lane, handedOverAt: at(20 - (i % 5)), deliveredAt: at(14 - (i % 5) - (i % 3)) }));
    await saveLaneModel(suite.db, shop, rebuildLaneModel(parcels));
    return shop;
  }

  const event = (i: number, n: number, status: string, happened: Date) => fulfillmentEventFor(190_000 + i * 10 + n, 18_000 + i, 17_000 + i, status, happened);

  /** Parcel i paid, fulfilled 6 days ago and scanned 5 days ago. */
  async function shipped(shop: string, i: number) {
    const order = await paidOrder(shop, 17_000 + i, buyer(`Cost${i}`), at(7));
    const payload = fulfillmentPayloadFor(18_000 + i, order.id, "DHL Express", `JD0246${String(i).padStart(4, "0")}`, "US", { created: at(6), updated: at(6) });
    expect(await deliver(delivery(shop, "fulfillments/create", payload))).toBe("recorded");
    expect(await deliver(delivery(shop, "fulfillment_events/create", event(i, 1, "in_transit", at(5))))).toBe("recorded");
  }

  /** The Prisma operations recording one carrier event ran, with LANE_LEARNING as given. */
  async function operations(shop: string, learning: "on" | "off", payload: unknown): Promise<string[]> {
    vi.stubEnv("LANE_LEARNING", learning);
    const log: string[] = [];
    expect(await recordDelivery({ db: counting(suite.db, log) }, { shop, topic: "fulfillment_events/create", payload }, { now: new Date() })).toBe("recorded");
    return log;
  }

  const laneStatOps = (log: string[]) => log.filter((op) => op.startsWith("LaneStat."));

  it("a delivery reads the lane's rows once and writes the changed ones in one statement", async () => {
    const shop = await taughtShop("cost-delivery");
    await shipped(shop, 1);
    await shipped(shop, 2);
    const before = JSON.parse((await suite.db.laneStat.findUniqueOrThrow({ where: { shop_levelId: { shop, levelId: LANE_ROW } } })).stats) as LaneStats;
    const off = await operations(shop, "off", event(1, 2, "delivered", at(1)));
    const on = await operations(shop, "on", event(2, 2, "delivered", at(1)));
    // SQLite: the one read and the one write (raw). PostgreSQL also takes the shop's lock and reads again under it.
    const postgres = isPostgres(suite.db);
    expect(laneStatOps(on)).toEqual(postgres ? ["LaneStat.findMany", "LaneStat.findMany"] : ["LaneStat.findMany"]);
    expect(on.length, `on: ${on.join(", ")}\noff: ${off.join(", ")}`).toBeLessThanOrEqual(off.length + (postgres ? 4 : 2));
    expect(laneStatOps(off)).toEqual([]);
    // And it did teach the lane (the parcel recorded with the model off taught nothing).
    const after = JSON.parse((await suite.db.laneStat.findUniqueOrThrow({ where: { shop_levelId: { shop, levelId: LANE_ROW } } })).stats) as LaneStats;
    expect(after.counts).toMatchObject({ delivered: before.counts.delivered + 1, inTransit: before.counts.inTransit - 1 });
  });

  it("an event that teaches nothing costs the window's one read", async () => {
    const shop = await taughtShop("cost-routine");
    await shipped(shop, 3);
    await shipped(shop, 4);
    const rows = await suite.db.laneStat.findMany({ where: { shop }, orderBy: { levelId: "asc" } });
    const off = await operations(shop, "off", event(3, 2, "in_transit", at(3)));
    const on = await operations(shop, "on", event(4, 2, "in_transit", at(3)));
    expect(laneStatOps(on)).toEqual(["LaneStat.findMany"]);
    expect(on.length).toBeLessThanOrEqual(off.length + 1);
    expect(await suite.db.laneStat.findMany({ where: { shop }, orderBy: { levelId: "asc" } })).toEqual(rows);
  });

  it("counts every one of concurrent deliveries on one lane", async () => {
    const shop = await taughtShop("cost-concurrent");
    vi.stubEnv("LANE_LEARNING", "on");
    const parcels = Array.from({ length: 8 }, (_, k) => 10 + k);
    for (const i of parcels) await shipped(shop, i);
    const before = JSON.parse((await suite.db.laneStat.findUniqueOrThrow({ where: { shop_levelId: { shop, levelId: LANE_ROW } } })).stats) as LaneStats;
    const outcomes = await settle(parcels.map((i) => deliver(delivery(shop, "fulfillment_events/create", event(i, 2, "delivered", at(1))))));
    expect(outcomes).toEqual(parcels.map(() => "recorded"));
    const after = JSON.parse((await suite.db.laneStat.findUniqueOrThrow({ where: { shop_levelId: { shop, levelId: LANE_ROW } } })).stats) as LaneStats;
    expect(after.counts).toMatchObject({ delivered: before.counts.delivered + parcels.length, inTransit: before.counts.inTransit - parcels.length });
  }, 60_000);

  it("a delivery that teaches the lane between a batch's plan and its write is counted, and so is each of the batch's", async () => {
    const shop = await taughtShop("cost-between");
    vi.stubEnv("LANE_LEARNING", "on");
    const parcels = Array.from({ length: 6 }, (_, k) => 70 + k);
    for (const i of [...parcels, 80]) await shipped(shop, i);
    const before = JSON.parse((await suite.db.laneStat.findUniqueOrThrow({ where: { shop_levelId: { shop, levelId: LANE_ROW } } })).stats) as LaneStats;
    const inbox = new InboxWriter(suite.db);
    for (const i of parcels) expect(await inbox.accept(delivery(shop, "fulfillment_events/create", event(i, 2, "delivered", at(1))))).toBe("accepted");
    const claimedAt = new Date();
    const mine = (await claimReceipts(suite.db, claimedAt, 1_000, MINUTE)).filter((r) => r.shop === shop);
    expect(mine).toHaveLength(parcels.length);
    const phases: WritePhase[] = [];
    const unsubscribe = onWritePhase((phase) => phases.push(phase));
    try {
      // Another worker records parcel 80's delivery (teaching the same lane rows) after the batch planned.
      const meanwhile = async () => expect(await deliver(delivery(shop, "fulfillment_events/create", event(80, 2, "delivered", at(1))))).toBe("recorded");
      expect((await recordBatch({ db: suite.db, beforeWrite: meanwhile }, mine, claimedAt)).recorded).toHaveLength(parcels.length);
    } finally {
      unsubscribe();
    }
    const after = JSON.parse((await suite.db.laneStat.findUniqueOrThrow({ where: { shop_levelId: { shop, levelId: LANE_ROW } } })).stats) as LaneStats;
    expect(after.counts).toMatchObject({ delivered: before.counts.delivered + parcels.length + 1, inTransit: before.counts.inTransit - parcels.length - 1 });
    // PostgreSQL replays the batch's lane changes on the newer rows under the shop's lane lock; SQLite plans again.
    expect(phases.map((p) => p.replanned)).toEqual([!isPostgres(suite.db)]);
  }, 60_000);

  it("in the inbox's batches, carrier events cost a fraction of a statement each, and each teaches the lane once", async () => {
    const shop = await taughtShop("cost-batch");
    vi.stubEnv("LANE_LEARNING", "on");
    const parcels = Array.from({ length: 24 }, (_, k) => 40 + k);
    for (const i of parcels) await shipped(shop, i);
    const before = JSON.parse((await suite.db.laneStat.findUniqueOrThrow({ where: { shop_levelId: { shop, levelId: LANE_ROW } } })).stats) as LaneStats;
    const inbox = new InboxWriter(suite.db);
    for (const i of parcels) expect(await inbox.accept(delivery(shop, "fulfillment_events/create", event(i, 2, "delivered", at(1))))).toBe("accepted");
    const log: string[] = [];
    const raw = statementsRun();
    expect(await processInbox({ db: counting(suite.db, log), now: new Date() })).toMatchObject({ claimed: parcels.length, processed: parcels.length, failed: 0 });
    // Prisma operations (the batch's check of shops and known orders) plus those run on the driver: the claim, the
    // locks (PostgreSQL), one read per table, one write per table and set of changed columns.
    const statements = log.length + statementsRun() - raw;
    expect(statements / parcels.length, `${statements} statements: ${log.join(", ")}`).toBeLessThanOrEqual(1);
    const after = JSON.parse((await suite.db.laneStat.findUniqueOrThrow({ where: { shop_levelId: { shop, levelId: LANE_ROW } } })).stats) as LaneStats;
    expect(after.counts).toMatchObject({ delivered: before.counts.delivered + parcels.length, inTransit: before.counts.inTransit - parcels.length });
  }, 60_000);
});
