// Renders merchants' templates on worker threads, off the event loop that answers webhooks. Each render
// has a hard time limit, counted in the thread's own CPU time where Linux tells it (a niced thread that
// waits for a core behind busier work is slow, not running away): a thread still on one render past it
// is terminated and replaced, and that render comes back as a TemplateError; the other renders of its
// batch are rendered again elsewhere.
// A thread left idle for idleMs ends, so that the memory a burst of renders took is given back; the next
// render starts one again.
import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { log } from "~/log.server";
import { threadCpuMs } from "~/os/thread-nice";
import type { RenderedMessage } from "./render";
import { PROGRESS_BYTES, RenderProgress, renderRequest, type RenderJob, type RenderReply, type TemplateErrorData } from "./render-protocol";
import { TemplateError } from "./template-error";

export type { RenderJob } from "./render-protocol";
export type RenderOutcome = { ok: true; message: RenderedMessage } | { ok: false; error: TemplateError };

export interface RenderPoolOptions {
  /** What the pool is for, in logs ("preview", "mail"). */
  name: string;
  threads: number;
  timeLimitMs: number;
  /** Heap per thread: a template that allocates beyond it ends its thread, not the process. */
  maxHeapMb?: number;
  /** How long a thread may sit without a render before it ends (default 5 s; 0 keeps threads for good). */
  idleMs?: number;
  /**
   * The threads' scheduling niceness (Linux: a thread's own; elsewhere, and without permission, left as
   * it is). A pool that renders in the background gives the CPU to what answers requests first.
   */
  nice?: number;
}

const DEFAULT_IDLE_MS = 5_000;

interface Pending {
  job: RenderJob;
  resolve(outcome: RenderOutcome): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  progress: RenderProgress;
  batch: { id: number; items: Pending[] } | null;
  /** Set when the pool terminates it on purpose (a runaway, idle, or close). */
  ending: boolean;
  /** When its last batch came back (or it started). */
  idleSince: number;
  /** The render the watchdog last saw it on, with the thread's CPU time then and how long it had run by the clock. */
  seen: { batch: number; job: number; cpuMs: number; clockMs: number } | null;
}

/** Where CPU time counts, a render still stops once it has been under way this many times its limit by the clock. */
const CLOCK_BACKSTOP = 20;

/** The thread script: the built one beside the server bundle, else the source (tsx, vitest). */
function threadScript(): { url: URL; execArgv: string[] } {
  for (const [name, execArgv] of [
    ["./render-thread.js", []],
    ["../render-thread.js", []],
    ["./render-thread.ts", ["--import", "tsx"]],
  ] as const) {
    const url = new URL(name, import.meta.url);
    if (existsSync(url)) return { url, execArgv: [...execArgv] };
  }
  throw new Error(`the render thread script is missing next to ${import.meta.url}: run \`npm run build\``);
}

const fromData = (e: TemplateErrorData) => new TemplateError(e.part, e.line, e.message, e.column);

export class RenderPool {
  private readonly threads: Thread[] = [];
  private readonly queue: Pending[][] = [];
  private watchdog: NodeJS.Timeout | null = null;
  private idleSweep: NodeJS.Timeout | null = null;
  private nextId = 1;
  private closed = false;

  constructor(readonly options: RenderPoolOptions) {}

  /** One message rendered on a thread. */
  render(job: RenderJob): Promise<RenderOutcome> {
    return this.renderAll([job])[0]!;
  }

  /** Renders `jobs` in batches of up to `batchSize` per thread message; one promise per job, in order. */
  renderAll(jobs: RenderJob[], batchSize = 25): Promise<RenderOutcome>[] {
    if (this.closed) throw new Error("the render pool is closed");
    const promises: Promise<RenderOutcome>[] = [];
    let batch: Pending[] = [];
    for (const job of jobs) {
      promises.push(new Promise<RenderOutcome>((resolve, reject) => batch.push({ job, resolve, reject })));
      if (batch.length >= batchSize) {
        this.queue.push(batch);
        batch = [];
      }
    }
    if (batch.length) this.queue.push(batch);
    this.dispatch();
    return promises;
  }

  /** Ends every thread; renders not finished yet are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopWatchdog();
    if (this.idleSweep) clearTimeout(this.idleSweep);
    this.idleSweep = null;
    const closing = new Error("the render pool is closed");
    for (const items of this.queue.splice(0)) for (const item of items) item.reject(closing);
    const threads = this.threads.splice(0);
    for (const thread of threads) for (const item of thread.batch?.items ?? []) item.reject(closing);
    await Promise.all(threads.map((thread) => this.end(thread)));
  }

  private dispatch(): void {
    while (this.queue.length) {
      let thread = this.threads.find((t) => !t.batch && !t.ending);
      if (!thread && this.threads.length < this.options.threads) thread = this.spawn();
      if (!thread) return;
      const items = this.queue.shift()!;
      const id = this.nextId++;
      thread.batch = { id, items };
      thread.worker.ref();
      thread.worker.postMessage(renderRequest(id, items.map((p) => p.job)));
      this.startWatchdog();
    }
  }

  private spawn(): Thread {
    const { url, execArgv } = threadScript();
    const progress = new RenderProgress(new SharedArrayBuffer(PROGRESS_BYTES));
    const worker = new Worker(url, {
      execArgv,
      workerData: { progress: progress.buffer, nice: this.options.nice ?? 0 },
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? 256 },
      stdout: false,
      stderr: false,
    });
    const thread: Thread = { worker, progress, batch: null, ending: false, idleSince: Date.now(), seen: null };
    worker.on("message", (reply: RenderReply) => this.settle(thread, reply));
    worker.on("error", (error) => this.died(thread, error));
    worker.on("exit", (code) => this.died(thread, new Error(`the render thread exited with code ${code}`)));
    worker.unref();
    this.threads.push(thread);
    this.scheduleIdleSweep();
    return thread;
  }

  /** Threads alive now (for tests and diagnostics). */
  get threadCount(): number {
    return this.threads.length;
  }

