// `npm run bench`: signed Shopify fulfillments/create webhooks acknowledged per second, with p50/p99
// latency, through the real built server (Remix + Prisma on SQLite, as `npm start` runs it) beside a bare
// node:http server that only checks the same HMAC and inserts the same WebhookReceipt inbox row with the
// same driver (tests/bench/bare-server.ts). autocannon drives both with 50 connections for about 10 s per
// measurement. Every request is a distinct, validly signed delivery (its own webhook id, event id and
// fulfillment id) for an order the real server already knows.
//
// The webhook route only acknowledges: it verifies the HMAC, validates the payload and inserts a pending
// WebhookReceipt (the inbox); the worker (processInbox) records the shipment and re-plans later. The real
// server is measured in two configurations, each on a fresh server and database:
//   (a) web (WORKER=off): the acknowledgement path alone, as app instances behind a load balancer run. After
//       each load the bench drains the inbox itself (processInbox in this process, same SQLite file).
//   (b) single process (npm start, worker on): the default one-machine shape (WEB_CONCURRENCY=1); the
//       server's own worker drains the inbox while the same process acknowledges.
//
// Measurements per configuration: saturation (closed loop, 50 connections). When the real server's p99
// there is over the 100 ms floor, both servers again at 70% of that configuration's saturated rate, twice:
// with autocannon's `overallRate` (each connection's per-second quota goes out at the start of its
// one-second window, so the load arrives in bursts), and paced (the same rate, one autocannon instance per
// connection with their windows spread over the second, so requests arrive evenly). The bare server's
// saturation is measured once and compared with both configurations.
//
// Each measurement sends a fixed number of requests (autocannon `amount`), so every request sent is
// answered before the run ends and the check is exact: WebhookReceipt rows added == 2xx answers. After each
// load on the real server the bench waits until the inbox is drained (nothing pending or processing) and
// records how fast that went: the worker's processing rate. Once a configuration is done: one Shipment per
// acknowledged fulfillment, every receipt "processed", none "failed". Any non-2xx answer, socket error,
// timeout, missing row, stalled drain or failed check fails the bench (exit code 1).
//
// Prints tables and writes them to BENCHMARKS.md at the repository root.
import autocannon, { type Request as CannonRequest, type Result as CannonResult } from "autocannon";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { createClient } from "@libsql/client";
import { migrate } from "../../prisma/migrate";
import { startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { webhookRequest, type ShopifyDelivery } from "#tests/standins/sign";
import { fulfillmentPayloadFor, orderPayloadFor } from "#tests/demo/scenario";
import { processInbox } from "~/webhooks/inbox.server";
import type { Db } from "~/db.server";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

const CONNECTIONS = 50;
const SECONDS = 10;
/** A short probe sizes a warm-up of about WARMUP_SECONDS, whose steady rate sizes the ~SECONDS measurement. */
const PROBE_REQUESTS = 200;
const WARMUP_SECONDS = 3;
const FLOOR_P99_MS = 100;
const RATE_LIMITED_SHARE = 0.7;
/** Each order the bench pays receives this many fulfillments (a split shipment), spread over the run. */
const FULFILLMENTS_PER_ORDER = 2;
const TIMEOUT_S = 10;
/** The bench's own drain (configuration a): receipts claimed per processInbox call. */
const DRAIN_LIMIT = 200;
const DRAIN_POLL_MS = 50;
/** A drain that makes no progress for this long fails the bench. */
const DRAIN_STALL_MS = 30_000;
/** Below this backlog a drain rate says more about polling than about the worker: not reported. */
const MIN_BACKLOG_FOR_RATE = 100;
/** Before each load, wait (up to SETTLE_MAX_MS) until the bench process and the machine are this idle. */
const SETTLE_WINDOW_MS = 500;
const SETTLE_MAX_MS = 15_000;
const SETTLE_BENCH_CPU = 10;
const SETTLE_MACHINE_CPU = 50;

// ---------------------------------------------------------------------------------------------------------
// Deliveries: distinct, signed, for known orders.

const BUYER = {
  first: "Anna",
  last: "Müller",
  email: "anna.mueller@example.de",
  locale: "de",
  country: "DE",
  city: "Berlin",
  zip: "10115",
  address1: "Invalidenstraße 12",
};

const runTag = `bench-${Date.now().toString(36)}`;
let orderSeq = 0;
let fulfillmentSeq = 0;

function nextOrderPaid(): { delivery: ShopifyDelivery; orderId: number } {
  const n = ++orderSeq;
  const orderId = 5_000_000_000 + n;
  const paid = new Date(Date.now() - 3600_000);
  return {
    orderId,
    delivery: {
      topic: "orders/paid",
      shop: TEST_SHOP,
      payload: orderPayloadFor(orderId, 100_000 + n, BUYER, { processed: paid, updated: paid }),
      webhookId: `${runTag}-order-${n}`,
      eventId: `${runTag}-order-evt-${n}`,
    },
  };
}

function nextFulfillment(orderId: number): ShopifyDelivery {
  const n = ++fulfillmentSeq;
  const now = new Date();
  const tracking = `JD${String(14_600_000_000 + n)}`;
  return {
    topic: "fulfillments/create",
    shop: TEST_SHOP,
    payload: fulfillmentPayloadFor(7_000_000_000 + n, orderId, "DHL Express", tracking, "DE", { created: now, updated: now }),
    webhookId: `${runTag}-ful-${n}`,
    eventId: `${runTag}-ful-evt-${n}`,
    triggeredAt: now.toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Targets: the real server (in one of two configurations) and the bare baseline, each in its own process.

type ConfigKind = "web" | "single";
type TargetKind = ConfigKind | "bare";

interface Configuration {
  kind: ConfigKind;
  label: string;
  worker: boolean;
}

const CONFIGURATIONS: Configuration[] = [
  { kind: "web", label: "web (WORKER=off)", worker: false },
  { kind: "single", label: "single process (npm start, worker on)", worker: true },
];

interface Drain {
  by: "bench loop" | "server worker";
  /** Receipts pending or processing right after the last answer. */
  backlog: number;
  /** Seconds from the last answer until nothing was pending or processing. */
  seconds: number;
  /** backlog / seconds: deliveries recorded and planned per second once the load was over. */
  rate: number;
  /** Seconds from the first request until drained. */
  totalSeconds: number;
  /** Bench loop only: time spent inside processInbox, and receipts processed per second of it. */
  busySeconds?: number;
  pureRate?: number;
  /** Server worker only: seconds from the last answer until the notifications it planned and that are due were sent. */
  quietSeconds?: number;
  problems: string[];
}

interface Target {
  kind: TargetKind;
  baseUrl: string;
  /** The real server needs the orders to exist for the full path; the bare one never reads them. */
  needsOrders: boolean;
  countReceipts(): Promise<number>;
  /** Real server: receipts not yet recorded (pending or processing). */
  countOpen?(): Promise<number>;
  /** Real server: waits until the inbox is drained after a load. */
  drain?(run: Run, backlog: number): Promise<Drain>;
  logs(): string[];
  stop(): Promise<void>;
}

const OPEN = { status: { in: ["pending", "processing"] } };
/** Notifications the worker still has to send now (due, or being sent). */
const dueNotifications = () => ({ OR: [{ status: "sending" as const }, { status: "scheduled" as const, scheduledFor: { lte: new Date() } }] });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function drainResult(run: Run, by: Drain["by"], backlog: number, drainedAt: number, problems: string[], busyMs?: number, processed?: number): Drain {
  const seconds = (drainedAt - run.endedAt) / 1000;
  return {
    by,
    backlog,
    seconds,
    rate: backlog >= MIN_BACKLOG_FOR_RATE ? backlog / seconds : NaN,
    totalSeconds: (drainedAt - run.startedAt) / 1000,
    busySeconds: busyMs === undefined ? undefined : busyMs / 1000,
    pureRate: busyMs === undefined || processed === undefined || processed < MIN_BACKLOG_FOR_RATE ? undefined : processed / (busyMs / 1000),
    problems,
  };
}

/** Configuration (a): no worker in the server, so the bench drains the inbox itself, as a worker would. */
async function drainInBench(db: Db, run: Run, backlog: number): Promise<Drain> {
  const problems: string[] = [];
  let busyMs = 0;
  let processed = 0;
  let progressAt = performance.now();
  for (;;) {
    const started = performance.now();
    const result = await processInbox({ db, now: new Date(), limit: DRAIN_LIMIT });
    busyMs += performance.now() - started;
    processed += result.processed;
    if (result.claimed) {
      progressAt = performance.now();
      continue;
    }
    const open = await db.webhookReceipt.count({ where: OPEN });
    if (!open) break;
    // A delivery that failed once waits for its retry (availableAt); one that never comes fails the bench.
    if (performance.now() - progressAt > DRAIN_STALL_MS) {
      problems.push(`inbox not drained: ${open} receipts pending or processing, no progress for ${DRAIN_STALL_MS / 1000} s`);
      break;
    }
    await sleep(DRAIN_POLL_MS);
  }
  return drainResult(run, "bench loop", backlog, performance.now(), problems, busyMs, processed);
}

/** Configuration (b): the server's own worker drains the inbox; the bench only watches. */
async function awaitWorker(db: Db, run: Run, backlog: number): Promise<Drain> {
  const problems: string[] = [];
  let open = backlog;
  let progressAt = performance.now();
  while (open > 0) {
    await sleep(DRAIN_POLL_MS);
    const now = await db.webhookReceipt.count({ where: OPEN });
    if (now < open) progressAt = performance.now();
    open = now;
    if (open && performance.now() - progressAt > DRAIN_STALL_MS) {
      problems.push(`inbox not drained: ${open} receipts pending or processing, no progress for ${DRAIN_STALL_MS / 1000} s`);
      break;
    }
  }
  const drain = drainResult(run, "server worker", backlog, performance.now(), problems);
  // The worker also sends the notifications it planned: the next load starts once it has sent the due ones,
  // so that no measurement (the bare server's included) shares the cores with a busy worker.
  let due = await db.notification.count({ where: dueNotifications() });
  progressAt = performance.now();
  while (due > 0 && !problems.length) {
    await sleep(DRAIN_POLL_MS);
    const now = await db.notification.count({ where: dueNotifications() });
    if (now < due) progressAt = performance.now();
    due = now;
    if (due && performance.now() - progressAt > DRAIN_STALL_MS) problems.push(`${due} due notifications not sent, no progress for ${DRAIN_STALL_MS / 1000} s`);
  }
  drain.quietSeconds = (performance.now() - run.endedAt) / 1000;
  return drain;
}

async function startReal(config: Configuration): Promise<{ target: Target; server: AppServer }> {
  // WEB_CONCURRENCY pinned to its default (1): one process, whatever the shell running the bench sets.
  const server = await startAppServer({ worker: config.worker, env: { LOG_LEVEL: "warn", WEB_CONCURRENCY: "1" } });
  return {
    server,
    target: {
      kind: config.kind,
      baseUrl: server.baseUrl,
      needsOrders: true,
      countReceipts: () => server.db.webhookReceipt.count(),
      countOpen: () => server.db.webhookReceipt.count({ where: OPEN }),
      drain: (run, backlog) => (config.worker ? awaitWorker(server.db, run, backlog) : drainInBench(server.db, run, backlog)),
      logs: () => server.logs,
      stop: () => server.stop(),
    },
  };
}

async function startBare(): Promise<Target> {
  const dir = mkdtempSync(join(os.tmpdir(), "parcelwise-bare-"));
  const databaseUrl = `file:${join(dir, "bare.sqlite")}`;
  await migrate(databaseUrl);
  const logs: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", join(here, "bare-server.ts")], {
    cwd: root,
    env: { ...process.env, BARE_DATABASE_URL: databaseUrl, BARE_SECRET: TEST_SECRET, PORT: "0", HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr?.on("data", (chunk: Buffer) => logs.push(...chunk.toString().split("\n").filter(Boolean)));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bare server did not start:\n${logs.join("\n")}`)), 60_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        const match = /^listening (\S+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        } else logs.push(line);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`bare server exited (${code}):\n${logs.join("\n")}`));
    });
  });
  const counter = createClient({ url: databaseUrl });
  return {
    kind: "bare",
    baseUrl,
    needsOrders: false,
    countReceipts: async () => Number((await counter.execute(`SELECT COUNT(*) AS n FROM "WebhookReceipt"`)).rows[0].n),
    logs: () => logs,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
      }
      counter.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// One measurement: one or more autocannon instances ("lanes") run together, each sending a fixed number
// of requests, optionally rate-limited and started after a delay.

interface Lane {
  connections: number;
  amount: number;
  overallRate?: number;
  delayMs: number;
}

type Shape = "closed loop" | "overallRate" | "paced";

interface Run {
  target: TargetKind;
  label: string;
  shape: Shape;
  sent: number;
  ok: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  seconds: number;
  rate: number;
  /** Answers per second over the second half of the run (past the cold start). */
  steadyRate: number;
  offeredRate?: number;
  connections: number;
  p50: number;
  p99: number;
  /** p99 without each connection's first request (which waits for its connection to be taken up). */
  p99Later: number;
  max: number;
  rowsAdded: number;
  /** performance.now() at the first request sent and at the last answer read. */
  startedAt: number;
  endedAt: number;
  /** During the load: the bench process's CPU (load generator), and the whole machine's, in % of one core. */
  benchCpu: number;
  machineCpu: number;
  /** Real server: how the inbox drained after this load. */
  drain?: Drain;
  problems: string[];
}

/** CPU time the whole machine has spent busy so far, in ms (summed over cores). */
function machineBusyMs(): number {
  return os.cpus().reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0);
}

/**
 * Waits until the bench process and the machine are quiet. Right after the processInbox loop the bench
 * process keeps most of a core busy off its main thread for a second or two (its event loop stays free), and a
 * load started then came out bunched: the bare server's "paced" run right after a drain had p50 20 ms and took
 * 11 s, against 0.5 ms and 10.0 s once the process had been idle for 2 s.
 */
async function settle(): Promise<void> {
  const deadline = performance.now() + SETTLE_MAX_MS;
  while (performance.now() < deadline) {
    const cpu = process.cpuUsage();
    const machine = machineBusyMs();
    await sleep(SETTLE_WINDOW_MS);
    const used = process.cpuUsage(cpu);
    const benchCpu = ((used.user + used.system) / 1000 / SETTLE_WINDOW_MS) * 100;
    const machineCpu = ((machineBusyMs() - machine) / SETTLE_WINDOW_MS) * 100;
    if (benchCpu < SETTLE_BENCH_CPU && machineCpu < SETTLE_MACHINE_CPU) return;
  }
}

function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Splits `total` over `parts` as evenly as whole numbers allow (as autocannon does). */
function share(total: number, parts: number, i: number): number {
  return Math.floor(total / parts) + (i < total % parts ? 1 : 0);
}

/** Saturation: every connection sends its next request as soon as the last is answered. */
function closedLoop(amount: number): Lane[] {
  return [{ connections: Math.min(CONNECTIONS, amount), amount, delayMs: 0 }];
}

/**
 * autocannon `overallRate`: each connection may send its share of the rate per one-second window, and all
 * windows start together, so each second's requests leave in a burst at its start. Connections with the
 * same per-second share run as one instance, so every connection sends for the same SECONDS.
 */
function overallRate(rate: number): Lane[] {
  const connections = Math.min(CONNECTIONS, rate);
  const groups = new Map<number, number>();
  for (let i = 0; i < connections; i++) groups.set(share(rate, connections, i), (groups.get(share(rate, connections, i)) ?? 0) + 1);
  return [...groups].map(([perConnection, count]) => ({
    connections: count,
    amount: count * perConnection * SECONDS,
    overallRate: count * perConnection,
    delayMs: 0,
  }));
}

/** The same rate, evenly spread: one connection per instance, their one-second windows staggered. */
function paced(rate: number): Lane[] {
  const connections = Math.min(CONNECTIONS, rate);
  return Array.from({ length: connections }, (_, i) => {
    const perConnection = share(rate, connections, i);
    return { connections: 1, amount: perConnection * SECONDS, overallRate: perConnection, delayMs: (i * 1000) / connections };
  });
}

async function measure(target: Target, label: string, shape: Shape, lanes: Lane[], make: () => ShopifyDelivery, offeredRate?: number): Promise<Run> {
  const amount = lanes.reduce((sum, lane) => sum + lane.amount, 0);
  await settle();
  const before = await target.countReceipts();
  const latencies: number[] = [];
  const later: number[] = [];
  const clients = new Set<unknown>();
  const answeredAt: number[] = [];
  const statuses: Record<string, number> = {};
  let built = 0;
  const request: CannonRequest = {
    // Called once per request sent: a fresh delivery, signed over its own body.
    setupRequest: (req) => {
      built++;
      const delivery = make();
      const { init } = webhookRequest(target.baseUrl, TEST_SECRET, delivery);
      return { ...req, method: "POST", path: `/webhooks/${delivery.topic}`, headers: init.headers, body: init.body };
    },
  };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const machineBefore = machineBusyMs();
  const results = await Promise.all(
    lanes.map(
      (lane) =>
        new Promise<CannonResult>((resolve, reject) => {
          setTimeout(() => {
            const instance = autocannon(
              {
                url: target.baseUrl,
                connections: lane.connections,
                amount: lane.amount,
                // Raw latencies: under a rate limit autocannon would "correct" them assuming a 1 ms interval.
                ...(lane.overallRate ? { overallRate: lane.overallRate, ignoreCoordinatedOmission: true } : {}),
                timeout: TIMEOUT_S,
                requests: [request],
              },
              (error, result) => (error ? reject(error) : resolve(result)),
            );
            instance.on("response", (client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
              latencies.push(responseTime);
              if (clients.has(client)) later.push(responseTime);
              else clients.add(client);
              answeredAt.push(performance.now());
              statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
            });
          }, lane.delayMs);
        }),
    ),
  );
  // What the worker still has to do the moment the load is over (before anything else is awaited).
  const backlog = target.countOpen ? await target.countOpen() : 0;
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const machineMs = machineBusyMs() - machineBefore;
  const errors = results.reduce((sum, r) => sum + r.errors, 0);
  const timeouts = results.reduce((sum, r) => sum + r.timeouts, 0);
  const counted2xx = results.reduce((sum, r) => sum + r["2xx"], 0);
  // Every answer left after its inbox insert committed, but a timed-out request may still be running.
  let after = await target.countReceipts();
  if (errors || timeouts) {
    await sleep(2_000);
    after = await target.countReceipts();
  }
  const ok = Object.entries(statuses).reduce((sum, [code, count]) => (code.startsWith("2") ? sum + count : sum), 0);
  const last = answeredAt[answeredAt.length - 1] ?? performance.now();
  // A rate-limited run spreads its requests over SECONDS by construction: its throughput is over that
  // span, or up to the last answer if the server fell behind.
  const seconds = Math.max((last - started) / 1000, offeredRate ? SECONDS : 0);
  const mid = Math.floor(answeredAt.length / 2);
  const steadyRate = answeredAt.length >= 20 && last > answeredAt[mid - 1] ? (answeredAt.length - mid) / ((last - answeredAt[mid - 1]) / 1000) : ok / seconds;
  latencies.sort((a, b) => a - b);
  later.sort((a, b) => a - b);
  const run: Run = {
    target: target.kind,
    label,
    shape,
    sent: built,
    ok,
    statuses,
    errors,
    timeouts,
    seconds,
    rate: ok / seconds,
    steadyRate,
    offeredRate,
    connections: lanes.reduce((sum, lane) => sum + lane.connections, 0),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    p99Later: percentile(later, 0.99),
    max: latencies[latencies.length - 1] ?? NaN,
    rowsAdded: after - before,
    startedAt: started,
    endedAt: last,
    benchCpu: ((cpu.user + cpu.system) / 1000 / wall) * 100,
    machineCpu: (machineMs / wall) * 100,
    problems: [],
  };
  const answered = latencies.length;
  if (built !== amount) run.problems.push(`built ${built} requests, expected ${amount}`);
  if (answered !== amount) run.problems.push(`${amount - answered} of ${amount} requests got no answer`);
  if (ok !== answered) run.problems.push(`non-2xx answers: ${JSON.stringify(Object.fromEntries(Object.entries(statuses).filter(([c]) => !c.startsWith("2"))))}`);
  if (errors) run.problems.push(`${errors} socket errors (${timeouts} timeouts)`);
  if (counted2xx !== ok) run.problems.push(`autocannon counted ${counted2xx} 2xx, the bench counted ${ok}`);
  if (run.rowsAdded !== ok) run.problems.push(`WebhookReceipt rows added ${run.rowsAdded} != 2xx answers ${ok}`);
  // Every measurement on the real server starts with an empty inbox: wait for this load's deliveries.
  if (target.drain) {
    run.drain = await target.drain(run, backlog);
    run.problems.push(...run.drain.problems);
  }
  return run;
}

function fmt(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? "-" : value.toFixed(digits);
}

function non2xx(run: Run): number {
  return Object.entries(run.statuses).filter(([code]) => !code.startsWith("2")).reduce((sum, [, count]) => sum + count, 0);
}

/** One line on how the inbox drained after a load, in words. */
function drainText(run: Run): string {
  const d = run.drain;
  if (!d) return "";
  if (d.by === "bench loop") {
    return (
      `${d.backlog} deliveries recorded and planned by the bench's processInbox loop in ${fmt(d.seconds, 1)} s after the load: ` +
      `${fmt(d.rate, 0)}/s (${fmt(d.pureRate, 0)}/s over the ${fmt(d.busySeconds, 1)} s inside processInbox)`
    );
  }
  const during = run.ok - d.backlog;
  return (
    `the server's worker recorded ${during} of ${run.ok} during the load; the remaining ${d.backlog} took ${fmt(d.seconds, 1)} s after it` +
    `${Number.isFinite(d.rate) ? ` (${fmt(d.rate, 0)}/s)` : ""}; all ${run.ok} recorded and planned ${fmt(d.totalSeconds, 1)} s after the first request ` +
    `(${fmt(run.ok / d.totalSeconds, 0)}/s overall); the due notifications it planned were sent ${fmt(d.quietSeconds, 1)} s after the load`
  );
}

function describe(run: Run): string {
  const check = run.problems.length ? `FAILED: ${run.problems.join("; ")}` : "ok";
  const line =
    `  ${run.target.padEnd(6)} ${run.label.padEnd(24)} ${String(run.ok).padStart(5)} × 2xx in ${run.seconds.toFixed(1).padStart(4)} s ` +
    `${fmt(run.rate, 0).padStart(5)}/s  p50 ${fmt(run.p50, 1).padStart(6)} ms  p99 ${fmt(run.p99, 1).padStart(6)} ms  ` +
    `(later requests ${fmt(run.p99Later, 1).padStart(6)})  max ${fmt(run.max, 0).padStart(5)} ms  non-2xx ${non2xx(run)}  rows +${run.rowsAdded}  ` +
    `CPU: bench ${fmt(run.benchCpu, 0)}%, machine ${fmt(run.machineCpu, 0)}% of ${os.cpus().length * 100}%  ${check}`;
  return run.drain ? `${line}\n         inbox: ${drainText(run)}` : line;
}

/** Pays `count` orders on the real server (orders/paid), so the fulfillments that follow find them. */
async function payOrders(target: Target, count: number, runs: Run[]): Promise<number[]> {
  const ids: number[] = [];
  const make = () => {
    const { delivery, orderId } = nextOrderPaid();
    ids.push(orderId);
    return delivery;
  };
  if (!target.needsOrders) {
    for (let i = 0; i < count; i++) make();
    return ids;
  }
  const run = await measure(target, `orders/paid × ${count}`, "closed loop", closedLoop(count), make);
  runs.push(run);
  console.log(describe(run));
  return ids;
}

async function fulfillments(target: Target, label: string, shape: Shape, lanes: Lane[], runs: Run[], offeredRate?: number): Promise<Run> {
  const amount = lanes.reduce((sum, lane) => sum + lane.amount, 0);
  const orders = await payOrders(target, Math.max(1, Math.ceil(amount / FULFILLMENTS_PER_ORDER)), runs);
  let i = 0;
  const run = await measure(target, label, shape, lanes, () => nextFulfillment(orders[i++ % orders.length]), offeredRate);
  runs.push(run);
  console.log(describe(run));
  return run;
}

// ---------------------------------------------------------------------------------------------------------
// The forged-request check: both servers must refuse what Shopify did not sign.

async function forgedChecks(target: Target): Promise<string[]> {
  const problems: string[] = [];
  const before = await target.countReceipts();
  const now = new Date();
  const delivery: ShopifyDelivery = {
    topic: "fulfillments/create",
    shop: TEST_SHOP,
    payload: fulfillmentPayloadFor(6_999_999_999, 5_000_000_000, "DHL Express", "FORGED", "DE", { created: now, updated: now }),
    webhookId: `${runTag}-forged`,
    eventId: `${runTag}-forged-evt`,
  };
  const wrongSecret = webhookRequest(target.baseUrl, "not-the-app-secret", delivery);
  const signed = webhookRequest(target.baseUrl, TEST_SECRET, delivery);
  const unsigned = webhookRequest(target.baseUrl, TEST_SECRET, delivery);
  delete unsigned.init.headers["X-Shopify-Hmac-Sha256"];
  const cases: Array<[string, string, RequestInit]> = [
    ["signed with another secret", wrongSecret.url, wrongSecret.init],
    ["body altered after signing", signed.url, { ...signed.init, body: signed.init.body.replace("FORGED", "FORGED2") }],
    ["no signature", unsigned.url, unsigned.init],
  ];
  const seen: string[] = [];
  for (const [name, url, init] of cases) {
    const response = await fetch(url, init);
    await response.arrayBuffer();
    seen.push(`${name} → ${response.status}`);
    if (response.status !== 401) problems.push(`${target.kind}: forged request (${name}) answered ${response.status}, expected 401`);
  }
  const after = await target.countReceipts();
  if (after !== before) problems.push(`${target.kind}: forged requests wrote ${after - before} WebhookReceipt rows`);
  console.log(`  ${target.kind}: ${seen.join(", ")}${after === before ? ", no rows written" : ""}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Report.

interface Pair {
  measurement: string;
  real: Run;
  bare: Run;
}

interface ConfigResult {
  config: Configuration;
  pairs: Pair[];
  /** The end-of-configuration check (shipments, receipt statuses), in words. */
  check: string;
  /** Notification mails the server sent (configuration b: its worker sends while it drains). */
  mails: number;
}

interface Row {
  measurement: string;
  metric: string;
  real: number;
  bare: number;
  digits: number;
}

function ratio(real: number, bare: number): string {
  return bare > 0 && Number.isFinite(real) ? (real / bare).toFixed(2) : "-";
}

function tableRows(pairs: Pair[]): Row[] {
  return pairs.flatMap((pair) => [
    { measurement: pair.measurement, metric: "webhooks/s", real: pair.real.rate, bare: pair.bare.rate, digits: 0 },
    { measurement: "", metric: "p50 ms", real: pair.real.p50, bare: pair.bare.p50, digits: 1 },
    { measurement: "", metric: "p99 ms", real: pair.real.p99, bare: pair.bare.p99, digits: 1 },
  ]);
}

function textTable(rows: Row[]): string {
  const width = Math.max(...rows.map((r) => r.measurement.length), 11);
  const lines = [`${"measurement".padEnd(width)}  ${"metric".padEnd(10)}  ${"real".padStart(8)}  ${"bare".padStart(8)}  ${"real/bare".padStart(9)}`];
  for (const r of rows) {
    lines.push(
      `${r.measurement.padEnd(width)}  ${r.metric.padEnd(10)}  ${fmt(r.real, r.digits).padStart(8)}  ${fmt(r.bare, r.digits).padStart(8)}  ${ratio(r.real, r.bare).padStart(9)}`,
    );
  }
  return lines.join("\n");
}

function markdownTable(rows: Row[], realLabel: string): string {
  const lines = [`| measurement | metric | real server, ${realLabel} | bare node:http | real / bare |`, "| --- | --- | ---: | ---: | ---: |"];
  for (const r of rows) lines.push(`| ${r.measurement} | ${r.metric} | ${fmt(r.real, r.digits)} | ${fmt(r.bare, r.digits)} | ${ratio(r.real, r.bare)} |`);
  return lines.join("\n");
}

function machine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? "unknown CPU";
  return `${cpus.length} × ${model}${cpus[0]?.speed ? ` @ ${cpus[0].speed} MHz` : ""}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}`;
}

/** The floor, judged on the real server for every measurement made in one configuration. */
function floorLines(result: ConfigResult): string[] {
  return result.pairs.map(({ measurement, real }) => {
    const met = real.p99 < FLOOR_P99_MS;
    // A fixed-rate run the server could not keep up with answered fewer per second than were offered.
    const behind = real.offeredRate && real.rate < real.offeredRate * 0.98 ? ` (${real.offeredRate}/s offered: it fell behind)` : "";
    return `${measurement}: real p99 ${fmt(real.p99, 1)} ms at ${fmt(real.rate, 0)} webhooks/s${behind}: ${met ? "met" : "NOT met"}`;
  });
}

function drainLines(result: ConfigResult): string[] {
  return result.pairs.map(({ measurement, real }) => `${measurement}: ${drainText(real)}`);
}

function section(result: ConfigResult, letter: string): string {
  const { config } = result;
  const drainIntro =
    config.kind === "web"
      ? "Inbox drain after each load: the server runs no worker, so the bench ran `processInbox` (limit " +
        `${DRAIN_LIMIT}) in a loop in its own process against the same SQLite file while the server sat idle. This is the ` +
        "worker's processing rate (deliveries recorded and planned per second; one worker, one SQLite writer), not the server's:"
      : "Inbox drain: the server's own worker (woken by each acknowledged delivery) records and plans while the same process " +
        `acknowledges, and also sends the notifications it plans (${result.mails} mails to the local SendGrid stand-in during this ` +
        "configuration). The rate after the load is the worker's processing rate with no requests to answer:";
  return `### (${letter}) ${config.label}

${config.kind === "web" ? "The acknowledgement path alone, as app instances behind a load balancer run it (a separate `npm run worker` records)." : "The default one-machine shape: `npm start` with the worker on, draining the inbox in the same process."}

${markdownTable(tableRows(result.pairs), config.label)}

Floor, p99 under ${FLOOR_P99_MS} ms at the measured rate (real server, ${config.label}):

${floorLines(result)
  .map((line) => `- ${line}`)
  .join("\n")}

${drainIntro}

${drainLines(result)
  .map((line) => `- ${line}`)
  .join("\n")}

Check once drained: ${result.check}.`;
}

function writeBenchmarks(results: ConfigResult[], runs: Run[], date: Date): void {
  const rates = results
    .map((r) => ({ label: r.config.label, rate: r.pairs.find((p) => p.real.offeredRate)?.real.offeredRate }))
    .filter((r) => r.rate !== undefined);
  const measured = runs
    .filter((r) => !r.label.startsWith("orders/paid"))
    .map(
      (r) =>
        `| ${r.target} | ${r.label} | ${r.ok} | ${r.seconds.toFixed(1)} | ${r.connections} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.p99Later, 1)} | ${fmt(r.max, 1)} | ${r.rowsAdded} | ` +
        `${r.drain ? r.drain.backlog : "-"} | ${r.drain ? fmt(r.drain.seconds, 1) : "-"} | ${r.drain ? fmt(r.drain.rate, 0) : "-"} | ${fmt(r.benchCpu, 0)} / ${fmt(r.machineCpu, 0)} |`,
    );
  const letters = ["a", "b", "c"];
  const text = `# Benchmarks

Written by \`npm run bench\` (tests/bench/run-bench.ts); run it again to refresh these figures.

- Date: ${date.toISOString()}
- Machine: ${machine()}
- Node.js ${process.version}, autocannon 9, SQLite through @libsql/client 0.8.1 (WAL, synchronous=NORMAL, database file on local disk)

## Signed Shopify fulfillment webhooks

Acknowledged webhooks per second and latency, the real server in two configurations (each on a fresh server and
database) beside the same bare node:http baseline (its saturation measured once, compared with both).

${results.map((result, i) => section(result, letters[i])).join("\n\n")}

## Every run

Each run checked (WebhookReceipt rows added = 2xx answers; no non-2xx answers, socket errors or timeouts; inbox drained
afterwards). "Later requests" leaves out each connection's first request, which also waits for the server to take up
the new connection. Backlog: receipts pending or processing at the last answer (web: every delivery of the run, since
nothing records them until the bench drains; single: what the server's worker had not yet recorded); drained: seconds
from the last answer until none was pending or processing; drain rate: backlog / drained (not given under
${MIN_BACKLOG_FOR_RATE} receipts). CPU: during the load, the bench process (load generator) and the whole machine, in % of one
core (${os.cpus().length * 100}% is every core busy).

| server | run | 2xx | seconds | connections | p50 ms | p99 ms | p99 ms, later requests | max ms | rows added | backlog | drained s | drain rate /s | CPU % bench / machine |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${measured.join("\n")}

## What is measured, and why

Each request is a distinct \`fulfillments/create\` delivery signed exactly as Shopify signs it (HMAC-SHA256 of the raw
body with the app secret; its own X-Shopify-Webhook-Id, event id and fulfillment id) for an order the app was paid
for beforehand with \`orders/paid\` (${FULFILLMENTS_PER_ORDER} fulfillments per order). The webhook route is an inbox: before it
answers 200 it runs Shopify's HMAC check (\`authenticate.webhook\`, with the shop's offline session served from a
10 s in-memory cache), validates the payload against the topic's schema and inserts one pending WebhookReceipt row
that keeps the payload; the deliveries that arrive in the same turn of the event loop share one multi-row insert
(one commit). The request no longer records the shipment: the worker (\`processInbox\`) claims receipts, records the
Order/Shipment/TrackingEvent, re-derives the shipment and re-plans the order's notifications in one transaction that
marks the receipt processed. The real server is the built app as \`npm start\` runs it (Express + Remix, Prisma with
the libsql driver adapter, one process: WEB_CONCURRENCY=1, LOG_LEVEL=warn), in two configurations: (a) web, WORKER=off, the acknowledgement path
alone, as app instances behind a load balancer run it; the bench drains the inbox itself after each load with
\`processInbox\` in its own process against the same SQLite file; (b) single process, worker on, the default
one-machine shape, where the server's worker drains the inbox (and sends the notifications it plans) in the same
process and on the same cores while requests are answered. After every load the bench waits until no receipt is
pending or processing and reports how fast that went (the worker's processing rate, distinct from the acknowledgement
rate; for the single process also until the worker has sent the notifications it planned that are due, so that the
next load does not share the cores with a busy worker); once a configuration is done it checks one Shipment per acknowledged fulfillment, every receipt processed and
none failed. The bare server (tests/bench/bare-server.ts) is node:http that checks the same HMAC and inserts the same
inbox row (payload, status pending, availableAt) with the same driver, one insert per request, into a database
migrated the same way, and nothing else, so real/bare is what the framework, the session check and the validation
cost on top of the unavoidable verify-and-write. Shopify retries a delivery that is not acknowledged within 5 s, so
acknowledged webhooks per second and the tail latency decide whether a burst (a merchant bulk-fulfilling orders) is
absorbed; the drain rate decides how soon the buyer's notification is planned after it. autocannon drives
${CONNECTIONS} keep-alive connections, first at saturation (closed loop: each connection sends its next request when the last
is answered) for about ${SECONDS} s, sized from a short warm-up; a fixed request count lets every answer be checked
against the database. With ${CONNECTIONS} requests always in flight, p99 at saturation is over ${FLOOR_P99_MS} ms as soon as a
request costs the server more than ${FLOOR_P99_MS / CONNECTIONS} ms, so when it is, that configuration and the bare server are measured
again at one fixed rate (${Math.round(RATE_LIMITED_SHARE * 100)}% of that configuration's saturated rate${
    rates.length ? `: ${rates.map((r) => `${r.rate}/s for ${r.label}`).join(", ")}` : ""
  }), twice. "overallRate" is autocannon's rate limit: it gives each connection its share of the rate per one-second
window and all windows open together, so each second's requests arrive as one burst; its p99 measures how long that
burst takes to drain. "paced" sends the same rate with one autocannon instance per connection and their windows
staggered across the second, so requests arrive evenly, as independent deliveries from Shopify do. Latencies are
autocannon's per-request timings (request written to answer read), percentiles over every sample, without
autocannon's coordinated-omission correction (under a rate limit it assumes a 1 ms interval between requests and
would pad each n ms answer with n synthetic samples). Throughput is 2xx answers over the time from the first
request to the last answer (for the fixed-rate runs, over the ${SECONDS} s the rate spans unless the last answer
came later). The load generator (and, for the web configuration, the bench's drain loop, which runs only between
loads) shares the ${os.cpus().length} cores with the server under test, so absolute figures are lower than on a dedicated host;
the ratio is the comparable number.

Floor result (p99 under ${FLOOR_P99_MS} ms at the measured rate, ${CONNECTIONS} connections):

${results
  .map(
    (result, i) =>
      `- (${letters[i]}) ${result.config.label}: ${floorLines(result)
        .map((line) => line.replace(/: real p99/, ", p99"))
        .join("; ")}`,
  )
  .join("\n")}
`;
  writeFileSync(join(root, "BENCHMARKS.md"), text);
}

