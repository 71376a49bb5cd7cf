// The mail queue's statements. A claim is a lease: a worker that dies mid-send leaves rows that another
// claims once the lease expires. Every outcome is written with a compare-and-set on that lease, as soon
// as SendGrid answers (not at the end of a batch), so a crash loses nothing. Accepted mails are marked
// by group commit: the answers that arrive while one multi-row UPDATE runs are written together by the
// next, so a mail waits at most for the statement in progress and its own, a few milliseconds, as it
// waited for its single-row update before. The one window for a duplicate is a crash between SendGrid's
// 202 and that commit; SendGrid offers no idempotency key to close it.
import type { Notification } from "@prisma/client";
import type { Db } from "~/db.server";
import { inTransaction, sqliteDate, type Session } from "~/db/rows.server";
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
 * (status, scheduledFor) index, so the cost does not grow with rows scheduled for later. The claimed
 * rows come back from the UPDATE itself (RETURNING *, typed by the client as a findMany would type
 * them: tests/data/notifications.test.ts compares the two), not from a second query.
 */
export async function claimDue(db: Db, now: Date, limit: number, leaseMs: number): Promise<Notification[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const rows = isPostgres(db)
    ? await db.$queryRaw<Notification[]>`
        UPDATE "Notification" SET "status" = 'sending', "leaseUntil" = ${leaseUntil}, "attempts" = "attempts" + 1, "updatedAt" = ${now}
        WHERE "id" IN (
          SELECT "id" FROM "Notification" n
          WHERE (("status" = 'scheduled' AND "scheduledFor" <= ${now}) OR ("status" = 'sending' AND "leaseUntil" < ${now}))
            AND NOT EXISTS (SELECT 1 FROM "WebhookReceipt" r WHERE r."shop" = n."shop" AND r."orderShopifyId" = n."orderShopifyId" AND r."status" IN ('pending', 'processing'))
          ORDER BY "scheduledFor" LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        )
        RETURNING *`
    : await db.$queryRaw<Notification[]>`
        UPDATE "Notification" SET "status" = 'sending', "leaseUntil" = ${leaseUntil}, "attempts" = "attempts" + 1, "updatedAt" = ${now}
        WHERE "id" IN (
          SELECT "id" FROM (
            SELECT * FROM (SELECT "id", "scheduledFor" FROM "Notification" n WHERE "status" = 'sending' AND "leaseUntil" < ${now} AND NOT EXISTS (SELECT 1 FROM "WebhookReceipt" r WHERE r."shop" = n."shop" AND r."orderShopifyId" = n."orderShopifyId" AND r."status" IN ('pending', 'processing')) ORDER BY "scheduledFor" LIMIT ${limit})
            UNION ALL
            SELECT * FROM (SELECT "id", "scheduledFor" FROM "Notification" n WHERE "status" = 'scheduled' AND "scheduledFor" <= ${now} AND NOT EXISTS (SELECT 1 FROM "WebhookReceipt" r WHERE r."shop" = n."shop" AND r."orderShopifyId" = n."orderShopifyId" AND r."status" IN ('pending', 'processing')) ORDER BY "scheduledFor" LIMIT ${limit})
          )
          ORDER BY "scheduledFor" LIMIT ${limit}
        )
        RETURNING *`;
  return rows.sort((a, b) => a.scheduledFor.getTime() - b.scheduledFor.getTime());
}


export interface AcceptedMail {
  messageId: string | null;
  subject: string;
  html: string;
  text: string;
  /**
   * The last day of the delivery window the mail printed, kept on its shipment as the promise made
   * (feedback/facts.server.ts printedWindowDay), in the same group write as the row's mark; null when there is none to keep.
   */
  promisedDeliveryTo?: Date | null;
}

interface SentMark {
  notification: Notification;
  sent: AcceptedMail;
  at: Date;
  done(error?: unknown): void;
}

/** Rows per UPDATE: 7 parameters each, well under SQLite's and PostgreSQL's limits. */
const MARKS_PER_STATEMENT = 100;

/** One group-commit queue per client: answers that arrive while a write runs go in the next one. */
class SentMarks {
  private pending: SentMark[] = [];
  private writing = false;

  constructor(private readonly db: Db) {}

  add(notification: Notification, sent: AcceptedMail, at: Date): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ notification, sent, at, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.writing) {
        this.writing = true;
        // The answers read in the same turn of the event loop join this write.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length) {
      const group = this.pending.splice(0, MARKS_PER_STATEMENT);
      try {
        await writeSent(this.db, group);
        for (const mark of group) mark.done();
      } catch {
        // The multi-row statement failed (a lock held past busy_timeout, say): each row on its own,
        // so one bad row fails alone and the others are still recorded.
        for (const mark of group) await writeSent(this.db, [mark]).then(() => mark.done(), (error: unknown) => mark.done(error ?? new Error("marking the mail sent failed")));
      }
    }
    this.writing = false;
  }
}

const sentMarks = new WeakMap<Db, SentMarks>();

/**
 * SendGrid accepted the mail at `now`: the row is sent, under our lease only (another worker may have
 * taken an expired one over). Resolves once committed, in a multi-row UPDATE with the other mails
 * answered meanwhile (see SentMarks).
 */
