// Sends one claimed notification and records SendGrid's answer: 202 sent; 429 pauses the account until
// the reset; 5xx and timeouts retry with backoff; 403 falls back from the shop's own sender, or blocks
// the shop when even the app's default is refused; any other 4xx fails for good.
import type { Notification, Shop } from "@prisma/client";
import type { Db } from "~/db.server";
import { log } from "~/log.server";
import { normalizeEmail } from "~/mail/address";
import { fitsPersonalization, MAX_MAILS_PER_REQUEST, requestKey, type Mailer, type OutgoingMail, type SendResult } from "~/mail/sendgrid.server";
import type { RenderJob, RenderOutcome, RenderPool } from "~/templates/render-pool.server";
import { mailPool } from "~/templates/render-pools.server";
import { key, type BatchContext } from "./batch-context.server";
import { composeMail, envelope, type ComposedMail, type MailLinks, type MailRecords } from "./compose";
import { learnedCommitment } from "~/lanes/commitment";
import { createLaneModel } from "~/lanes/lane-model";
import { backoffMs, markOutcome, markSent, postpone, retryLater } from "./queue.server";
import { NotificationStatus } from "./status";
import { MINUTE_MS } from "~/time";
import { feedbackStopAtSend, printedWindowDay } from "~/feedback/facts.server";

export interface SendOptions {
  db: Db;
  /** The app's own SendGrid account; null when no key is configured. */
  mailer: Mailer | null;
  /** A mailer for a shop's own SendGrid key (the shop's encrypted key, already decrypted by the caller). */
  mailerForShop?: (shop: Shop) => Mailer | null;
  from: { email: string; name: string };
  links?: MailLinks;
  maxAttempts?: number;
  /** Where templates render (default: the process's mail pool, RENDER_THREADS threads). */
  renderPool?: RenderPool;
}

export type Outcome = "sent" | "retried" | "failed" | "cancelled";

/** Attempts a mail gets when SendOptions.maxAttempts does not say. */
export const DEFAULT_MAX_ATTEMPTS = 8;


/** SendGrid asked us to slow down: no more sends on that account until the reset. */
const pausedUntil = new WeakMap<Mailer, number>();

async function postponed(db: Db, notification: Notification, now: Date, ms: number, reason: string): Promise<Outcome> {
  await postpone(db, notification, now, ms, reason);
  return "retried";
}

/** A claimed notification checked against its shop, buyer and account: what to do instead of sending, or the mail to render. */
export type Prepared =
  | { notification: Notification; skip: () => Promise<Outcome> }
  | { notification: Notification; skip?: undefined; shop: Shop; records: MailRecords; composed: ComposedMail; job: RenderJob };

/** What stops a shop's mail from going out right now (checked again just before sending: a 403 or 429 earlier in the batch). */
function held(options: SendOptions, shop: Shop, now: Date): { ms: number; reason: string } | null {
  // Sending pauses while a shop is uninstalled; a reinstall resumes it, shop/redact deletes the rows.
  if (shop.uninstalledAt) return { ms: 60 * MINUTE_MS, reason: "paused: the shop uninstalled Parcelwise" };
  const mailer = options.mailerForShop?.(shop) ?? options.mailer;
  if (shop.sendingBlockedReason || !mailer) return { ms: 15 * MINUTE_MS, reason: shop.sendingBlockedReason ?? "no SendGrid API key is configured" };
  const paused = pausedUntil.get(mailer);
  if (paused && paused > now.getTime()) return { ms: paused - now.getTime(), reason: "SendGrid rate limit: waiting for the reset" };
  return null;
}

