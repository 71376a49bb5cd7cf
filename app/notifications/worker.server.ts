// The worker: claim due notifications, render the shop's template, hand the mail to SendGrid, record
// the outcome. A claim is a lease: a worker that dies mid-send leaves rows that another claims later.
//
// Hand-off guarantees. Each row is marked the moment SendGrid answers it (not at the end of a batch),
// with a compare-and-set on the lease, so a crash loses nothing: rows not yet answered are re-sent
// once their lease expires. The one window for a duplicate is a crash between SendGrid's 202 and that
// single-row update; SendGrid offers no idempotency key to close it.
import type { Notification, Order, Shipment, Shop, Template, TrackingEvent } from "@prisma/client";
import { sqliteConnectionOf, type Db } from "~/db.server";
import { isPostgres } from "~/db/dialect";
import { log } from "~/log.server";
import type { Mailer, OutgoingMail, SendResult } from "~/mail/sendgrid.server";
import { renderMessage, type TemplateSource } from "~/templates/render";
import { TemplateError } from "~/templates/template-error";
import { defaultTemplate, resolveDefaultLocale } from "~/templates/defaults";
import { localeCandidates } from "~/templates/locale";
import type { MessageKind, MessageVariables } from "~/templates/variables";
import { explainDelay } from "~/tracking/delay";
import { buildVariables } from "./variables";
import { delayDue } from "./plan";
import { timeZoneForCountry } from "./daytime";
import { settingsOf } from "./replan.server";
import { processInbox, yieldToRequests, type InboxOptions } from "~/webhooks/inbox.server";

/** Links that need the app's URL and secret; the wiring provides them (null: no link in the mail). */
export interface MailLinks {
  unsubscribe(shop: string, email: string): string | null;
  trackingPage(shop: Pick<Shop, "domain">, order: Pick<Order, "shopifyId" | "name">, locale: string): string | null;
  /** Headers for one-click unsubscribe (RFC 8058) given the unsubscribe URL. */
  unsubscribeHeaders(url: string): Record<string, string>;
}

export interface WorkerOptions {
  db: Db;
  /** The app's own SendGrid account; null when no key is configured. */
  mailer: Mailer | null;
  /** A mailer for a shop's own SendGrid key (the shop's encrypted key, already decrypted by the caller). */
  mailerForShop?: (shop: Shop) => Mailer | null;
  from: { email: string; name: string };
  links?: MailLinks;
  now?: () => Date;
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /** Mails in flight at once. */
  concurrency?: number;
}

export interface BatchResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  cancelled: number;
}

const MINUTE = 60_000;
/** Kinds a buyer can opt out of; they carry the unsubscribe link and List-Unsubscribe header. */
const OPTIONAL_KINDS: string[] = ["delay_notice", "feedback_request"];

/** Exponential backoff with full jitter: 1 min, 2, 4 … capped at 1 h. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(60 * MINUTE, MINUTE * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Claims up to `limit` due notifications (scheduled and due, or sending with an expired lease) in one
 * statement. PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent workers take disjoint rows without
 * waiting on each other. SQLite: one writer at a time, the UPDATE … RETURNING is atomic. Both use the
 * (status, scheduledFor) index, so the cost does not grow with rows scheduled for later.
 */
export async function claimDue(db: Db, now: Date, limit: number, leaseMs: number): Promise<Notification[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const ids = isPostgres(db)
    ? await db.$queryRaw<{ id: string }[]>`
        UPDATE "Notification" SET "status" = 'sending', "leaseUntil" = ${leaseUntil}, "attempts" = "attempts" + 1, "updatedAt" = ${now}
        WHERE "id" IN (
          SELECT "id" FROM "Notification"
          WHERE ("status" = 'scheduled' AND "scheduledFor" <= ${now}) OR ("status" = 'sending' AND "leaseUntil" < ${now})
          ORDER BY "scheduledFor" LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        )
        RETURNING "id"`
    : await db.$queryRaw<{ id: string }[]>`
        UPDATE "Notification" SET "status" = 'sending', "leaseUntil" = ${leaseUntil}, "attempts" = "attempts" + 1, "updatedAt" = ${now}
        WHERE "id" IN (
          SELECT "id" FROM (
            SELECT * FROM (SELECT "id", "scheduledFor" FROM "Notification" WHERE "status" = 'sending' AND "leaseUntil" < ${now} ORDER BY "scheduledFor" LIMIT ${limit})
            UNION ALL
            SELECT * FROM (SELECT "id", "scheduledFor" FROM "Notification" WHERE "status" = 'scheduled' AND "scheduledFor" <= ${now} ORDER BY "scheduledFor" LIMIT ${limit})
          )
          ORDER BY "scheduledFor" LIMIT ${limit}
        )
        RETURNING "id"`;
  if (ids.length === 0) return [];
  const rows = await db.notification.findMany({ where: { id: { in: ids.map((r) => r.id) } } });
  return rows.sort((a, b) => a.scheduledFor.getTime() - b.scheduledFor.getTime());
}