export function markSent(db: Db, notification: Notification, sent: AcceptedMail, now: Date): Promise<void> {
  let marks = sentMarks.get(db);
  if (!marks) sentMarks.set(db, (marks = new SentMarks(db)));
  return marks.add(notification, sent, now);
}

/** How long a group of marks waits for a transaction of this process in progress before it fails. */
const MARK_WAIT_MS = 10_000;

/**
 * A group of accepted mails in one transaction (inTransaction, app/db/rows.server.ts): one UPDATE … FROM
 * (VALUES …) for the rows, one for their shipments' printed windows. On SQLite the statements run on the
 * shared connection inside a Prisma transaction, which holds the adapter's lock: a statement straight on
 * the connection could otherwise land inside another of this process's Prisma transactions (a batch
 * claimed ahead, a context load) and be rolled back or left uncommitted with it, a sent mail then
 * looking unsent and going out twice. DateTime values as Prisma stores them on each dialect.
 */
async function writeSent(db: Db, marks: SentMark[]): Promise<void> {
  const withLease = marks.filter((m) => m.notification.leaseUntil);
  const leased = new Set(withLease);
  // A row sent without a lease of ours: one Prisma update per row.
  for (const m of marks.filter((x) => !leased.has(x))) {
    await db.notification.updateMany({
      where: { id: m.notification.id, status: NotificationStatus.sending, leaseUntil: m.notification.leaseUntil },
      data: { status: NotificationStatus.sent, leaseUntil: null, providerMessageId: m.sent.messageId, sentAt: m.at, subject: m.sent.subject, html: m.sent.html, text: m.sent.text, lastError: null },
    });
  }
  const promises = promisedDays(marks);
  if (withLease.length === 0 && promises.length === 0) return;
  await inTransaction(
    db,
    async (session) => {
      if (withLease.length > 0) await writeSentRows(session, withLease);
      if (promises.length > 0) await writePromises(session, promises);
    },
    { maxWait: MARK_WAIT_MS, timeout: MARK_WAIT_MS },
  );
}

/** A DateTime as Prisma stores it: UTC text cast to timestamp(3) on PostgreSQL, its own text on SQLite. */
const dateParam = (session: Session, d: Date) => (session.postgres ? d.toISOString() : sqliteDate(d));

/** `$n` placeholders on PostgreSQL (with `casts` per column), `?` on SQLite: one tuple per row. */
function valuesList(session: Session, rows: number, casts: string[]): string {
  return Array.from({ length: rows }, (_, i) => `(${casts.map((cast, j) => (session.postgres ? `$${i * casts.length + j + 1}${cast}` : "?")).join(", ")})`).join(", ");
}

async function writeSentRows(session: Session, withLease: SentMark[]): Promise<void> {
  const values = valuesList(session, withLease.length, ["::text", "::timestamp(3)", "::text", "::timestamp(3)", "::text", "::text", "::text"]);
  await session.run(
    `WITH v("id", "lease", "mid", "at", "subject", "html", "text") AS (VALUES ${values})
     UPDATE "Notification" SET "status" = 'sent', "leaseUntil" = NULL, "providerMessageId" = v."mid", "sentAt" = v."at", "subject" = v."subject",
       "html" = v."html", "text" = v."text", "lastError" = NULL, "updatedAt" = v."at"
     FROM v WHERE "Notification"."id" = v."id" AND "Notification"."status" = 'sending' AND "Notification"."leaseUntil" = v."lease"`,
    withLease.flatMap((m) => [m.notification.id, dateParam(session, m.notification.leaseUntil!), m.sent.messageId, dateParam(session, m.at), m.sent.subject, m.sent.html, m.sent.text]),
  );
}

/** Per shipment, the first printed window among the group's mails. */
function promisedDays(marks: SentMark[]): (readonly [string, string, Date])[] {
  const byShipment = new Map<string, readonly [string, string, Date]>();
  for (const m of marks) {
    const day = m.sent.promisedDeliveryTo;
    const shipment = m.notification.shipmentShopifyId;
    if (!day || !shipment) continue;
    const k = `${m.notification.shop}\u0000${shipment}`;
    if (!byShipment.has(k)) byShipment.set(k, [m.notification.shop, shipment, day]);
  }
  return [...byShipment.values()];
}

/** Each printed window kept on its shipment unless one is kept already (the first promise stands). */
async function writePromises(session: Session, rows: (readonly [string, string, Date])[]): Promise<void> {
  await session.run(
    `WITH v("shop", "shopifyId", "day") AS (VALUES ${valuesList(session, rows.length, ["::text", "::text", "::timestamp(3)"])})
     UPDATE "Shipment" SET "promisedDeliveryTo" = v."day"
     FROM v WHERE "Shipment"."shop" = v."shop" AND "Shipment"."shopifyId" = v."shopifyId" AND "Shipment"."promisedDeliveryTo" IS NULL`,
    rows.flatMap(([shop, id, day]) => [shop, id, dateParam(session, day)]),
  );
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
