// Delivers stored contact-form messages to their merchants, one lease at a time: SendGrid down (5xx,
// timeouts, network) retries with the mail queue's backoff, a 429 waits for the reset without spending
// an attempt, a shop's own sender refused (403) falls back to the app's, and nothing is dropped while
// the shop cannot send yet. A claim is a compare-and-set on the row, so two workers never send one
// message, and the row is marked the moment SendGrid answers.
import type { ContactMessage, Shop } from "@prisma/client";
import type { Db } from "~/db.server";
import { log } from "~/log.server";
import type { Mailer, SendResult } from "~/mail/sendgrid.server";
import { backoffMs } from "~/notifications/queue.server";
import { MINUTE_MS } from "~/time";
import { contactMail } from "./contact-mail";

export const ContactMessageStatus = { queued: "queued", sending: "sending", sent: "sent", failed: "failed" } as const;

export interface ContactSendOptions {
  db: Db;
  /** The app's own SendGrid account; null when no key is configured. */
  mailer: Mailer | null;
  mailerForShop?: (shop: Shop) => Mailer | null;
  from: { email: string; name: string };
  maxAttempts?: number;
  leaseMs?: number;
  batchSize?: number;
}

export type ContactOutcome = "sent" | "retried" | "failed";

/** Claims up to `limit` messages that are due (queued, or sending with an expired lease). */
export async function claimContactMessages(db: Db, now: Date, limit: number, leaseMs: number): Promise<ContactMessage[]> {
  const due = await db.contactMessage.findMany({
    where: { OR: [{ status: ContactMessageStatus.queued, availableAt: { lte: now } }, { status: ContactMessageStatus.sending, leaseUntil: { lt: now } }] },
    orderBy: { availableAt: "asc" },
    take: limit,
    select: { id: true, status: true, leaseUntil: true },
  });
  const claimed: ContactMessage[] = [];
  for (const row of due) {
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const { count } = await db.contactMessage.updateMany({
      where: { id: row.id, status: row.status, leaseUntil: row.leaseUntil },
      data: { status: ContactMessageStatus.sending, leaseUntil, attempts: { increment: 1 } },
    });
    if (count === 1) claimed.push(await db.contactMessage.findUniqueOrThrow({ where: { id: row.id } }));
  }
  return claimed;
}

/** Settles a claimed row, only while the lease is ours. */
async function settle(db: Db, message: ContactMessage, data: Partial<ContactMessage>): Promise<void> {
  await db.contactMessage.updateMany({ where: { id: message.id, status: ContactMessageStatus.sending, leaseUntil: message.leaseUntil }, data: { leaseUntil: null, ...data } });
}

/** Back to the queue for `ms` without spending an attempt (nothing was tried). */
async function postpone(db: Db, message: ContactMessage, now: Date, ms: number, reason: string): Promise<ContactOutcome> {
  await settle(db, message, { status: ContactMessageStatus.queued, availableAt: new Date(now.getTime() + ms), attempts: message.attempts - 1, lastError: reason });
  return "retried";
}

const pausedUntil = new WeakMap<Mailer, number>();

/** Sends one claimed message to its merchant and records SendGrid's answer. */
export async function deliverContactMessage(options: ContactSendOptions, message: ContactMessage, now: Date): Promise<ContactOutcome> {
  const { db } = options;
  const fail = async (error: string): Promise<ContactOutcome> => {
    await settle(db, message, { status: ContactMessageStatus.failed, lastError: error });
    log.warn("contact message failed", { shop: message.shop, contactMessageId: message.id, error });
    return "failed";
  };
  const shop = await db.shop.findUnique({ where: { domain: message.shop } });
  if (!shop) return fail("the shop is unknown");
  if (shop.uninstalledAt) return postpone(db, message, now, 60 * MINUTE_MS, "paused: the shop uninstalled Parcelwise");
  const mailer = options.mailerForShop?.(shop) ?? options.mailer;
  if (shop.sendingBlockedReason || !mailer) return postpone(db, message, now, 15 * MINUTE_MS, shop.sendingBlockedReason ?? "no SendGrid API key is configured");
  const paused = pausedUntil.get(mailer);
  if (paused && paused > now.getTime()) return postpone(db, message, now, paused - now.getTime(), "SendGrid rate limit: waiting for the reset");
  const [order, notification] = await Promise.all([
    db.order.findUnique({ where: { shop_shopifyId: { shop: shop.domain, shopifyId: message.orderShopifyId } } }),
    db.notification.findFirst({ where: { shop: shop.domain, id: message.notificationId }, select: { subject: true, recipient: true } }),
  ]);
  if (!order) return fail("the order is unknown");

  const compose = (appSenderOnly: boolean) => contactMail({ shop, order, notification, message, appSender: options.from, appSenderOnly });
  let mail = compose(false);
  // The merchant will add an address in Settings (or Shopify's): the message waits for it.
  if ("error" in mail) return postpone(db, message, now, 60 * MINUTE_MS, mail.error);
  let result: SendResult = await mailer.send(mail);
  if (!result.ok && result.status === 403 && mail.from.email !== options.from.email) {
    // The shop's own address is refused (verification withdrawn): the app's default sender, at once.
    const fallback = compose(true);
    if (!("error" in fallback)) {
      mail = fallback;
      result = await mailer.send(mail);
    }
  }
  if (result.ok) {
    await settle(db, message, { status: ContactMessageStatus.sent, sentAt: now, providerMessageId: result.messageId, lastError: null });
    log.info("contact message sent", { shop: shop.domain, contactMessageId: message.id });
    return "sent";
  }
  if (result.status === 429) {
    const reset = result.retryAfterMs ?? backoffMs(1);
    pausedUntil.set(mailer, now.getTime() + reset);
    return postpone(db, message, now, reset, `SendGrid rate limit: ${result.error}`);
  }
  if (result.retryable && message.attempts < (options.maxAttempts ?? 8)) {
    await settle(db, message, { status: ContactMessageStatus.queued, availableAt: new Date(now.getTime() + backoffMs(message.attempts)), lastError: result.error });
    return "retried";
  }
  return fail(result.retryable ? `gave up after ${message.attempts} attempts: ${result.error}` : result.error);
}

/** One run of the job: claim what is due and send it; the number claimed. */
export async function deliverDueContactMessages(options: ContactSendOptions, now: Date): Promise<{ claimed: number } & Record<ContactOutcome, number>> {
  const claimed = await claimContactMessages(options.db, now, options.batchSize ?? 20, options.leaseMs ?? 2 * MINUTE_MS);
  const result = { claimed: claimed.length, sent: 0, retried: 0, failed: 0 };
  for (const message of claimed) {
    try {
      result[await deliverContactMessage(options, message, now)]++;
    } catch (error) {
      // Anything unexpected: the lease expires and the message is tried again.
      log.error("contact message crashed the worker step", { contactMessageId: message.id, error });
    }
  }
  return result;
}