// ---------------------------------------------------------------------------------------------------------

async function saturate(target: Target, runs: Run[]): Promise<Run> {
  console.log(`${target.kind}: probe, warm-up, saturation`);
  const probe = await fulfillments(target, "probe", "closed loop", closedLoop(PROBE_REQUESTS), runs);
  const warm = await fulfillments(target, "warm-up", "closed loop", closedLoop(Math.max(PROBE_REQUESTS, Math.round(probe.steadyRate * WARMUP_SECONDS))), runs);
  return fulfillments(target, "saturated", "closed loop", closedLoop(Math.max(CONNECTIONS, Math.round(warm.steadyRate * SECONDS))), runs);
}

/** One configuration of the real server, on a fresh server and database, measured beside the bare one. */
async function benchConfiguration(
  config: Configuration,
  bare: Target,
  bareSaturated: () => Promise<Run>,
  runs: Run[],
  problems: string[],
  logs: Array<() => string[]>,
): Promise<ConfigResult> {
  console.log("");
  console.log(`${config.label}: starting a fresh server…`);
  const { target: real, server } = await startReal(config);
  logs.push(() => server.logs.slice(-10));
  try {
    console.log(`  ${config.kind} ${real.baseUrl} (tsx app/server.ts, built app, WORKER=${config.worker ? "on" : "off"}, WEB_CONCURRENCY=1, LOG_LEVEL=warn); bare ${bare.baseUrl}`);
    console.log("forged requests (must be 401):");
    problems.push(...(await forgedChecks(real)));

    const shipmentsBefore = await server.db.shipment.count();
    const mailsBefore = server.capture.count;
    const first = runs.length;
    const realSaturated = await saturate(real, runs);
    const pairs: Pair[] = [{ measurement: `saturated, ${CONNECTIONS} conns`, real: realSaturated, bare: await bareSaturated() }];

    if (realSaturated.p99 >= FLOOR_P99_MS) {
      const rate = Math.max(1, Math.round(realSaturated.rate * RATE_LIMITED_SHARE));
      console.log(
        `${config.kind} p99 at saturation is ${fmt(realSaturated.p99, 1)} ms (>= ${FLOOR_P99_MS} ms): both again at ${rate}/s ` +
          `(${Math.round(RATE_LIMITED_SHARE * 100)}% of ${fmt(realSaturated.rate, 0)}/s), with autocannon overallRate and paced`,
      );
      for (const [shape, lanes] of [
        ["overallRate", overallRate(rate)],
        ["paced", paced(rate)],
      ] as const) {
        const label = `${rate}/s ${shape}`;
        const realRun = await fulfillments(real, label, shape, lanes, runs, rate);
        const bareRun = await fulfillments(bare, `${label}, vs ${config.kind}`, shape, lanes, runs, rate);
        pairs.push({ measurement: shape === "paced" ? `${rate}/s paced (even)` : `${rate}/s overallRate (bursts)`, real: realRun, bare: bareRun });
      }
    }

    // The inbox drained after every load: one Shipment per acknowledged fulfillment, every receipt
    // processed (none failed, none ignored as an unknown shop).
    const acknowledged = runs
      .slice(first)
      .filter((r) => r.target === config.kind && !r.label.startsWith("orders/paid"))
      .reduce((sum, r) => sum + r.ok, 0);
    const shipments = (await server.db.shipment.count()) - shipmentsBefore;
    const byStatus = Object.fromEntries(
      (await server.db.webhookReceipt.groupBy({ by: ["status"], _count: { _all: true } })).map((g) => [g.status, g._count._all]),
    ) as Record<string, number>;
    const receipts = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
    const failed = byStatus.failed ?? 0;
    const check =
      `${shipments} shipments recorded for ${acknowledged} acknowledged fulfillments; receipts by status ${JSON.stringify(byStatus)}` +
      `${failed ? "" : ", none failed"}`;
    console.log(`${config.kind}: ${check}`);
    if (shipments !== acknowledged) problems.push(`${config.kind}: ${shipments} shipments recorded for ${acknowledged} acknowledged fulfillments`);
    if (failed) problems.push(`${config.kind}: ${failed} webhook receipts failed`);
    if ((byStatus.processed ?? 0) !== receipts) problems.push(`${config.kind}: not every receipt processed: ${JSON.stringify(byStatus)}`);
    return { config, pairs, check, mails: server.capture.count - mailsBefore };
  } finally {
    await real.stop();
  }
}