/** Checks and composes one claimed notification, without rendering it (the batch renders its mails together). */
export function prepareNotification(options: SendOptions, ctx: BatchContext, notification: Notification, now: Date): Prepared {
  const { db } = options;
  const cancel = (reason: string): Prepared => ({
    notification,
    skip: async () => {
      await markOutcome(db, notification, { status: NotificationStatus.cancelled, lastError: reason });
      return "cancelled";
    },
  });

  const shop = ctx.shops.get(notification.shop);
  if (!shop) return cancel("the shop is unknown");
  const hold = held(options, shop, now);
  if (hold) return { notification, skip: () => postponed(db, notification, now, hold.ms, hold.reason) };

  const order = ctx.orders.get(key(shop.domain, notification.orderShopifyId));
  if (!order?.email || order.redactedAt) return cancel("the order has no buyer email");
  if (ctx.suppressed.has(key(shop.domain, normalizeEmail(order.email)))) {
    return cancel("the buyer's address is suppressed (unsubscribed, bounced or reported spam)");
  }
  const feedback = ctx.feedback?.get(key(shop.domain, order.shopifyId));
  const stopped = feedbackStopAtSend(feedback, shop, notification, now);
  if (stopped) return cancel(stopped);
  const shipment = notification.shipmentShopifyId ? ctx.shipments.get(key(shop.domain, notification.shipmentShopifyId)) : undefined;
  const records: MailRecords = {
    shop,
    order: { ...order, email: order.email },
    shipment,
    lastEvent: shipment ? ctx.lastEvents.get(key(shop.domain, shipment.shopifyId)) : undefined,
    templates: ctx.templates.get(shop.domain) ?? [],
    previousTrackingNumber: shipment ? (ctx.confirmedNumbers.get(key(shop.domain, shipment.shopifyId)) ?? null) : null,
    feedback,
    products: ctx.products.get(shop.domain),
    learned: learnedCommitment(ctx.commitmentModels.get(shop.domain) ?? createLaneModel(), shop.domain, now, shipment?.carrierCode ?? shipment?.trackingCompany),
  };
  const composed = composeMail(notification, records, options.links, now);
  return { notification, shop, records, composed, job: { source: composed.source, variables: composed.variables, now } };
}

type Sendable = Extract<Prepared, { skip?: undefined }>;
/** A rendered mail ready to go to its mailer, or the outcome that stopped it (a template error, a hold). */
type Ready = { outcome: Outcome } | { mail: OutgoingMail; mailer: Mailer };

/** Checks a prepared mail once it is rendered; a template error (a render stopped at the time limit too) fails it for good. */
async function readyToSend(options: SendOptions, prepared: Sendable, rendering: RenderOutcome, now: Date): Promise<Ready> {
  const { db } = options;
  const { notification, shop, records, composed } = prepared;
  if (!rendering.ok) {
    const error = rendering.error;
    const message = `template error in ${error.part}${error.line ? ` line ${error.line}` : ""}: ${error.message}`;
    log.warn("notification failed: template", { notificationId: notification.id, shop: shop.domain, error: message });
    await markOutcome(db, notification, { status: NotificationStatus.failed, lastError: message });
    return { outcome: "failed" };
  }
  const hold = held(options, shop, now);
  if (hold) return { outcome: await postponed(db, notification, now, hold.ms, hold.reason) };
  const mailer = (options.mailerForShop?.(shop) ?? options.mailer)!;
  return { mailer, mail: envelope({ notification, records, rendered: rendering.message, unsubscribeUrl: composed.unsubscribeUrl, appSender: options.from, links: options.links }) };
}

/** Records SendGrid's answer to one mail. */
async function settleSend(options: SendOptions, prepared: Sendable, rendering: Extract<RenderOutcome, { ok: true }>, ready: Extract<Ready, { mail: OutgoingMail }>, result: SendResult, now: Date): Promise<Outcome> {
  const { notification, shop, composed } = prepared;
  if (result.ok) {
    const promisedDeliveryTo = printedWindowDay(notification, composed.variables.estimated_delivery?.to);
    await markSent(options.db, notification, { messageId: result.messageId, ...rendering.message, promisedDeliveryTo }, now);
    return "sent";
  }
  return recordRefusal(options, { notification, shop, mailer: ready.mailer, mail: ready.mail, now }, result);
}

/** Sends a prepared mail once it is rendered. */
export async function deliverNotification(options: SendOptions, prepared: Sendable, rendering: RenderOutcome, now: Date): Promise<Outcome> {
  const ready = await readyToSend(options, prepared, rendering, now);
  if ("outcome" in ready) return ready.outcome;
  return settleSend(options, prepared, rendering as Extract<RenderOutcome, { ok: true }>, ready, await ready.mailer.send(ready.mail), now);
}

/**
 * Sends several prepared mails once rendered, in as few SendGrid requests as they allow: the mails of
 * one mailer that share a request's envelope (requestKey), distinct recipients and at most
 * MAX_MAILS_PER_REQUEST a request (Mailer.sendMany). Each mail's answer is recorded as
 * deliverNotification records it. One outcome per mail, in order; null where recording it failed (the
 * row's lease then runs out and it is tried again).
 */
