// The mail queue's statements. A claim is a lease: a worker that dies mid-send leaves rows that another
// claims once the lease expires. Every outcome is written with a compare-and-set on that lease, the
// moment SendGrid answers (not at the end of a batch), so a crash loses nothing. The one window for a
// duplicate is a crash between SendGrid's 202 and that single-row update; SendGrid offers no
// idempotency key to close it.
import type { Notification } from "@prisma/client";
import { sqliteConnectionOf, type Db } from "~/db.server";
import { isPostgres } from "~/db/dialect";
import { NotificationStatus } from "./status";
import { MINUTE_MS } from "~/time";


/** Exponential backoff with full jitter: 1 min, 2, 4 … capped at 1 h. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(60 * MINUTE_MS, MINUTE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Claims up to `limit` due notifications (scheduled and due, or sending with an expired lease) in one
 * statement. Never one whose order still has a delivery waiting in the inbox (a cancellation 10 ms behind
 * the payment): it waits until that is recorded and planned, and the inbox job then wakes the mail job.
 * The clause is written out in each claim, as a Prisma.sql fragment of one generated client is not one to
 * the other database's client. PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent workers take disjoint rows without
 * waiting on each other. SQLite: one writer at a time, the UPDATE … RETURNING is atomic. Both use the
 * (status, scheduledFor) index, so the cost does not grow with rows scheduled for later.
 */
export async function claimDue(db: Db, now: Date, limit: number, leaseMs: number): Promise<Notification[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const ids = isPostgres(db)
    ? await db.$queryRaw<{ id: string }[]>`
        UPDATE "Notification" SET "status" = 'sending', "leaseUntil" = ${leaseUntil}, "attempts" = "attempts" + 1, "updatedAt" = ${now}
        WHERE "id" IN (
          SELECT "id" FROM "Notification" n
          WHERE (("status" = 'scheduled' AND "scheduledFor" <= ${now}) OR ("status" = 'sending' AND "leaseUntil" < ${now}))
            AND NOT EXISTS (SELECT 1 FROM "WebhookReceipt" r WHERE r."shop" = n."shop" AND r."orderShopifyId" = n."orderShopifyId" AND r."status" IN ('pending', 'processing'))
          ORDER BY "scheduledFor" LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        )
        RETURNING "id"`
    : await db.$queryRaw<{ id: string }[]>`
        UPDATE "Notification" SET "status" = 'sending', "leaseUntil" = ${leaseUntil}, "attempts" = "attempts" + 1, "updatedAt" = ${now}
        WHERE "id" IN (
          SELECT "id" FROM (
            SELECT * FROM (SELECT "id", "scheduledFor" FROM "Notification" n WHERE "status" = 'sending' AND "leaseUntil" < ${now} AND NOT EXISTS (SELECT 1 FROM "WebhookReceipt" r WHERE r."shop" = n."shop" AND r."orderShopifyId" = n."orderShopifyId" AND r."status" IN ('pending', 'processing')) ORDER BY "scheduledFor" LIMIT ${limit})
            UNION ALL
            SELECT * FROM (SELECT "id", "scheduledFor" FROM "Notification" n WHERE "status" = 'scheduled' AND "scheduledFor" <= ${now} AND NOT EXISTS (SELECT 1 FROM "WebhookReceipt" r WHERE r."shop" = n."shop" AND r."orderShopifyId" = n."orderShopifyId" AND r."status" IN ('pending', 'processing')) ORDER BY "scheduledFor" LIMIT ${limit})
          )
          ORDER BY "scheduledFor" LIMIT ${limit}
        )
        RETURNING "id"`;
  if (ids.length === 0) return [];
  const rows = await db.notification.findMany({ where: { id: { in: ids.map((r) => r.id) } } });
  return rows.sort((a, b) => a.scheduledFor.getTime() - b.scheduledFor.getTime());
}

/** Prisma stores SQLite DateTime values as this text; raw statements must compare and write the same. */
const sqliteDate = (d: Date) => d.toISOString().replace("Z", "+00:00");

export interface AcceptedMail {
  messageId: string | null;
  subject: string;
  html: string;
  text: string;
}

/**
 * The hot statement: SendGrid accepted the mail at `now`. Under our lease only (another worker may have
 * taken an expired one over); on SQLite straight on the connection, which is ~20× cheaper than through Prisma.
 */
export async function markSent(db: Db, notification: Notification, sent: AcceptedMail, now: Date): Promise<void> {
  const connection = sqliteConnectionOf(db);
  if (connection && notification.leaseUntil) {
    await connection.execute({
      sql: `UPDATE "Notification" SET "status" = 'sent', "leaseUntil" = NULL, "providerMessageId" = ?, "sentAt" = ?, "subject" = ?, "html" = ?, "text" = ?,
              "lastError" = NULL, "updatedAt" = ? WHERE "id" = ? AND "status" = 'sending' AND "leaseUntil" = ?`,
      args: [sent.messageId, sqliteDate(now), sent.subject, sent.html, sent.text, sqliteDate(now), notification.id, sqliteDate(notification.leaseUntil)],
    });
    return;
  }
  await db.notification.updateMany({
    where: { id: notification.id, status: NotificationStatus.sending, leaseUntil: notification.leaseUntil },
    data: { status: NotificationStatus.sent, leaseUntil: null, providerMessageId: sent.messageId, sentAt: now, subject: sent.subject, html: sent.html, text: sent.text, lastError: null },
  });
}

/** Settles a claimed row, only while the lease is ours: if it ran out and another worker took the row over, leave it be. */
export async function markOutcome(db: Db, notification: Notification, data: Partial<Notification>): Promise<void> {
  await db.notification.updateMany({
    where: { id: notification.id, status: NotificationStatus.sending, leaseUntil: notification.leaseUntil },
    data: { leaseUntil: null, ...data },
  });
}

/** Back to the queue for `ms` without spending an attempt (nothing was tried). */
export function postpone(db: Db, notification: Notification, now: Date, ms: number, reason: string): Promise<void> {
  return markOutcome(db, notification, { status: NotificationStatus.scheduled, scheduledFor: new Date(now.getTime() + ms), attempts: notification.attempts - 1, lastError: reason });
}

/** A failed attempt that may succeed later: back to the queue after this attempt's backoff. */
export function retryLater(db: Db, notification: Notification, now: Date, error: string): Promise<void> {
  return markOutcome(db, notification, { status: NotificationStatus.scheduled, scheduledFor: new Date(now.getTime() + backoffMs(notification.attempts)), lastError: error });
}
