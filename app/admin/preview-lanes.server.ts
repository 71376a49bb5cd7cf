// The shop's learned lanes the template editor's preview can show: listed from the stored lane model,
// and one chosen lane's window at the shop's coverage. Every query is keyed by the session's shop.
import type { Db } from "~/db.server";
import { carrierByCode } from "~/carriers/registry";
import { estimateWindow } from "~/lanes/estimate-window";
import { laneLevels, type LaneKey } from "~/lanes/lane-key";
import type { LaneStats } from "~/lanes/lane-model";
import { loadLaneModel } from "~/lanes/store.server";
import type { PreviewLane } from "./template-editor";
import { countryLabel } from "./templates";

const LANE = "lane:";
const MAX_LANES = 50;

/** "lane:dhl_express|DE|US" → its key; null for anything else. */
function keyOf(levelId: string): LaneKey | null {
  if (!levelId.startsWith(LANE)) return null;
  const [carrier, origin, destination] = levelId.slice(LANE.length).split("|");
  return carrier && destination !== undefined && origin !== undefined ? { carrier, origin, destination, region: null } : null;
}

const carrierLabel = (code: string) => carrierByCode(code)?.name ?? code;

/** The shop's lanes, busiest first: "DHL Express, Germany → United States (40 delivered)". */
export async function listPreviewLanes(db: Pick<Db, "laneStat">, shop: string): Promise<{ value: string; label: string }[]> {
  const rows = await db.laneStat.findMany({ where: { shop, levelId: { startsWith: LANE } }, select: { levelId: true, stats: true } });
  return rows
    .map((row) => ({ row, key: keyOf(row.levelId), delivered: (JSON.parse(row.stats) as LaneStats).counts.delivered }))
    .filter((lane): lane is typeof lane & { key: LaneKey } => lane.key !== null)
    .sort((a, b) => b.delivered - a.delivered || a.row.levelId.localeCompare(b.row.levelId))
    .slice(0, MAX_LANES)
    .map(({ row, key, delivered }) => ({
      value: row.levelId,
      label: `${carrierLabel(key.carrier)}, ${key.origin ? countryLabel(key.origin) : "unknown origin"} → ${countryLabel(key.destination)} (${delivered.toLocaleString("en-US")} delivered)`,
    }));
}

/** The chosen lane's learned window, as the shop's coverage prints it; null when the shop has no such lane. */
export async function loadPreviewLane(db: Pick<Db, "laneStat">, shop: string, levelId: string, coverage: number, now: Date): Promise<PreviewLane | null> {
  const key = levelId ? keyOf(levelId) : null;
  if (!key) return null;
  // Its parents too: a lane with few parcels shows the window a real parcel on it would get.
  const model = await loadLaneModel(db, shop, laneLevels(key).map(({ id }) => id));
  if (!model.lanes[levelId]) return null;
  return { key, window: estimateWindow(model, key, { now, coverage }) };
}
