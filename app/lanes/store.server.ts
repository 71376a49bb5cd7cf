// The shop's lane model in the database: one LaneStat row per lane level (and per carrier's
// online-for-tracking and the shop's handling histograms), so a parcel's update writes only its levels.
import { randomUUID } from "node:crypto";
import type { Prisma } from "@prisma/client";
import type { TransitOverrides } from "~/carriers/registry";
import type { Db } from "~/db.server";
import { isPostgres } from "~/db/dialect";
import { IN_LIST_MAX, inSlices } from "~/db/in-lists";
import { groupBy } from "~/group-by";
import { estimateWindow, type LaneWindow } from "./estimate-window";
import { carrierKey, laneKey, laneLevels, type LaneInput } from "./lane-key";
import { createLaneModel, type DecayedHistogram, type LaneModel, type LaneStats } from "./lane-model";

// A batch's in-memory client (app/webhooks/batch-store.server.ts) takes the lane model's write itself.
type Tx = Pick<Prisma.TransactionClient, "laneStat" | "$executeRaw" | "$executeRawUnsafe"> & {
  writeLaneRows?: (shop: string, rows: readonly { levelId: string; stats: string }[]) => Promise<void>;
  noteLaneChange?: (shop: string, levelIds: readonly string[], change: (model: LaneModel) => void) => void;
  laneCache?: LaneCache;
};

/**
 * A batch's lane rows held parsed for its whole length (app/webhooks/batch-store.server.ts): `rows`
 * hands out the current stats objects themselves (no JSON parse per delivery), `changed` takes what a
 * change made of them (the batch writes the changed rows once, at its flush, instead of one JSON
 * string per delivery).
 */
export interface LaneCache {
  rows(shop: string, levelIds: readonly string[]): Promise<LaneRows>;
  changed(shop: string, levelIds: readonly string[], model: LaneModel): void;
}

/** One update of the lane model: the rows it reads and writes, and what it does to them. */
export interface LaneChange {
  levelIds: readonly string[];
  change: (model: LaneModel) => void;
}

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
  return modelOfStats(rows.map(({ levelId, stats }) => [levelId, JSON.parse(stats) as LaneStats | DecayedHistogram]));
}

/** A model holding these rows' stats objects (not copies). */
export function modelOfStats(entries: Iterable<readonly [string, LaneStats | DecayedHistogram]>): LaneModel {
  const model = createLaneModel();
  for (const [levelId, stats] of entries) {
    if (levelId.startsWith(ONLINE)) model.onlineForTracking[levelId.slice(ONLINE.length)] = stats as DecayedHistogram;
    else if (levelId.startsWith(HANDLING)) model.handling[levelId.slice(HANDLING.length)] = stats as DecayedHistogram;
    else model.lanes[levelId] = stats as LaneStats;
  }
  return model;
}

/**
 * Per shop, the part of its model the handling commitment reads (its handling hours and its carriers'
 * online-for-tracking days), in one query for every 250 shops.
 */
export async function loadCommitmentModels(db: Pick<Tx, "laneStat">, shops: readonly string[]): Promise<Map<string, LaneModel>> {
  // Two parameters a shop: half as many shops a statement as a list takes (app/db/in-lists.ts).
  const rows = await inSlices(
    shops,
    (slice) =>
      db.laneStat.findMany({
        where: { shop: { in: slice }, OR: [{ levelId: { startsWith: ONLINE } }, { levelId: { in: slice.map(handlingLevelId) } }] },
        select: { shop: true, levelId: true, stats: true },
      }),
    IN_LIST_MAX / 2,
  );
  const byShop = groupBy(rows, (row) => row.shop);
  return new Map(shops.map((shop) => [shop, modelFromRows(byShop.get(shop) ?? [])]));
}

export function statsOf(model: LaneModel, levelId: string): LaneStats | DecayedHistogram | undefined {
  if (levelId.startsWith(ONLINE)) return model.onlineForTracking[levelId.slice(ONLINE.length)];
  if (levelId.startsWith(HANDLING)) return model.handling[levelId.slice(HANDLING.length)];
  return model.lanes[levelId];
}

/**
 * Some of a shop's LaneStat rows as one read found them: the model they make, each row's JSON as stored,
 * and every id asked for (a row that did not exist is known to be absent), so a caller can read a
 * parcel's rows once for its window and hand them on to the model update.
 */
export interface LaneRows {
  shop: string;
  model: LaneModel;
  stored: Map<string, string>;
  asked: Set<string>;
}

/** The rows `levelIds` of the shop, in one query. */
export async function readLaneRows(db: Pick<Tx, "laneStat" | "laneCache">, shop: string, levelIds: readonly string[]): Promise<LaneRows> {
  if (db.laneCache) return db.laneCache.rows(shop, levelIds);
  const rows = await db.laneStat.findMany({ where: { shop, levelId: { in: [...levelIds] } }, select: { levelId: true, stats: true } });
  return { shop, model: modelFromRows(rows), stored: new Map(rows.map((row) => [row.levelId, row.stats])), asked: new Set(levelIds) };
}

