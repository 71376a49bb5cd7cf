// One batch of the mail queue: claim what is due, load its records, render its mails on the render
// threads (a few dozen per thread message), and send in lanes of concurrent mails, each marked the
// moment SendGrid answers it.
import { log } from "~/log.server";
import { slices } from "~/db/in-lists";
import { MAX_MAILS_PER_REQUEST } from "~/mail/sendgrid.server";
import { yieldToRequests } from "~/webhooks/inbox.server";
import { loadContext } from "./batch-context.server";
import { claimDue } from "./queue.server";
import { mailPool } from "~/templates/render-pools.server";
import { DEFAULT_MAX_ATTEMPTS, deliverMany, prepareNotification, type Outcome, type Prepared, type SendOptions } from "./send.server";
import type { Notification } from "@prisma/client";
import type { RenderOutcome } from "~/templates/render-pool.server";
import { NotificationStatus } from "./status";
import { MINUTE_MS } from "~/time";
import type { ProductReadThrough } from "~/feedback/read-through.server";

export interface WorkerOptions extends SendOptions {
  batchSize?: number;
  leaseMs?: number;
  /** Mails in flight at once. */
  concurrency?: number;
  /** Reads feedback requests' products the cache lacks through the Admin API (best effort). */
  productReadThrough?: ProductReadThrough;
}

export type BatchResult = { claimed: number } & Record<Outcome, number>;


/**
 * How a long-running loop shares mails in flight between batches: a send that hangs (SendGrid slow, up
 * to the client's timeout) must not hold up the next batch. After the batch's queue is empty, runBatch
 * waits at most `stragglerWaitMs` for sends still in flight and leaves them to finish on their own (each
 * marks its row under its lease, as always); the next batch runs with that many fewer lanes, so no more
 * than `concurrency` mails are ever in flight.
 */
export interface InFlight {
  count: number;
  stragglerWaitMs: number;
}

export async function runBatch(options: WorkerOptions, now: Date, inFlight?: InFlight): Promise<BatchResult> {
  return sendClaimed(options, await claimBatch(options, now), inFlight);
}

/** A claimed batch, checked and composed, its mails rendering on the render threads: what sendClaimed sends. */
export interface ClaimedBatch {
  claimed: Notification[];
  prepared: Prepared[];
  renderOf: Map<Prepared, Promise<RenderOutcome>>;
  now: Date;
  /** As many as the batch size asked for: more may be due. */
  full: boolean;
}

/** Claims what is due at `now`, loads its records, prepares each mail and starts rendering them. */
export async function claimBatch(options: WorkerOptions, now: Date): Promise<ClaimedBatch> {
  const limit = options.batchSize ?? 100;
  const claimed = await claimDue(options.db, now, limit, options.leaseMs ?? 2 * MINUTE_MS);
  const batch: ClaimedBatch = { claimed, prepared: [], renderOf: new Map(), now, full: claimed.length >= limit };
  if (claimed.length === 0) return batch;
  const ctx = await loadContext(options.db, claimed, { products: options.productReadThrough, now }).catch(async (error: unknown) => {
    await recordBatchFailure(options, claimed, error);
    throw error;
  });
  batch.prepared = claimed.map((notification): Prepared => {
    try {
      return prepareNotification(options, ctx, notification, now);
    } catch (error) {
      return { notification, skip: () => Promise.reject(error) };
    }
  });
  // Mails that can share a SendGrid request (a shop's mails of one kind: one sender, one set of
  // categories) side by side, so that each lane's share goes out in as few requests as it allows.
  const group = (p: Prepared) => `${p.notification.shop}\u0000${p.notification.kind}`;
  batch.prepared.sort((a, b) => (group(a) < group(b) ? -1 : group(a) > group(b) ? 1 : 0));
  const toRender = batch.prepared.filter((p): p is Extract<Prepared, { skip?: undefined }> => !p.skip);
  const renders = (options.renderPool ?? mailPool()).renderAll(toRender.map((p) => p.job));
  // Awaited one by one when sent; a pool that fails must not leave the later ones unhandled meanwhile.
  for (const render of renders) render.catch(() => undefined);
  batch.renderOf = new Map(toRender.map((p, i) => [p, renders[i]!]));
  return batch;
}

/**
 * A claimed batch whose records could not be read: each row says why, and keeps its lease, so it is tried
 * again once that runs out (not at once, over and over); a row at its last attempt fails for good instead
 * of coming back claim after claim. Under our lease only.
 */
async function recordBatchFailure(options: WorkerOptions, claimed: Notification[], error: unknown): Promise<void> {
  const reason = `the batch failed before sending: ${error instanceof Error ? error.message.trim().split("\n").pop() : String(error)}`.slice(0, 500);
  const leaseUntil = claimed[0]!.leaseUntil;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const failed = { status: NotificationStatus.failed, leaseUntil: null, lastError: `gave up after ${maxAttempts} attempts: ${reason}` };
  try {
    // A few hundred ids a statement: the failure may be the batch's size itself (too many parameters).
    for (const rows of slices(claimed, 200)) {
      for (const last of [false, true]) {
        const id = { in: rows.filter((n) => n.attempts >= maxAttempts === last).map((n) => n.id) };
        if (id.in.length) await options.db.notification.updateMany({ where: { id, status: NotificationStatus.sending, leaseUntil }, data: last ? failed : { lastError: reason } });
      }
    }
  } catch (recording) {
    log.warn("recording why a mail batch failed failed too", { error: recording });
  }
}