function chooseTemplate(custom: Template[], kind: MessageKind, locales: string[]): { locale: string; source: TemplateSource } {
  const own = (locale: string) => custom.find((t) => t.kind === kind && t.locale.toLowerCase() === locale.toLowerCase());
  for (const locale of locales) {
    const exact = own(locale);
    if (exact) return { locale, source: exact };
    // A locale the defaults cover, directly or by alias/language ("de-CH" → de, "zh" → zh-CN): the
    // merchant's own template for that locale first, then the default.
    const covered = resolveDefaultLocale(locale) ?? (locale.toLowerCase() === "en" ? "en" : null);
    if (covered) return { locale: covered, source: own(covered) ?? defaultTemplate(kind, covered) };
  }
  return { locale: "en", source: own("en") ?? defaultTemplate(kind, "en") };
}

/** Everything a batch needs, loaded with one query per table instead of several per notification. */
interface BatchContext {
  shops: Map<string, Shop>;
  orders: Map<string, Order>;
  shipments: Map<string, Shipment>;
  lastEvents: Map<string, TrackingEvent>;
  templates: Map<string, Template[]>;
  suppressed: Set<string>;
  confirmedNumbers: Map<string, string | null>;
}

const key = (shop: string, id: string) => `${shop}\u0000${id}`;

async function loadContext(db: Db, claimed: Notification[]): Promise<BatchContext> {
  const shopDomains = [...new Set(claimed.map((n) => n.shop))];
  const byShop = (pick: (n: Notification) => string | null) =>
    shopDomains.map((shop) => ({ shop, ids: [...new Set(claimed.filter((n) => n.shop === shop).map(pick).filter((x): x is string => !!x))] }));
  const orderIds = byShop((n) => n.orderShopifyId);
  const shipmentIds = byShop((n) => n.shipmentShopifyId);
  const updated = byShop((n) => (n.kind === "tracking_updated" ? n.shipmentShopifyId : null)).filter((s) => s.ids.length);
  const recipients = byShop((n) => n.recipient.toLowerCase());
  const shipmentWhere = { OR: shipmentIds.filter((s) => s.ids.length).map((s) => ({ shop: s.shop, shopifyId: { in: s.ids } })) };

  const [shops, orders, shipments, events, templates, suppressions, confirmations] = await Promise.all([
    db.shop.findMany({ where: { domain: { in: shopDomains } } }),
    db.order.findMany({ where: { OR: orderIds.map((s) => ({ shop: s.shop, shopifyId: { in: s.ids } })) } }),
    shipmentWhere.OR.length ? db.shipment.findMany({ where: shipmentWhere }) : [],
    shipmentWhere.OR.length
      ? db.trackingEvent.findMany({
          where: { OR: shipmentIds.filter((s) => s.ids.length).map((s) => ({ shop: s.shop, fulfillmentShopifyId: { in: s.ids } })) },
          orderBy: { happenedAt: "desc" },
        })
      : [],
    db.template.findMany({ where: { shop: { in: shopDomains }, kind: { in: [...new Set(claimed.map((n) => n.kind))] } } }),
    db.suppression.findMany({ where: { OR: recipients.map((s) => ({ shop: s.shop, email: { in: s.ids } })) }, select: { shop: true, email: true } }),
    updated.length
      ? db.notification.findMany({
          where: { kind: "shipping_confirmation", OR: updated.map((s) => ({ shop: s.shop, shipmentShopifyId: { in: s.ids } })) },
          select: { shop: true, shipmentShopifyId: true, trackingNumber: true },
        })
      : [],
  ]);
  const lastEvents = new Map<string, TrackingEvent>();
  for (const event of events) {
    const k = key(event.shop, event.fulfillmentShopifyId);
    if (!lastEvents.has(k)) lastEvents.set(k, event); // newest first
  }
  const templatesByShop = new Map<string, Template[]>();
  for (const t of templates) templatesByShop.set(t.shop, [...(templatesByShop.get(t.shop) ?? []), t]);
  return {
    shops: new Map(shops.map((s) => [s.domain, s])),
    orders: new Map(orders.map((o) => [key(o.shop, o.shopifyId), o])),
    shipments: new Map(shipments.map((s) => [key(s.shop, s.shopifyId), s])),
    lastEvents,
    templates: templatesByShop,
    suppressed: new Set(suppressions.map((s) => key(s.shop, s.email))),
    confirmedNumbers: new Map(confirmations.map((c) => [key(c.shop, c.shipmentShopifyId ?? ""), c.trackingNumber])),
  };
}

