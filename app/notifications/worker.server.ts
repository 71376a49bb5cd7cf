// The worker: claim due notifications, render the shop's template, hand the mail to SendGrid, record
// the outcome. A claim is a lease: a worker that dies mid-send leaves rows that another claims later.
import type { Notification } from "@prisma/client";
import type { Db } from "~/db.server";
import { log } from "~/log.server";
import type { Mailer } from "~/mail/sendgrid.server";
import { renderMessage, TemplateError, type TemplateSource } from "~/templates/render";
import { defaultTemplate, DEFAULT_LOCALES } from "~/templates/defaults";
import type { MessageKind } from "~/templates/variables";
import { buildVariables } from "./variables";
import { processInbox, yieldToRequests, type InboxOptions } from "~/webhooks/inbox.server";

export interface WorkerOptions {
  db: Db;
  mailer: Mailer | null;
  from: { email: string; name: string };
  now?: () => Date;
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
}

export interface BatchResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  cancelled: number;
}

const MINUTE = 60_000;

/** Exponential backoff with full jitter: 1 min, 2, 4 … capped at 1 h. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(60 * MINUTE, MINUTE * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export async function claimDue(db: Db, now: Date, limit: number, leaseMs: number): Promise<Notification[]> {
  const candidates = await db.notification.findMany({
    where: {
      OR: [
        { status: "scheduled", scheduledFor: { lte: now } },
        { status: "sending", leaseUntil: { lt: now } },
      ],
    },
    orderBy: { scheduledFor: "asc" },
    take: limit,
    select: { id: true, status: true, leaseUntil: true },
  });
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const claimed: Notification[] = [];
  for (const candidate of candidates) {
    // Compare-and-set on the state we saw: of several workers, exactly one wins each row.
    const { count } = await db.notification.updateMany({
      where: { id: candidate.id, status: candidate.status, leaseUntil: candidate.leaseUntil },
      data: { status: "sending", leaseUntil, attempts: { increment: 1 } },
    });
    if (count === 1) {
      const row = await db.notification.findUnique({ where: { id: candidate.id } });
      if (row) claimed.push(row);
    }
  }
  return claimed;
}

/** The buyer's locale, then its language, then the shop's primary locale, then English. */
export function templateLocales(buyerLocale: string, shopLocale: string): string[] {
  const candidates = [buyerLocale, buyerLocale.split("-")[0], shopLocale, shopLocale.split("-")[0], "en"];
  return [...new Set(candidates.filter(Boolean))];
}

async function chooseTemplate(db: Db, shop: string, kind: MessageKind, locales: string[]): Promise<{ locale: string; source: TemplateSource }> {
  const custom = await db.template.findMany({ where: { shop, kind, locale: { in: locales } } });
  for (const locale of locales) {
    const own = custom.find((t) => t.locale === locale);
    if (own) return { locale, source: own };
    if (DEFAULT_LOCALES.includes(locale)) return { locale, source: defaultTemplate(kind, locale) };
  }
  return { locale: "en", source: defaultTemplate(kind, "en") };
}

async function deliver(options: WorkerOptions, notification: Notification, now: Date): Promise<keyof Omit<BatchResult, "claimed">> {
  const { db } = options;
  const maxAttempts = options.maxAttempts ?? 8;
  const finish = (data: Partial<Notification>) => db.notification.update({ where: { id: notification.id }, data: { leaseUntil: null, ...data } });

  const shop = await db.shop.findUnique({ where: { domain: notification.shop } });
  if (!shop || shop.uninstalledAt) {
    await finish({ status: "cancelled", lastError: "the shop uninstalled Parcelwise" });
    return "cancelled";
  }
  if (shop.sendingBlockedReason || !options.mailer) {
    const reason = shop.sendingBlockedReason ?? "no SendGrid API key is configured";
    await finish({ status: "scheduled", scheduledFor: new Date(now.getTime() + 15 * MINUTE), attempts: notification.attempts - 1, lastError: reason });
    return "retried";
  }
  const [order, shipment] = await Promise.all([
    db.order.findUnique({ where: { shop_shopifyId: { shop: shop.domain, shopifyId: notification.orderShopifyId } } }),
    notification.shipmentShopifyId
      ? db.shipment.findUnique({ where: { shop_shopifyId: { shop: shop.domain, shopifyId: notification.shipmentShopifyId } } })
      : null,
  ]);
  if (!order?.email || order.redactedAt) {
    await finish({ status: "cancelled", lastError: "the order has no buyer email" });
    return "cancelled";
  }
  const kind = notification.kind as MessageKind;
  const { locale, source } = await chooseTemplate(db, shop.domain, kind, templateLocales(notification.locale, shop.primaryLocale));
  const previous =
    kind === "tracking_updated" && shipment
      ? await db.notification.findFirst({
          where: { shop: shop.domain, shipmentShopifyId: shipment.shopifyId, kind: "shipping_confirmation" },
          select: { trackingNumber: true },
        })
      : null;
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
        previousTrackingNumber: previous?.trackingNumber ?? null,
        unsubscribeUrl: null,
      }),
    );
  } catch (error) {
    const message = error instanceof TemplateError ? `template error in ${error.part}${error.line ? ` line ${error.line}` : ""}: ${error.message}` : String(error);
    log.warn("notification failed: template", { notificationId: notification.id, shop: shop.domain, error: message });
    await finish({ status: "failed", lastError: message });
    return "failed";
  }

  const result = await options.mailer.send({
    to: order.email,
    from: { email: shop.senderEmail ?? options.from.email, name: shop.senderName ?? (shop.name || options.from.name) },
    replyTo: shop.contactEmail,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    categories: ["parcelwise", kind],
    customArgs: { notification_id: notification.id, shop: shop.domain },
  });
  if (result.ok) {
    await finish({ status: "sent", providerMessageId: result.messageId, sentAt: now, subject: rendered.subject, lastError: null });
    return "sent";
  }
  if (result.status === 403) {
    await db.shop.update({ where: { domain: shop.domain }, data: { sendingBlockedReason: `SendGrid refused the sender: ${result.error}` } });
  }
  if (result.retryable && notification.attempts < maxAttempts) {
    const wait = result.retryAfterMs ?? backoffMs(notification.attempts);
    await finish({ status: "scheduled", scheduledFor: new Date(now.getTime() + wait), lastError: result.error });
    return "retried";
  }
  if (result.status === 403) {
    await finish({ status: "scheduled", scheduledFor: new Date(now.getTime() + 60 * MINUTE), attempts: notification.attempts - 1, lastError: result.error });
    return "retried";
  }
  await finish({ status: "failed", lastError: result.error });
  return "failed";
}

export async function runBatch(options: WorkerOptions): Promise<BatchResult> {
  const now = (options.now ?? (() => new Date()))();
  const claimed = await claimDue(options.db, now, options.batchSize ?? 50, options.leaseMs ?? 2 * MINUTE);
  const result: BatchResult = { claimed: claimed.length, sent: 0, retried: 0, failed: 0, cancelled: 0 };
  for (const notification of claimed) {
    await yieldToRequests();
    try {
      result[await deliver(options, notification, now)]++;
    } catch (error) {
      // Anything unexpected: leave the lease to expire so the row is tried again, and go on.
      log.error("notification crashed the worker step", { notificationId: notification.id, error });
    }
  }
  return result;
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
}

export function startWorkerLoop(options: LoopOptions): RunningWorker {
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
        const result = await runBatch(options);
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
    },
  };
}
