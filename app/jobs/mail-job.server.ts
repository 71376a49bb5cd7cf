// The mail queue as a job: batch after batch of due notifications, never waiting long on a straggler.
// While a full batch sends, the next one is claimed, loaded and composed, and its mails render on the
// render threads, so sending never waits for a claim or a render between batches.
import { log } from "~/log.server";
import { claimBatch, releaseBatch, sendClaimed, type ClaimedBatch, type InFlight, type WorkerOptions } from "~/notifications/batch.server";
import { MINUTE_MS } from "~/time";
import type { Job } from "./runner.server";

/** How long a batch waits for its slowest sends before the next batch starts. */
const STRAGGLER_WAIT_MS = 1000;
/** How long stopping waits for sends still in flight (the mail client times out well before). */
const SETTLE_MS = 15_000;

export function mailJob(options: WorkerOptions, clock: () => Date = () => new Date()): Job {
  const inFlight: InFlight = { count: 0, stragglerWaitMs: STRAGGLER_WAIT_MS };
  /** The next batch, claimed while the current one sends (only after a full batch: more may be due). */
  let ahead: Promise<ClaimedBatch> | null = null;
  const claimAhead = () => {
    ahead = claimBatch(options, clock());
    // Awaited by the next run (or released by settle); never an unhandled rejection meanwhile.
    ahead.catch(() => undefined);
  };
  const leaseMs = options.leaseMs ?? 2 * MINUTE_MS;
  // A claim ahead would take back this batch's own rows once their lease has run out (a slow start, the
  // render threads still booting): only while at least half of it is left, as it is by far in a batch
  // that sends at any usual rate.
  const leaseLeft = (batch: ClaimedBatch) => {
    const until = batch.claimed[0]?.leaseUntil;
    return !!until && until.getTime() - clock().getTime() > leaseMs / 2;
  };
  return {
    name: "worker",
    async run(now) {
      const claimed = ahead ?? claimBatch(options, now);
      ahead = null;
      const batch = await claimed;
      const result = await sendClaimed(options, batch, inFlight, batch.full && leaseLeft(batch) ? claimAhead : undefined);
      if (result.claimed) log.info("worker batch", { ...result });
      return result.claimed > 0;
    },
    async settle() {
      // A batch claimed ahead goes back to the queue unsent, as it was.
      const next = ahead;
      ahead = null;
      if (next) {
        // A row left claimed (a failed release) is taken again once its lease runs out.
        await next.then((batch) => releaseBatch(options, batch)).catch((error: unknown) => log.warn("giving back the mail batch claimed ahead failed", { error }));
      }
      // Let sends still in flight finish and mark their rows.
      const deadline = Date.now() + SETTLE_MS;
      while (inFlight.count > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
}
