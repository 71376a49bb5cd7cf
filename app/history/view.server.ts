// What the Carriers page shows of the history import: the latest attempt, its progress and its error.
import type { Db } from "~/db.server";
import { HISTORY_DAYS } from "./bulk-query";
import { latestImport } from "./import.server";
import { canRetry, importProgress, type ImportProgress } from "./import-state";

export interface HistoryImportView extends ImportProgress {
  status: "never" | "running" | "completed" | "failed" | "expired";
  errorCode: string | null;
  errorMessage: string | null;
  canStart: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  since: string | null;
  days: number;
}

export async function historyImportCard(db: Db, shop: string): Promise<HistoryImportView> {
  const run = await latestImport(db, shop);
  if (!run) {
    return { status: "never", percent: 0, label: "0 orders imported", phase: "No history imported yet.", errorCode: null, errorMessage: null, canStart: true, startedAt: null, finishedAt: null, since: null, days: HISTORY_DAYS };
  }
  return {
    ...importProgress(run),
    status: run.status as HistoryImportView["status"],
    errorCode: run.errorCode,
    errorMessage: run.status === "running" ? null : run.errorMessage,
    canStart: canRetry(run.status),
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    since: run.since.toISOString(),
    days: HISTORY_DAYS,
  };
}
