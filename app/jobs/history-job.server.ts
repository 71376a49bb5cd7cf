// History imports as a job: the fallback to the bulk_operations/finish webhook. Each run looks at the
// running imports (and records a file once Shopify has it); it never counts as busy, so it runs every poll.
import { advanceHistoryImports, type HistoryDeps } from "~/history/import.server";
import type { Job } from "./runner.server";

export function historyJob(deps: HistoryDeps): Job {
  return {
    name: "history",
    async run(now) {
      await advanceHistoryImports(deps, now);
      return false;
    },
  };
}