function delayFor(shop: Shop, shipment: Shipment, now: Date): MessageVariables["delay"] {
  const planShipment = { ...shipment, trackingNumbers: JSON.parse(shipment.trackingNumbers) as string[] };
  const settings = settingsOf(shop);
  // Due means at risk by the planner's rules (the same the tracking page and the admin use); a notice
  // sent early by hand ("send now") is explained as of the moment it was due.
  const due = delayDue(planShipment, settings);
  const explained = explainDelay(planShipment, settings, due && due.at > now ? due.at : now);
  return explained
    ? { reason: explained.reason, days_overdue: explained.daysOverdue, days_silent: explained.daysSilent }
    : { reason: "silent", days_overdue: 0, days_silent: 0 };
}

/** Prisma stores SQLite DateTime values as this text; raw statements must compare and write the same. */
const sqliteDate = (d: Date) => d.toISOString().replace("Z", "+00:00");

/**
 * The hot statement: SendGrid accepted the mail. Under our lease only (another worker may have taken
 * an expired one over); on SQLite straight on the connection, which is ~20× cheaper than through Prisma.
 */
async function markSent(db: Db, notification: Notification, sent: { messageId: string | null; sentAt: Date; subject: string; html: string; text: string }): Promise<void> {
  const connection = sqliteConnectionOf(db);
  if (connection && notification.leaseUntil) {
    await connection.execute({
      sql: `UPDATE "Notification" SET "status" = 'sent', "leaseUntil" = NULL, "providerMessageId" = ?, "sentAt" = ?, "subject" = ?, "html" = ?, "text" = ?,
              "lastError" = NULL, "updatedAt" = ? WHERE "id" = ? AND "status" = 'sending' AND "leaseUntil" = ?`,
      args: [sent.messageId, sqliteDate(sent.sentAt), sent.subject, sent.html, sent.text, sqliteDate(new Date()), notification.id, sqliteDate(notification.leaseUntil)],
    });
    return;
  }
  await db.notification.updateMany({
    where: { id: notification.id, status: "sending", leaseUntil: notification.leaseUntil },
    data: { status: "sent", leaseUntil: null, providerMessageId: sent.messageId, sentAt: sent.sentAt, subject: sent.subject, html: sent.html, text: sent.text, lastError: null },
  });
}

/** SendGrid asked us to slow down: no more sends on that account until the reset. */
const pausedUntil = new WeakMap<Mailer, number>();

type Outcome = keyof Omit<BatchResult, "claimed">;

