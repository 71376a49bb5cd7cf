// What a redaction leaves below the rows: on SQLite the old page images in the WAL (deleted content in the
// database file itself is zeroed by `secure_delete`, set on every connection in app/db.server.ts); on
// PostgreSQL the dead tuples of the rows just changed, until VACUUM removes them from tables and indexes.
import type { Db } from "~/db.server";
import { isPostgres } from "~/db/dialect";
import { log } from "~/log.server";

/** The tables each redaction writes, for VACUUM. */
export const REDACTED_TABLES = {
  "customers/redact": ["Order", "Notification", "ContactMessage", "Suppression", "ComplianceRequest", "WebhookReceipt"],
  "shop/redact": [
    "Order",
    "Notification",
    "ContactMessage",
    "Suppression",
    "ComplianceRequest",
    "WebhookReceipt",
    "Shipment",
    "TrackingEvent",
    "Template",
    "HistoryImport",
    "LaneStat",
    "Reconciliation",
    "FeedbackClick",
    "ProductCache",
    "ProductSync",
    "Session",
    "Shop",
  ],
} as const;
export type RedactionTopic = keyof typeof REDACTED_TABLES;

export const isRedactionTopic = (topic: string): topic is RedactionTopic => topic in REDACTED_TABLES;

const CHECKPOINT_ATTEMPTS = 5;

/**
 * Run after the redaction's transaction has committed (neither statement runs inside one). SQLite: a
 * TRUNCATE checkpoint copies the WAL into the database file and empties the WAL. PostgreSQL: VACUUM
 * of every table the redaction touched.
 */
export async function eraseResidue(db: Db, topic: RedactionTopic): Promise<void> {
  if (isPostgres(db)) {
    const tables = REDACTED_TABLES[topic].map((table) => `"${table}"`).join(", ");
    await db.$executeRawUnsafe(`VACUUM ${tables}`);
    return;
  }
  for (let attempt = 1; ; attempt++) {
    // busy = 1 when another connection (`npm run worker`, a long read) kept the checkpoint from finishing.
    const [result] = await db.$queryRawUnsafe<{ busy: number | bigint }[]>("PRAGMA wal_checkpoint(TRUNCATE)");
    if (Number(result?.busy ?? 0) === 0) return;
    if (attempt === CHECKPOINT_ATTEMPTS) {
      log.warn("the WAL could not be emptied after a redaction; the next checkpoint will", { topic });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
  }
}
