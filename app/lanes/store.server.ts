// The shop's lane model in the database: one LaneStat row per lane level (and per carrier's
// online-for-tracking and the shop's handling histograms), so a parcel's update writes only its levels.
import type { Prisma } from "@prisma/client";
import type { TransitOverrides } from "~/carriers/registry";
import type { Db } from "~/db.server";
import { isPostgres } from "~/db/dialect";
import { estimateWindow, type LaneWindow } from "./estimate-window";
import { carrierKey, laneKey, laneLevels, type LaneInput } from "./lane-key";
import { createLaneModel, type DecayedHistogram, type LaneModel, type LaneStats } from "./lane-model";

type Tx = Pick<Prisma.TransactionClient, "laneStat" | "$executeRaw">;

const ONLINE = "online:";
const HANDLING = "handling:";

/** The row ids a parcel on this lane can change: its lane levels and its carrier's online-for-tracking. */
export function levelIdsOf(parcel: LaneInput): string[] {
  return [...laneLevels(laneKey(parcel)).map(({ id }) => id), `${ONLINE}${carrierKey(parcel.carrier)}`];
}

export const handlingLevelId = (shop: string): string => `${HANDLING}${shop}`;

/** The shop's model from its rows (only `levelIds` when given), in one query. */
export async function loadLaneModel(db: Pick<Tx, "laneStat">, shop: string, levelIds?: string[]): Promise<LaneModel> {
  const rows = await db.laneStat.findMany({
    where: { shop, ...(levelIds ? { levelId: { in: levelIds } } : {}) },
    select: { levelId: true, stats: true },
  });
  return modelFromRows(rows);
}

function modelFromRows(rows: readonly { levelId: string; stats: string }[]): LaneModel {
  const model = createLaneModel();
  for (const { levelId, stats } of rows) {
    if (levelId.startsWith(ONLINE)) model.onlineForTracking[levelId.slice(ONLINE.length)] = JSON.parse(stats) as DecayedHistogram;
    else if (levelId.startsWith(HANDLING)) model.handling[levelId.slice(HANDLING.length)] = JSON.parse(stats) as DecayedHistogram;
    else model.lanes[levelId] = JSON.parse(stats) as LaneStats;
  }
  return model;
}

/**
 * Per shop, the part of its model the handling commitment reads (its handling hours and its carriers'
 * online-for-tracking days), in one query for all the shops.
 */
export async function loadCommitmentModels(db: Pick<Tx, "laneStat">, shops: readonly string[]): Promise<Map<string, LaneModel>> {
  const rows = shops.length
    ? await db.laneStat.findMany({
        where: { shop: { in: [...shops] }, OR: [{ levelId: { startsWith: ONLINE } }, { levelId: { in: shops.map(handlingLevelId) } }] },
        select: { shop: true, levelId: true, stats: true },
      })
    : [];
  return new Map(shops.map((shop) => [shop, modelFromRows(rows.filter((row) => row.shop === shop))]));
}

function statsOf(model: LaneModel, levelId: string): LaneStats | DecayedHistogram | undefined {
  if (levelId.startsWith(ONLINE)) return model.onlineForTracking[levelId.slice(ONLINE.length)];
  if (levelId.startsWith(HANDLING)) return model.handling[levelId.slice(HANDLING.length)];
  return model.lanes[levelId];
}

/**
 * Reads `levelIds`, applies `change` and writes back the levels it created or changed, inside the
 * caller's transaction. On PostgreSQL concurrent workers take turns per shop so no update is lost;
 * SQLite has one writer.
 */
export async function updateLaneModel(tx: Tx, shop: string, levelIds: string[], change: (model: LaneModel) => void): Promise<void> {
  if (isPostgres(tx)) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`lanes/${shop}`}, 0))`;
  const model = await loadLaneModel(tx, shop, levelIds);
  const before = new Map(levelIds.map((id) => [id, JSON.stringify(statsOf(model, id) ?? null)]));
  change(model);
  for (const levelId of levelIds) {
    const stats = statsOf(model, levelId);
    if (!stats) continue;
    const json = JSON.stringify(stats);
    if (json === before.get(levelId)) continue;
    await tx.laneStat.upsert({
      where: { shop_levelId: { shop, levelId } },
      create: { shop, levelId, stats: json },
      update: { stats: json },
    });
  }
}

/** The lane window for one parcel as of `now`, reading only its lane's rows. */
export async function laneWindowFor(
  db: Pick<Tx, "laneStat">,
  shop: string,
  parcel: LaneInput,
  options: { now: Date; coverage: number; overrides?: TransitOverrides },
): Promise<LaneWindow> {
  const key = laneKey(parcel);
  const model = await loadLaneModel(db, shop, laneLevels(key).map(({ id }) => id));
  return estimateWindow(model, key, options);
}

/** Replaces every row of the shop's model at once (a relearn), in one transaction. */
export async function saveLaneModel(db: Db, shop: string, model: LaneModel): Promise<number> {
  const rows = [
    ...Object.entries(model.lanes).map(([levelId, stats]) => ({ shop, levelId, stats: JSON.stringify(stats) })),
    ...Object.entries(model.onlineForTracking).map(([carrier, stats]) => ({ shop, levelId: `${ONLINE}${carrier}`, stats: JSON.stringify(stats) })),
    ...Object.entries(model.handling).map(([owner, stats]) => ({ shop, levelId: `${HANDLING}${owner}`, stats: JSON.stringify(stats) })),
  ];
  await db.$transaction(async (tx) => {
    if (isPostgres(tx)) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`lanes/${shop}`}, 0))`;
    await tx.laneStat.deleteMany({ where: { shop } });
    if (rows.length) await tx.laneStat.createMany({ data: rows });
  });
  return rows.length;
}