async function deliver(options: WorkerOptions, ctx: BatchContext, notification: Notification, now: Date): Promise<Outcome> {
  const { db } = options;
  const maxAttempts = options.maxAttempts ?? 8;
  // Only while the lease is ours: if it ran out and another worker took the row over, leave it be.
  const finish = (data: Partial<Notification>) =>
    db.notification.updateMany({
      where: { id: notification.id, status: "sending", leaseUntil: notification.leaseUntil },
      data: { leaseUntil: null, ...data },
    });
  /** Back to the queue without spending an attempt (nothing was tried). */
  const postpone = async (ms: number, reason: string): Promise<Outcome> => {
    await finish({ status: "scheduled", scheduledFor: new Date(now.getTime() + ms), attempts: notification.attempts - 1, lastError: reason });
    return "retried";
  };

  const shop = ctx.shops.get(notification.shop);
  if (!shop) {
    await finish({ status: "cancelled", lastError: "the shop is unknown" });
    return "cancelled";
  }
  // Sending pauses while a shop is uninstalled; a reinstall resumes it, shop/redact deletes the rows.
  if (shop.uninstalledAt) return postpone(60 * MINUTE, "paused: the shop uninstalled Parcelwise");
  const mailer = options.mailerForShop?.(shop) ?? options.mailer;
  if (shop.sendingBlockedReason || !mailer) {
    return postpone(15 * MINUTE, shop.sendingBlockedReason ?? "no SendGrid API key is configured");
  }
  const paused = pausedUntil.get(mailer);
  if (paused && paused > now.getTime()) return postpone(paused - now.getTime(), "SendGrid rate limit: waiting for the reset");

  const order = ctx.orders.get(key(shop.domain, notification.orderShopifyId));
  const shipment = notification.shipmentShopifyId ? ctx.shipments.get(key(shop.domain, notification.shipmentShopifyId)) : undefined;
  if (!order?.email || order.redactedAt) {
    await finish({ status: "cancelled", lastError: "the order has no buyer email" });
    return "cancelled";
  }
  if (ctx.suppressed.has(key(shop.domain, order.email.toLowerCase()))) {
    await finish({ status: "cancelled", lastError: "the buyer's address is suppressed (unsubscribed, bounced or reported spam)" });
    return "cancelled";
  }
  const kind = notification.kind as MessageKind;
  const { locale, source } = chooseTemplate(ctx.templates.get(shop.domain) ?? [], kind, localeCandidates(notification.locale, shop.primaryLocale));
  const lastEvent = shipment ? ctx.lastEvents.get(key(shop.domain, shipment.shopifyId)) : undefined;
  const optional = OPTIONAL_KINDS.includes(kind);
  const unsubscribeUrl = optional ? (options.links?.unsubscribe(shop.domain, order.email) ?? null) : null;
  let rendered;
  try {
    rendered = await renderMessage(
      source,
      buildVariables({
        locale,
        shop,
        order,
        shipment: shipment
          ? { ...shipment, trackingNumbers: JSON.parse(shipment.trackingNumbers) as string[], trackingUrls: JSON.parse(shipment.trackingUrls) as string[] }
          : null,
        trackingNumber: notification.trackingNumber,
        previousTrackingNumber: kind === "tracking_updated" && shipment ? (ctx.confirmedNumbers.get(key(shop.domain, shipment.shopifyId)) ?? null) : null,
        unsubscribeUrl,
        trackingPageUrl: options.links?.trackingPage(shop, order, locale) ?? null,
        lastEvent: lastEvent ?? null,
        delay: kind === "delay_notice" && shipment ? delayFor(shop, shipment, now) : null,
        timezone: timeZoneForCountry(order.destinationCountry ?? shipment?.destinationCountry, shop.timezone),
      }),
      now,
    );
  } catch (error) {
    const message = error instanceof TemplateError ? `template error in ${error.part}${error.line ? ` line ${error.line}` : ""}: ${error.message}` : String(error);
    log.warn("notification failed: template", { notificationId: notification.id, shop: shop.domain, error: message });
    await finish({ status: "failed", lastError: message });
    return "failed";
  }

  const mail: OutgoingMail = {
    to: order.email,
    // The shop's own address once SendGrid has accepted mail from it (a test send from the admin);
    // until then the app's verified default, under the shop's name, with replies going to the shop.
    from: { email: shop.senderEmail && shop.senderVerifiedAt ? shop.senderEmail : options.from.email, name: shop.senderName ?? (shop.name || options.from.name) },
    replyTo: shop.replyToEmail ?? shop.contactEmail,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    // Non-personal data only: SendGrid keeps categories and custom args in plain sight.
    categories: ["parcelwise", kind],
    customArgs: { notification_id: notification.id, shop: shop.domain },
    headers: unsubscribeUrl && options.links ? options.links.unsubscribeHeaders(unsubscribeUrl) : undefined,
  };
  const result: SendResult = await mailer.send(mail);
  if (result.ok) {
    await markSent(db, notification, { messageId: result.messageId, sentAt: now, ...rendered });
    return "sent";
  }
  if (result.status === 403 && shop.senderEmail && mail.from.email === shop.senderEmail) {
    // The shop's own address is no longer accepted (verification withdrawn): fall back to the app's
    // default sender at once; the admin shows the address as not verified until a test send passes.
    await db.shop.updateMany({ where: { domain: shop.domain, senderEmail: shop.senderEmail }, data: { senderVerifiedAt: null } });
    shop.senderVerifiedAt = null;
    log.warn("SendGrid refused the shop's sender; using the app's default sender", { shop: shop.domain });
    return postpone(0, `SendGrid refused the sender ${mail.from.email}: ${result.error}`);
  }
  if (result.status === 403) {
    // Even the app's default sender is refused: no use burning retries. The admin shows the reason;
    // saving a sender clears it and sending resumes.
    const reason = `SendGrid refused the sender ${mail.from.email}: ${result.error}`;
    await db.shop.update({ where: { domain: shop.domain }, data: { sendingBlockedReason: reason } });
    shop.sendingBlockedReason = reason;
    return postpone(15 * MINUTE, reason);
  }
  if (result.status === 429) {
    const wait = result.retryAfterMs ?? backoffMs(1);
    pausedUntil.set(mailer, now.getTime() + wait);
    return postpone(wait, `SendGrid rate limit: ${result.error}`);
  }
  if (result.retryable && notification.attempts < maxAttempts) {
    await finish({ status: "scheduled", scheduledFor: new Date(now.getTime() + backoffMs(notification.attempts)), lastError: result.error });
    return "retried";
  }
  await finish({ status: "failed", lastError: result.retryable ? `gave up after ${notification.attempts} attempts: ${result.error}` : result.error });
  return "failed";
}