/**
 * Gives a claimed batch that will not be sent back to the queue as it was (a worker stopping with the next
 * batch claimed ahead): no attempt spent, under our lease only.
 */
export async function releaseBatch(options: WorkerOptions, batch: ClaimedBatch): Promise<void> {
  if (batch.claimed.length === 0) return;
  const leaseUntil = batch.claimed[0]!.leaseUntil;
  await options.db.notification.updateMany({
    where: { id: { in: batch.claimed.map((n) => n.id) }, status: NotificationStatus.sending, leaseUntil },
    data: { status: NotificationStatus.scheduled, leaseUntil: null, attempts: { decrement: 1 } },
  });
}

/**
 * Sends a claimed batch in lanes of concurrent mails, each marked the moment SendGrid answers it.
 * `onSending` is called once the lanes have started (the mail job claims its next batch then).
 */
export async function sendClaimed(options: WorkerOptions, batch: ClaimedBatch, inFlight?: InFlight, onSending?: () => void): Promise<BatchResult> {
  const { claimed, prepared, renderOf, now } = batch;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const lanes = Math.max(1, concurrency - (inFlight?.count ?? 0));
  const result: BatchResult = { claimed: claimed.length, sent: 0, retried: 0, failed: 0, cancelled: 0 };
  if (claimed.length === 0) return result;
  // Each lane takes its share of the batch, up to a SendGrid request's worth at a time (deliverMany):
  // a small batch still goes out a mail per request on every lane, a large one in fewer requests.
  const perRequest = Math.min(MAX_MAILS_PER_REQUEST, Math.max(1, Math.ceil(claimed.length / lanes)));
  let next = 0;
  let allStarted!: () => void;
  const started = new Promise<void>((resolve) => (allStarted = resolve));
  // Lanes still sending; once every mail has started and half the lanes are done, the next batch may
  // begin on the free ones (the rest of this one finishes meanwhile, as stragglers do).
  let running = lanes;
  let halfFree!: () => void;
  const laneFreed = new Promise<void>((resolve) => (halfFree = resolve));
  const lane = async () => {
    try {
      await send();
    } finally {
      running--;
      if (running <= Math.floor(lanes / 2)) halfFree();
    }
  };
  const send = async () => {
    while (next < claimed.length) {
      const chunk = prepared.slice(next, next + perRequest);
      next += chunk.length;
      if (next >= claimed.length) allStarted();
      await yieldToRequests();
      if (inFlight) inFlight.count++;
      try {
        const sendable: Extract<Prepared, { skip?: undefined }>[] = [];
        for (const mail of chunk) {
          if (!mail.skip) sendable.push(mail);
          else {
            try {
              result[await mail.skip()]++;
            } catch (error) {
              // Anything unexpected: leave the lease to expire so the row is tried again, and go on.
              log.error("notification crashed the worker step", { notificationId: mail.notification.id, error });
            }
          }
        }
        if (sendable.length > 0) {
          const renders = await Promise.all(sendable.map((mail) => renderOf.get(mail)!));
          const outcomes = await deliverMany(options, sendable.map((mail, i) => ({ prepared: mail, rendering: renders[i]! })), now);
          for (const outcome of outcomes) if (outcome) result[outcome]++;
        }
      } catch (error) {
        log.error("notification crashed the worker step", { notificationIds: chunk.map((mail) => mail.notification.id), error });
      } finally {
        if (inFlight) inFlight.count--;
      }
    }
  };
  const all = Promise.all(Array.from({ length: lanes }, lane));
  onSending?.();
  if (!inFlight) {
    await all;
    return result;
  }
  // Once every mail of the batch has started, only stragglers are left: wait for them a little, and no
  // longer than until half the lanes are free, so that sending does not stop between batches.
  await started;
  let timer: NodeJS.Timeout | undefined;
  let settled = false;
  void all.then(() => (settled = true));
  await Promise.race([all, laneFreed, new Promise<void>((resolve) => (timer = setTimeout(resolve, inFlight.stragglerWaitMs)))]);
  clearTimeout(timer);
  const snapshot = { ...result };
  if (!settled) {
    // What the stragglers did once they are done, so the batch's log lines add up to every mail it sent.
    void all.then(() => {
      const late = { sent: result.sent - snapshot.sent, retried: result.retried - snapshot.retried, failed: result.failed - snapshot.failed, cancelled: result.cancelled - snapshot.cancelled };
      if (late.sent || late.retried || late.failed || late.cancelled) log.info("worker batch stragglers", late);
    });
  }
  return snapshot;
}
