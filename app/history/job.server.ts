// The runner's fallback to the bulk_operations/finish webhook: every few seconds, look at each running
// import (and record its file once Shopify has it). A look still under way skips the next tick.
import { log } from "~/log.server";
import { advanceHistoryImports, type HistoryDeps } from "./import.server";

export function startHistoryJob(deps: HistoryDeps, intervalMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = advanceHistoryImports(deps, new Date())
      .catch((error: unknown) => log.warn("looking at history imports failed", { error }))
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
