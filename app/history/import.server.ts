// The history import's imperative shell: start Shopify's bulk export, look at it until it finishes
// (the bulk_operations/finish webhook records the news, the job's look is the fallback), then read the
// file as it downloads and record it. One row per attempt; a failed or expired one is retried as a new row.
import type { HistoryImport } from "@prisma/client";
import type { Db } from "~/db.server";
import type { GraphqlFunction } from "~/shops/admin-graphql.server";
import { log } from "~/log.server";
import { historyQuery, historySince } from "./bulk-query";
import { BulkQueryRefused, lookAtBulkOperation, runBulkQuery } from "./bulk-operation.server";
import { canRetry, nextStep } from "./import-state";
import { readJsonl } from "./jsonl";
import { recordHistory, type HistoryCounts } from "./record-history.server";
import { relearnShopLanes } from "~/lanes/relearn.server";
import { laneLearningOn } from "~/env.server";

export interface HistoryDeps {
  db: Db;
  /** The shop's offline Admin GraphQL client. */
  graphqlFor: (shop: string) => Promise<GraphqlFunction>;
  /** Downloads the result file (Shopify's storage, not the Admin API). */
  download?: (url: string) => Promise<Response>;
  leaseMs?: number;
}

const LEASE_MS = 5 * 60 * 1000;

export const latestImport = (db: Db, shop: string) =>
  db.historyImport.findFirst({ where: { shop }, orderBy: { startedAt: "desc" } });

/** Starts an import unless one is running (then that one is returned). */
export async function startHistoryImport(deps: HistoryDeps, shop: string, now: Date): Promise<HistoryImport> {
  const { db } = deps;
  const current = await latestImport(db, shop);
  if (current?.status === "running") return current;
  const since = historySince(now);
  // Leased while Shopify is asked, so the job never looks at an import without its operation yet.
  const run = await db.historyImport.create({ data: { shop, since, startedAt: now, leaseUntil: new Date(now.getTime() + (deps.leaseMs ?? LEASE_MS)) } });
  try {
    const operation = await runBulkQuery(await deps.graphqlFor(shop), historyQuery(since, now));
    log.info("history import started", { shop, bulkOperationId: operation.id });
    return await db.historyImport.update({ where: { id: run.id }, data: { bulkOperationId: operation.id, bulkStatus: operation.status, leaseUntil: null } });
  } catch (error) {
    log.warn("history import could not start", { shop, error });
    const errorCode = error instanceof BulkQueryRefused ? (error.code ?? "REFUSED") : "START_FAILED";
    return finish(db, run.id, { status: "failed", errorCode, errorMessage: messageOf(error) });
  }
}

/** The merchant's Import or Retry: a first import, or again after one failed or expired. */
export async function requestHistoryImport(deps: HistoryDeps, shop: string, now: Date): Promise<HistoryImport | null> {
  const current = await latestImport(deps.db, shop);
  if (current && !canRetry(current.status)) return current;
  return startHistoryImport(deps, shop, now);
}

/** The job: look at every running import once. Returns how many were looked at. */
export async function advanceHistoryImports(deps: HistoryDeps, now: Date): Promise<number> {
  const running = await deps.db.historyImport.findMany({ where: { status: "running" }, select: { id: true }, take: 20 });
  let looked = 0;
  for (const { id } of running) if (await advanceHistoryImport(deps, id, now)) looked++;
  return looked;
}

/** Looks at one running import's export and acts on it. Null when another worker holds it. */
export async function advanceHistoryImport(deps: HistoryDeps, id: string, now: Date): Promise<HistoryImport | null> {
  const { db } = deps;
  const leaseMs = deps.leaseMs ?? LEASE_MS;
  const lease = new Date(now.getTime() + leaseMs);
  const { count } = await db.historyImport.updateMany({
    where: { id, status: "running", OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: { leaseUntil: lease },
  });
  if (count !== 1) return null;
  const run = await db.historyImport.findUniqueOrThrow({ where: { id } });
  try {
    if (!run.bulkOperationId) return await finish(db, id, { status: "failed", errorCode: "START_FAILED", errorMessage: "The export never started. Try again." });
    const step = nextStep(await lookAtBulkOperation(await deps.graphqlFor(run.shop), run.bulkOperationId));
    if (step.kind === "wait") return await db.historyImport.update({ where: { id }, data: { bulkStatus: step.bulkStatus, objectCount: step.objectCount, leaseUntil: null } });
    if (step.kind === "finish") return await finish(db, id, step);
    await db.historyImport.update({ where: { id }, data: { bulkStatus: "COMPLETED", objectCount: step.objectCount } });
    const counts = await recordFile(deps, run, step.url, leaseMs);
    // The imported parcels went in by the thousand: the shop's lanes learn from all of them at once (unless LANE_LEARNING=off).
    if (laneLearningOn()) await relearnShopLanes(db, run.shop);
    return await finish(db, id, { status: "completed", errorCode: null, errorMessage: null }, counts);
  } catch (error) {
    // Recording is idempotent, so a failed file can simply be read again: the merchant's Retry does.
    log.warn("history import failed", { shop: run.shop, error });
    return finish(db, id, { status: "failed", errorCode: "RECORDING_FAILED", errorMessage: `Recording Shopify's export failed: ${messageOf(error)}. Try again.` });
  }
}

async function recordFile(deps: HistoryDeps, run: HistoryImport, url: string, leaseMs: number): Promise<HistoryCounts> {
  const response = await (deps.download ?? fetch)(url);
  if (!response.ok || !response.body) throw new Error(`the export's file answered HTTP ${response.status}`);
  return recordHistory(deps.db, run.shop, readJsonl(response.body), {
    importedAt: run.startedAt,
    // Progress for the admin, and the lease held while the file is long.
    onProgress: (counts) =>
      deps.db.historyImport.update({ where: { id: run.id }, data: { ...counts, leaseUntil: new Date(Date.now() + leaseMs) } }).then(() => undefined),
  });
}

function finish(
  db: Db,
  id: string,
  outcome: { status: string; errorCode: string | null; errorMessage: string | null },
  counts?: HistoryCounts,
): Promise<HistoryImport> {
  return db.historyImport.update({
    where: { id },
    data: { status: outcome.status, errorCode: outcome.errorCode, errorMessage: outcome.errorMessage, ...counts, finishedAt: new Date(), leaseUntil: null },
  });
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