/** The rows a parcel's window and its update read: its lane levels, its carrier's online-for-tracking, and the shop's handling when asked. */
export const rowIdsFor = (shop: string, parcel: LaneInput, withHandling: boolean): string[] => [...levelIdsOf(parcel), ...(withHandling ? [handlingLevelId(shop)] : [])];

/**
 * Reads `levelIds`, applies `change` and writes back the levels it created or changed (in one statement),
 * inside the caller's transaction. On PostgreSQL concurrent workers take turns per shop so no update is
 * lost: the rows are read again after the lock, whatever `read` holds (read before it, they may be
 * stale). SQLite has one writer: rows read earlier in the same transaction (`read`, when it covers
 * `levelIds`) are still current when the write lands, since in this process the adapter holds the
 * connection for the whole transaction, and another process's commit in between makes this
 * transaction's write fail (a stale WAL snapshot) rather than overwrite it.
 */
export async function updateLaneModel(tx: Tx, shop: string, levelIds: string[], change: (model: LaneModel) => void, read?: LaneRows): Promise<void> {
  const postgres = isPostgres(tx);
  if (postgres) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`lanes/${shop}`}, 0))`;
  if (tx.laneCache) {
    const held = await tx.laneCache.rows(shop, levelIds);
    tx.noteLaneChange?.(shop, levelIds, change);
    change(held.model);
    tx.laneCache.changed(shop, levelIds, held.model);
    return;
  }
  const reusable = !postgres && read && read.shop === shop && levelIds.every((id) => read.asked.has(id));
  const rows = reusable ? read : await readLaneRows(tx, shop, levelIds);
  tx.noteLaneChange?.(shop, levelIds, change);
  change(rows.model);
  const changed: { levelId: string; stats: string }[] = [];
  for (const levelId of levelIds) {
    const stats = statsOf(rows.model, levelId);
    if (!stats) continue;
    const json = JSON.stringify(stats);
    if (json === rows.stored.get(levelId)) continue;
    changed.push({ levelId, stats: json });
    rows.stored.set(levelId, json);
  }
  await writeLaneRows(tx, shop, changed, postgres);
}

/**
 * The changes applied in order to `rows` (a shop's lane rows as stored, covering every level the changes
 * name): the rows whose stats they change, with their new JSON.
 */
export function replayLaneChanges(rows: readonly { levelId: string; stats: string }[], changes: readonly LaneChange[]): { levelId: string; stats: string }[] {
  const stored = new Map(rows.map((row) => [row.levelId, row.stats]));
  const changed = new Map<string, string>();
  // Each change on a model of its own rows only, as updateLaneModel runs it.
  for (const { levelIds, change } of changes) {
    const model = modelFromRows(levelIds.flatMap((levelId) => (stored.has(levelId) ? [{ levelId, stats: stored.get(levelId)! }] : [])));
    change(model);
    for (const levelId of levelIds) {
      const stats = statsOf(model, levelId);
      if (!stats) continue;
      const json = JSON.stringify(stats);
      if (json === stored.get(levelId)) continue;
      stored.set(levelId, json);
      changed.set(levelId, json);
    }
  }
  return [...changed].map(([levelId, stats]) => ({ levelId, stats }));
}

/** Creates or overwrites the rows in one INSERT … ON CONFLICT, written per dialect (placeholders differ). */
async function writeLaneRows(tx: Tx, shop: string, rows: readonly { levelId: string; stats: string }[], postgres: boolean): Promise<void> {
  if (rows.length === 0) return;
  if (tx.writeLaneRows) return tx.writeLaneRows(shop, rows);
  const now = new Date();
  const params = rows.flatMap(({ levelId, stats }) => [randomUUID(), shop, levelId, stats, now]);
  const values = rows.map((_, r) => `(${[1, 2, 3, 4, 5].map((c) => (postgres ? `$${r * 5 + c}` : "?")).join(", ")})`).join(", ");
  const excluded = postgres ? "EXCLUDED" : "excluded";
  await tx.$executeRawUnsafe(
    `INSERT INTO "LaneStat" ("id", "shop", "levelId", "stats", "updatedAt") VALUES ${values} ON CONFLICT ("shop", "levelId") DO UPDATE SET "stats" = ${excluded}."stats", "updatedAt" = ${excluded}."updatedAt"`,
    ...params,
  );
}

/** The lane window for one parcel as of `now`, reading only its lane's rows. */
export async function laneWindowFor(
  db: Pick<Tx, "laneStat">,
  shop: string,
  parcel: LaneInput,
  options: { now: Date; coverage: number; overrides?: TransitOverrides },
): Promise<LaneWindow> {
  return laneWindowOf(await readLaneRows(db, shop, laneLevels(laneKey(parcel)).map(({ id }) => id)), parcel, options);
}

/** The lane window for one parcel from rows already read (they must include its lane levels). */
export function laneWindowOf(rows: LaneRows, parcel: LaneInput, options: { now: Date; coverage: number; overrides?: TransitOverrides }): LaneWindow {
  return estimateWindow(rows.model, laneKey(parcel), options);
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