  private get idleMs(): number {
    return this.options.idleMs ?? DEFAULT_IDLE_MS;
  }

  /** Ends the threads idle for idleMs; runs again while any thread is left. */
  private scheduleIdleSweep(): void {
    if (this.idleSweep || this.idleMs <= 0 || this.closed) return;
    this.idleSweep = setTimeout(() => {
      this.idleSweep = null;
      const now = Date.now();
      for (const thread of [...this.threads]) {
        if (thread.batch || thread.ending || now - thread.idleSince < this.idleMs) continue;
        this.remove(thread);
        void this.end(thread);
      }
      if (this.threads.length) this.scheduleIdleSweep();
    }, Math.max(10, this.idleMs / 2));
    this.idleSweep.unref();
  }

  private settle(thread: Thread, reply: RenderReply): void {
    const batch = thread.batch;
    if (!batch || batch.id !== reply.id) return;
    thread.batch = null;
    thread.idleSince = Date.now();
    thread.worker.unref();
    batch.items.forEach((item, i) => {
      const result = reply.results[i]!;
      item.resolve(result.ok ? result : { ok: false, error: fromData(result.error) });
    });
    this.dispatch();
  }

  /** A thread that ended without the pool asking: the render it was on fails, the rest go to another. */
  private died(thread: Thread, error: Error): void {
    if (thread.ending) return;
    thread.ending = true;
    this.remove(thread);
    const current = thread.progress.current();
    const batch = thread.batch;
    thread.batch = null;
    if (batch && !current) {
      // It never started rendering: the thread itself is broken, not a template.
      for (const item of batch.items) item.reject(error);
    } else if (batch && current) {
      const outOfMemory = (error as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY";
      log.warn("a render thread died; the render it was on fails", { pool: this.options.name, error: error.message });
      this.fail(batch.items, current, outOfMemory ? "this part uses too much memory when rendered and was stopped" : `rendering stopped: ${error.message}`);
    }
    this.dispatch();
  }

  private fail(items: Pending[], current: { job: number; part: TemplateErrorData["part"] }, message: string): void {
    items[current.job]?.resolve({ ok: false, error: new TemplateError(current.part, null, message) });
    const rest = items.filter((_, i) => i !== current.job);
    if (rest.length) this.queue.unshift(rest);
  }

  private check(): void {
    const now = Date.now();
    for (const thread of [...this.threads]) {
      const current = thread.batch ? thread.progress.current() : null;
      if (!current || !this.pastLimit(thread, current, now)) continue;
      const batch = thread.batch!;
      thread.batch = null;
      this.remove(thread);
      void this.end(thread);
      const seconds = this.options.timeLimitMs / 1000;
      log.warn("a render ran past its time limit; its thread was stopped", { pool: this.options.name, limitMs: this.options.timeLimitMs, part: current.part });
      this.fail(batch.items, current, `rendering took longer than ${seconds} s and was stopped: make the loops and filters in this part do less`);
      // The replacement starts now, so the next render does not wait for a thread to boot.
      if (!this.closed) this.spawn();
    }
    if (!this.threads.some((t) => t.batch)) this.stopWatchdog();
    this.dispatch();
  }

  private get checkEveryMs(): number {
    return Math.max(10, Math.min(100, this.options.timeLimitMs / 10));
  }

  /**
   * Whether the render `thread` is on has used more than the limit: in the thread's CPU time since the
   * watchdog first saw it on this render, plus the clock time before that (at most one check period),
   * where that can be read; else, and in any case at CLOCK_BACKSTOP times the limit, by the clock.
   */
  private pastLimit(thread: Thread, current: { job: number; startedAt: number }, now: number): boolean {
    const limit = this.options.timeLimitMs;
    const clockMs = now - current.startedAt;
    const tid = thread.progress.threadId;
    const cpuMs = tid === null ? null : threadCpuMs(tid);
    if (cpuMs === null) return clockMs > limit;
    const batch = thread.batch!.id;
    if (thread.seen?.batch !== batch || thread.seen.job !== current.job) {
      thread.seen = { batch, job: current.job, cpuMs, clockMs: Math.min(clockMs, this.checkEveryMs) };
    }
    return cpuMs - thread.seen.cpuMs + thread.seen.clockMs > limit || clockMs > limit * CLOCK_BACKSTOP;
  }

  private remove(thread: Thread): void {
    const index = this.threads.indexOf(thread);
    if (index >= 0) this.threads.splice(index, 1);
  }

  private async end(thread: Thread): Promise<void> {
    thread.ending = true;
    await thread.worker.terminate();
  }

  private startWatchdog(): void {
    if (this.watchdog) return;
    this.watchdog = setInterval(() => this.check(), this.checkEveryMs);
    this.watchdog.unref();
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
  }
}
