// Reconciliation as a job: at start-up and then every RECONCILE_INTERVAL_MS, each shop's orders updated
// since its last complete run. Several workers share the work: a shop synced within half an interval is
// left alone (except at start-up, when the process may have been down), and a shop's lease keeps two
// workers off one shop.
import { reconcileShops, type ReconcileDeps } from "~/reconcile/reconcile.server";
import type { Job } from "./runner.server";

export function reconcileJob(deps: ReconcileDeps, intervalMs: number): Job {
  let startUp = true;
  return {
    name: "reconcile",
    async run(now) {
      const minAgeMs = startUp ? 0 : intervalMs / 2;
      startUp = false;
      await reconcileShops(deps, now, { minAgeMs });
      return false;
    },
  };
}
