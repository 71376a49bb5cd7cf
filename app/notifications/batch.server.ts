// One batch of the mail queue: claim what is due, load its records, render its mails on the render
// threads (a few dozen per thread message), and send in lanes of concurrent mails, each marked the
// moment SendGrid answers it.
import { log } from "~/log.server";
import { yieldToRequests } from "~/webhooks/inbox.server";
import { loadContext } from "./batch-context.server";
import { claimDue } from "./queue.server";
import { mailPool } from "~/templates/render-pools.server";
import { deliverNotification, prepareNotification, type Outcome, type Prepared, type SendOptions } from "./send.server";
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
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const lanes = Math.max(1, concurrency - (inFlight?.count ?? 0));
  const claimed = await claimDue(options.db, now, options.batchSize ?? 100, options.leaseMs ?? 2 * MINUTE_MS);
  const result: BatchResult = { claimed: claimed.length, sent: 0, retried: 0, failed: 0, cancelled: 0 };
  if (claimed.length === 0) return result;
  const ctx = await loadContext(options.db, claimed, { products: options.productReadThrough, now });
  const prepared = claimed.map((notification): Prepared => {
    try {
      return prepareNotification(options, ctx, notification, now);
    } catch (error) {
      return { notification, skip: () => Promise.reject(error) };
    }
  });
  const toRender = prepared.filter((p): p is Extract<Prepared, { skip?: undefined }> => !p.skip);
  const renders = (options.renderPool ?? mailPool()).renderAll(toRender.map((p) => p.job));
  // Awaited one by one below; a pool that fails must not leave the later ones unhandled meanwhile.
  for (const render of renders) render.catch(() => undefined);
  const renderOf = new Map(toRender.map((p, i) => [p, renders[i]!]));
  let next = 0;
  let allStarted!: () => void;
  const started = new Promise<void>((resolve) => (allStarted = resolve));
  const lane = async () => {
    while (next < claimed.length) {
      const mail = prepared[next++]!;
      const notification = mail.notification;
      if (next === claimed.length) allStarted();
      await yieldToRequests();
      if (inFlight) inFlight.count++;
      try {
        result[mail.skip ? await mail.skip() : await deliverNotification(options, mail, await renderOf.get(mail)!, now)]++;
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
