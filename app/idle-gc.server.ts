// Gives a burst's memory back once the process has gone quiet. V8 grows its heap to what a burst of
// webhooks or mail needs and frees it only at its next full collection; an idle server allocates nothing,
// so that collection never comes (V8's memory reducer judges by the allocation rate it last saw, the
// burst's, and waits), and Node has no browser's idle-time GC to run one. Even a full collection keeps the
// freed pages pooled for reuse, resident; the memory-reducing collection ("last resort") returns them.
// Measured under `npm start` after a 5,000-fulfillment burst: its two processes (worker, web) kept 345 and
// 342 MiB for as long as they stayed idle (`BENCH_ONLY=e2e npm run bench` prints the server's resident
// memory before, during and after a burst).
//
// A process that has used less than idleCpuShare of a core for idleMs, and whose resident memory is at
// least minGrowthBytes above what it was after its last collection, runs one memory-reducing collection,
// whether V8 has collected meanwhile or not (its own collections keep the pages pooled). That takes tens
// of milliseconds for a heap of a few hundred MiB. A busy process is never paused by it, and an idle one
// whose memory has not grown again is not collected again.
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { log } from "./log.server";

export interface IdleGcOptions {
  /** How often to look (ms). */
  checkMs?: number;
  /** How long the process must have been quiet (ms). */
  idleMs?: number;
  /** Collect only when resident memory has grown by this much since the last collection. */
  minGrowthBytes?: number;
  /** "Quiet": CPU time (all the process's threads) under this share of one core. */
  idleCpuShare?: number;
}

export interface IdleDecision {
  /** Milliseconds the process has been quiet (0 when it just was busy). */
  quietForMs: number;
  /** Resident memory now minus resident memory after the last collection. */
  grownBytes: number;
}

export const shouldCollect = (state: IdleDecision, idleMs: number, minGrowthBytes: number): boolean =>
  state.quietForMs >= idleMs && state.grownBytes >= minGrowthBytes;

type Collector = (options?: { type: "major"; execution: "sync"; flavor: "last-resort" }) => void;
let exposed: Collector | null | undefined;

/**
 * The engine's collector as a function. `--expose-gc` on the command line would do, but every way of
 * starting Parcelwise (npm start, npm run worker, a host's own `node` command) would have to pass it: set
 * here instead, once, and taken from a fresh context, where V8 installs `gc` once the flag is set.
 */
function collector(): Collector | null {
  if (exposed !== undefined) return exposed;
  try {
    const existing = (globalThis as { gc?: Collector }).gc;
    if (typeof existing === "function") return (exposed = existing);
    v8.setFlagsFromString("--expose-gc");
    const fromContext = runInNewContext("gc") as unknown;
    exposed = typeof fromContext === "function" ? (fromContext as Collector) : null;
  } catch {
    exposed = null;
  }
  return exposed;
}

export function startIdleGc(options: IdleGcOptions = {}): { stop(): void } {
  const checkMs = options.checkMs ?? 1000;
  const idleMs = options.idleMs ?? 3000;
  const minGrowthBytes = options.minGrowthBytes ?? 32 * 2 ** 20;
  const idleCpuShare = options.idleCpuShare ?? 0.1;
  const gc = collector();
  if (!gc) {
    log.warn("idle collection unavailable: memory a burst grew stays with the process until V8 collects");
    return { stop() {} };
  }
  let lastCpu = process.cpuUsage();
  let lastAt = performance.now();
  let quietSince: number | null = null;
  let residentAfterCollection = process.memoryUsage.rss();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const share = (cpu.user + cpu.system) / 1000 / Math.max(1, now - lastAt);
    lastCpu = process.cpuUsage();
    lastAt = now;
    if (share >= idleCpuShare) {
      quietSince = null;
      return;
    }
    quietSince ??= now;
    const resident = process.memoryUsage.rss();
    if (!shouldCollect({ quietForMs: now - quietSince, grownBytes: resident - residentAfterCollection }, idleMs, minGrowthBytes)) return;
    const started = performance.now();
    gc({ type: "major", execution: "sync", flavor: "last-resort" });
    // What stays resident now (code, caches, memory outside the heap) is the new mark: a process whose
    // memory a collection cannot reduce is not collected again until it grows further.
    residentAfterCollection = process.memoryUsage.rss();
    const MiB = (bytes: number) => Math.round(bytes / 2 ** 20);
    log.debug("idle: heap collected", { residentBeforeMiB: MiB(resident), residentAfterMiB: MiB(residentAfterCollection), ms: Math.round(performance.now() - started) });
    // The collection's own CPU is not the process getting busy again.
    lastCpu = process.cpuUsage();
    lastAt = performance.now();
  }, checkMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
