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
  /** Each run starts only once this job has caught up with the work it knew of (never the other way round). */
  after?: RunningJob;
}

export interface RunningJob {
  /** Resolves once no run is in progress that expected work: the first, one after a busy run, or one woken up. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

export function startJob(job: Job, schedule: JobSchedule): RunningJob {
  let stopped = false;
  let wake: (() => void) | null = null;
  let woken = false;
  let catchingUp: Promise<boolean> | null = null;
  // The first run may find a backlog; later, a busy run or a wake-up says there is more.
  let expectingWork = true;
  const unsubscribe = schedule.subscribe?.(() => {
    woken = true;
    wake?.();
  });
  const loop = (async () => {
    while (!stopped) {
      const expected = expectingWork || woken;
      woken = false;
      let busy = false;
      try {
        if (schedule.after) await schedule.after.caughtUp();
        // The one place the clock is read: everything a run does happens as of this moment.
        const run = job.run(new Date());
        // An idle poll that finds nothing holds no other job up.
        if (expected) catchingUp = run;
        busy = await run;
      } catch (error) {
        log.error(`${job.name} batch failed`, { error });
      } finally {
        catchingUp = null;
      }
      expectingWork = busy;
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
    async caughtUp() {
      await catchingUp?.catch(() => undefined); // a failed run is over too
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      wake?.();
      await loop;
      await job.settle?.();
    },
  };
}
