// The mail queue as a job: batch after batch of due notifications, never waiting long on a straggler.
import { log } from "~/log.server";
import { runBatch, type InFlight, type WorkerOptions } from "~/notifications/batch.server";
import type { Job } from "./runner.server";

/** How long a batch waits for its slowest sends before the next batch starts. */
const STRAGGLER_WAIT_MS = 1000;
/** How long stopping waits for sends still in flight (the mail client times out well before). */
const SETTLE_MS = 15_000;

export function mailJob(options: WorkerOptions): Job {
  const inFlight: InFlight = { count: 0, stragglerWaitMs: STRAGGLER_WAIT_MS };
  return {
    name: "worker",
    async run(now) {
      const result = await runBatch(options, now, inFlight);
      if (result.claimed) log.info("worker batch", { ...result });
      return result.claimed > 0;
    },
    async settle() {
      // Let sends still in flight finish and mark their rows.
      const deadline = Date.now() + SETTLE_MS;
      while (inFlight.count > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
}