async function main(): Promise<number> {
  const date = new Date();
  console.log(`Parcelwise webhook bench: ${date.toISOString()}`);
  console.log(`  ${machine()}; Node.js ${process.version}`);
  console.log(`  ${CONNECTIONS} connections, ~${SECONDS} s per measurement, fulfillments/create, ${FULFILLMENTS_PER_ORDER} per paid order`);
  console.log(`  real server configurations: ${CONFIGURATIONS.map((c) => c.label).join("; ")}`);

  console.log("starting the bare server…");
  const bare = await startBare();
  const problems: string[] = [];
  const runs: Run[] = [];
  const results: ConfigResult[] = [];
  const logs: Array<() => string[]> = [() => bare.logs().slice(-10)];
  try {
    console.log("forged requests (must be 401):");
    problems.push(...(await forgedChecks(bare)));
    let bareSaturated: Run | undefined;
    const bareOnce = async () => (bareSaturated ??= await saturate(bare, runs));
    for (const config of CONFIGURATIONS) results.push(await benchConfiguration(config, bare, bareOnce, runs, problems, logs));

    for (const run of runs) problems.push(...run.problems.map((p) => `${run.target} ${run.label}: ${p}`));

    for (const [i, result] of results.entries()) {
      console.log("");
      console.log(`(${"ab"[i]}) ${result.config.label}: signed fulfillments/create webhooks acknowledged, SQLite: real server vs bare node:http`);
      console.log(textTable(tableRows(result.pairs)));
      console.log(`floor p99 < ${FLOOR_P99_MS} ms (real server, ${result.config.label}):`);
      for (const line of floorLines(result)) console.log(`  ${line}`);
      console.log(`inbox drain (the worker's processing rate: deliveries recorded and planned per second):`);
      for (const line of drainLines(result)) console.log(`  ${line}`);
      if (result.config.worker) console.log(`  (the worker also sent ${result.mails} notification mails meanwhile)`);
      console.log(`check: ${result.check}`);
    }
    if (results.some((r) => r.pairs.length > 1)) {
      console.log("  overallRate: autocannon's rate limit; each connection's per-second share leaves at the start of the second (bursts)");
      console.log("  paced: the same rate, connections' one-second windows staggered so requests arrive evenly");
    }

    if (problems.length) {
      console.log("");
      console.log("BENCH FAILED (figures above are not trustworthy; BENCHMARKS.md not updated):");
      for (const problem of problems) console.log(`  - ${problem}`);
      const lines = logs.flatMap((get) => get());
      if (lines.length) console.log(`last server log lines:\n${lines.map((l) => `  ${l}`).join("\n")}`);
      return 1;
    }
    writeBenchmarks(results, runs, date);
    console.log("wrote BENCHMARKS.md");
    return 0;
  } finally {
    await bare.stop();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  });