export async function deliverMany(options: SendOptions, items: { prepared: Sendable; rendering: RenderOutcome }[], now: Date): Promise<(Outcome | null)[]> {
  const outcomes: (Outcome | null)[] = new Array(items.length).fill(null);
  const crashed = (i: number) => (error: unknown) => {
    log.error("notification crashed the worker step", { notificationId: items[i]!.prepared.notification.id, error });
    return null;
  };
  const readies = await Promise.all(items.map(({ prepared, rendering }, i) => readyToSend(options, prepared, rendering, now).catch(crashed(i))));
  // Requests: per mailer and envelope, in order, a recipient at most once each.
  const requests: { mailer: Mailer; indexes: number[]; recipients: Set<string> }[] = [];
  const open = new Map<Mailer, Map<string, (typeof requests)[number][]>>();
  readies.forEach((ready, i) => {
    if (!ready) return;
    if ("outcome" in ready) {
      outcomes[i] = ready.outcome;
      return;
    }
    const recipient = ready.mail.to.toLowerCase();
    const byKey = open.get(ready.mailer) ?? open.set(ready.mailer, new Map()).get(ready.mailer)!;
    const k = ready.mailer.sendMany && fitsPersonalization(ready.mail) ? requestKey(ready.mail) : `alone:${i}`;
    const candidates = byKey.get(k) ?? byKey.set(k, []).get(k)!;
    let request = candidates.find((r) => r.indexes.length < MAX_MAILS_PER_REQUEST && !r.recipients.has(recipient));
    if (!request) {
      request = { mailer: ready.mailer, indexes: [], recipients: new Set() };
      candidates.push(request);
      requests.push(request);
    }
    request.indexes.push(i);
    request.recipients.add(recipient);
  });
  await Promise.all(
    requests.map(async ({ mailer, indexes }) => {
      const mails = indexes.map((i) => (readies[i] as Extract<Ready, { mail: OutgoingMail }>).mail);
      const results = indexes.length > 1 && mailer.sendMany ? await mailer.sendMany(mails) : await Promise.all(mails.map((mail) => mailer.send(mail)));
      await Promise.all(
        indexes.map(async (i, j) => {
          const { prepared, rendering } = items[i]!;
          outcomes[i] = await settleSend(options, prepared, rendering as Extract<RenderOutcome, { ok: true }>, readies[i] as Extract<Ready, { mail: OutgoingMail }>, results[j]!, now).catch(crashed(i));
        }),
      );
    }),
  );
  return outcomes;
}

/** One notification on its own: checked, rendered on a render thread, sent. */
export async function sendNotification(options: SendOptions, ctx: BatchContext, notification: Notification, now: Date): Promise<Outcome> {
  const prepared = prepareNotification(options, ctx, notification, now);
  if (prepared.skip) return prepared.skip();
  return deliverNotification(options, prepared, await (options.renderPool ?? mailPool()).render(prepared.job), now);
}

/** SendGrid did not accept the mail: what that answer means for the row, the shop and the account. */
async function recordRefusal(
  options: SendOptions,
  { notification, shop, mailer, mail, now }: { notification: Notification; shop: Shop; mailer: Mailer; mail: OutgoingMail; now: Date },
  result: Extract<SendResult, { ok: false }>,
): Promise<Outcome> {
  const { db } = options;
  const wait = (ms: number, reason: string) => postponed(db, notification, now, ms, reason);
  if (result.status === 403 && shop.senderEmail && mail.from.email === shop.senderEmail) {
    // The shop's own address is no longer accepted (verification withdrawn): fall back to the app's
    // default sender at once; the admin shows the address as not verified until a test send passes.
    await db.shop.updateMany({ where: { domain: shop.domain, senderEmail: shop.senderEmail }, data: { senderVerifiedAt: null } });
    shop.senderVerifiedAt = null;
    log.warn("SendGrid refused the shop's sender; using the app's default sender", { shop: shop.domain });
    return wait(0, `SendGrid refused the sender ${mail.from.email}: ${result.error}`);
  }
  if (result.status === 403) {
    // Even the app's default sender is refused: no use burning retries. The admin shows the reason;
    // saving a sender clears it and sending resumes.
    const reason = `SendGrid refused the sender ${mail.from.email}: ${result.error}`;
    await db.shop.update({ where: { domain: shop.domain }, data: { sendingBlockedReason: reason } });
    shop.sendingBlockedReason = reason;
    return wait(15 * MINUTE_MS, reason);
  }
  if (result.status === 429) {
    const reset = result.retryAfterMs ?? backoffMs(1);
    pausedUntil.set(mailer, now.getTime() + reset);
    return wait(reset, `SendGrid rate limit: ${result.error}`);
  }
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (result.retryable && notification.attempts < maxAttempts) {
    await retryLater(db, notification, now, result.error);
    return "retried";
  }
  await markOutcome(db, notification, { status: NotificationStatus.failed, lastError: result.retryable ? `gave up after ${notification.attempts} attempts: ${result.error}` : result.error });
  return "failed";
}