/**
 * How a long-running loop shares mails in flight between batches: a send that hangs (SendGrid slow, up
 * to the client's timeout) must not hold up the next batch, nor the webhook inbox processed between
 * batches. After the batch's queue is empty, runBatch waits at most `stragglerWaitMs` for sends still
 * in flight and leaves them to finish on their own (each marks its row under its lease, as always);
 * the next batch runs with that many fewer lanes, so no more than `concurrency` mails are ever in flight.
 */
export interface InFlight {
  count: number;
  stragglerWaitMs: number;
}

export async function runBatch(options: WorkerOptions, inFlight?: InFlight): Promise<BatchResult> {
  const now = (options.now ?? (() => new Date()))();
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const lanes = Math.max(1, concurrency - (inFlight?.count ?? 0));
  const claimed = await claimDue(options.db, now, options.batchSize ?? 100, options.leaseMs ?? 2 * MINUTE);
  const result: BatchResult = { claimed: claimed.length, sent: 0, retried: 0, failed: 0, cancelled: 0 };
  if (claimed.length === 0) return result;
  const ctx = await loadContext(options.db, claimed);
  let next = 0;
  let allStarted!: () => void;
  const started = new Promise<void>((resolve) => (allStarted = resolve));
  const lane = async () => {
    while (next < claimed.length) {
      const notification = claimed[next++]!;
      if (next === claimed.length) allStarted();
      await yieldToRequests();
      if (inFlight) inFlight.count++;
      try {
        result[await deliver(options, ctx, notification, now)]++;
      } catch (error) {
        // Anything unexpected: leave the lease to expire so the row is tried again, and go on.
        log.error("notification crashed the worker step", { notificationId: notification.id, error });
      } finally {
        if (inFlight) inFlight.count--;
      }
    }
  };
  const all = Promise.all(Array.from({ length: lanes }, lane));
  if (!inFlight) {
    await all;
    return result;
  }
  // Once every mail of the batch has started, only stragglers are left: wait for them a little.
  await started;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, inFlight.stragglerWaitMs)))]);
  clearTimeout(timer);
  return { ...result };
}

export interface RunningWorker {
  stop(): Promise<void>;
}

export interface LoopOptions extends WorkerOptions {
  pollMs: number;
  /** Drain the webhook inbox before sending, so messages are planned from every delivery received. */
  inbox?: Omit<InboxOptions, "db" | "now">;
  /** Registers a wake-up call (e.g. a webhook just arrived); returns how to unregister it. */
  subscribe?: (wake: () => void) => () => void;
  /** How long a batch waits for its slowest sends before the loop moves on (default 1 s). */
  stragglerWaitMs?: number;
}

export function startWorkerLoop(options: LoopOptions): RunningWorker {
  const inFlight: InFlight = { count: 0, stragglerWaitMs: options.stragglerWaitMs ?? 1000 };
  let stopped = false;
  let wake: (() => void) | null = null;
  let woken = false;
  const unsubscribe = options.subscribe?.(() => {
    woken = true;
    wake?.();
  });
  const loop = (async () => {
    while (!stopped) {
      woken = false;
      let busy = false;
      try {
        const now = (options.now ?? (() => new Date()))();
        if (options.inbox) {
          const inbox = await processInbox({ ...options.inbox, db: options.db, now });
          busy ||= inbox.claimed > 0;
          if (inbox.claimed) log.debug("inbox batch", { ...inbox });
        }
        const result = await runBatch(options, inFlight);
        busy ||= result.claimed > 0;
        if (result.claimed) log.info("worker batch", { ...result });
      } catch (error) {
        log.error("worker batch failed", { error });
      }
      if (!busy && !woken && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.pollMs);
          wake = () => (clearTimeout(timer), resolve());
        });
        wake = null;
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      unsubscribe?.();
      wake?.();
      await loop;
      // Let sends still in flight finish and mark their rows (bounded: the mail client times out).
      const deadline = Date.now() + 15_000;
      while (inFlight.count > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
}
