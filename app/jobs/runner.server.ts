// Runs each job in a loop of its own: run it, and when a run found nothing to do, sleep until the next
// poll or a wake-up. One loop per job, so a slow run of one (a hung SendGrid request) delays no other.
import { log } from "~/log.server";

export interface Job {
  name: string;
  /** One run at `now`; true when it found work, so the loop runs again at once. */
  run(now: Date): Promise<boolean>;
  /** After the loop has stopped: let work the runs left going finish. */
  settle?(): Promise<void>;
}

export interface JobSchedule {
  pollMs: number;
  /** Registers a wake-up call (e.g. a webhook just arrived); returns how to unregister it. */
  subscribe?: (wake: () => void) => () => void;
}

export interface RunningJob {
  stop(): Promise<void>;
}

export function startJob(job: Job, schedule: JobSchedule): RunningJob {
  let stopped = false;
  let wake: (() => void) | null = null;
  let woken = false;
  const unsubscribe = schedule.subscribe?.(() => {
    woken = true;
    wake?.();
  });
  const loop = (async () => {
    while (!stopped) {
      woken = false;
      let busy = false;
      try {
        // The one place the clock is read: everything a run does happens as of this moment.
        busy = await job.run(new Date());
      } catch (error) {
        log.error(`${job.name} batch failed`, { error });
      }
      if (!busy && !woken && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, schedule.pollMs);
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
      await job.settle?.();
    },
  };
}
