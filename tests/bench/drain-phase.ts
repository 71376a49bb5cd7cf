// Part of `npm run bench`: how fast the inbox drains, on SQLite with one worker and on PostgreSQL with one
// and with two. Each measurement gets a fresh database with the bench shop installed, an inbox filled
// through the webhook route's own writer (InboxWriter: the rows a burst of acknowledged webhooks leaves,
// orders/paid first, then their fulfillments) and 1 or 2 worker processes (tests/bench/drain-worker.ts,
// the inbox job as `npm run worker` runs it) started together once the inbox is full. Rate: deliveries
// recorded and planned per second, from the start signal until no receipt is pending or processing.
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { createDb } from "~/db.server";
import { InboxWriter, type WebhookDelivery } from "~/webhooks/inbox.server";
import { seedShop } from "#tests/demo/seed.server";
import type { ShopifyDelivery } from "#tests/standins/sign";
import { TEST_ENCRYPTION_KEY } from "../support/encryption-key";
import type { Opened } from "../support/databases";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const FILL_CHUNK = 500;
const POLL_MS = 25;
const STALL_MS = 30_000;

export interface DrainFigure {
  database: "SQLite" | "PostgreSQL";
  workers: number;
  deliveries: number;
  fulfillments: number;
  seconds: number;
  /** Deliveries recorded and planned per second. */
  rate: number;
  /** SQLite: statements sent per delivery (Prisma's and raw ones, BEGIN/COMMIT included); else null. */
  statementsPerDelivery: number | null;
  /** The workers' CPU time per delivery, ms. */
  cpuMsPerDelivery: number;
  /** The workers' batch write transactions (first write to commit), ms: per worker p50 / p99 / max. */
  writeMs: Array<{ batches: number; p50: number; p99: number; max: number }>;
  check: string;
  problems: string[];
}

export interface DrainInput {
  database: DrainFigure["database"];
  opened: Opened;
  workers: number;
  shop: string;
  standinUrl: string;
  secret: string;
  orders: ShopifyDelivery[];
  fulfillments: ShopifyDelivery[];
}

const OPEN = { status: { in: ["pending", "processing"] } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function asInboxDelivery(delivery: ShopifyDelivery): WebhookDelivery {
  return {
    shop: delivery.shop,
    topic: delivery.topic,
    payload: delivery.payload,
    webhookId: delivery.webhookId!,
    eventId: delivery.eventId ?? null,
    triggeredAt: delivery.triggeredAt ? new Date(delivery.triggeredAt) : null,
  };
}

interface DrainWorker {
  child: ChildProcess;
  logs: string[];
  ready: Promise<void>;
  done: Promise<WorkerReport>;
}

/** A drain worker's last line: statements (SQLite), CPU time, and its batches' write transactions in ms. */
interface WorkerReport {
  statements: number | null;
  cpuMs: number;
  writes: { batches: number; p50: number; p99: number; max: number };
}

function spawnDrainWorker(databaseUrl: string, secret: string): DrainWorker {
  // CPU_PROFILE_DIR=<dir>: each drain worker writes a V8 CPU profile there on exit.
  const child = spawn(process.execPath, [...(process.env.CPU_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.CPU_PROFILE_DIR}`] : []), "--import", "tsx", join(here, "drain-worker.ts")], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: "test-api-key",
      SHOPIFY_API_SECRET: secret,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      SHOPIFY_APP_URL: "http://127.0.0.1:9",
      LOG_LEVEL: "warn",
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const logs: string[] = [];
  let onReady: () => void = () => {};
  let onDone: (value: WorkerReport) => void = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const done = new Promise<WorkerReport>((resolve, reject) => {
    onDone = resolve;
    child.once("close", (code) => reject(new Error(`drain worker exited (${code}):\n${logs.slice(-10).join("\n")}`)));
  });
  // Whoever waits on one never sees the other's rejection as unhandled.
  ready.catch(() => {});
  done.catch(() => {});
  child.stdout?.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n").filter(Boolean)) {
      if (line === "ready") onReady();
      else if (line.startsWith("done ")) onDone(JSON.parse(line.slice(5)) as WorkerReport);
      else logs.push(line);
    }
  });
  child.stderr?.on("data", (chunk: Buffer) => logs.push(...chunk.toString().split("\n").filter(Boolean)));
  return { child, logs, ready: Promise.race([ready, done.then(() => {})]), done };
}

export async function measureDrain(input: DrainInput): Promise<DrainFigure> {
  const db = createDb(input.opened.url);
  const workers: DrainWorker[] = [];
  const problems: string[] = [];
  try {
    await seedShop(db, input.shop, input.standinUrl, "read_orders,read_fulfillments,read_customers");
    const writer = new InboxWriter(db);
    // Orders before their fulfillments, as Shopify sends them: the inbox is taken oldest first.
    for (const deliveries of [input.orders, input.fulfillments]) {
      for (let start = 0; start < deliveries.length; start += FILL_CHUNK) {
        const outcomes = await Promise.all(deliveries.slice(start, start + FILL_CHUNK).map((d) => writer.accept(asInboxDelivery(d))));
        const refused = outcomes.filter((o) => o !== "accepted").length;
        if (refused) problems.push(`${refused} deliveries not accepted into the inbox`);
      }
    }
    const total = input.orders.length + input.fulfillments.length;
    const shipmentsBefore = await db.shipment.count();
    for (let i = 0; i < input.workers; i++) workers.push(spawnDrainWorker(input.opened.url, input.secret));
    await Promise.all(workers.map((w) => w.ready));
    const started = performance.now();
    for (const worker of workers) worker.child.stdin?.write("go\n");
    let open = await db.webhookReceipt.count({ where: OPEN });
    let progressAt = performance.now();
    while (open > 0) {
      await sleep(POLL_MS);
      const now = await db.webhookReceipt.count({ where: OPEN });
      if (now < open) progressAt = performance.now();
      open = now;
      if (open && performance.now() - progressAt > STALL_MS) {
        problems.push(`inbox not drained: ${open} receipts open, no progress for ${STALL_MS / 1000} s`);
        break;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const reports = await Promise.all(workers.map((w) => w.done));
    const counted = reports.map((r) => r.statements);
    const statements = counted.every((n): n is number => n !== null) ? counted.reduce((a, b) => a + b, 0) : null;

    // Every delivery recorded once: one Shipment per fulfillment, every receipt processed, none failed.
    const shipments = (await db.shipment.count()) - shipmentsBefore;
    const byStatus = Object.fromEntries(
      (await db.webhookReceipt.groupBy({ by: ["status"], _count: { _all: true } })).map((g) => [g.status, g._count._all]),
    ) as Record<string, number>;
    if (shipments !== input.fulfillments.length) problems.push(`${shipments} shipments recorded for ${input.fulfillments.length} fulfillments`);
    if ((byStatus.processed ?? 0) !== total) problems.push(`receipts by status ${JSON.stringify(byStatus)} for ${total} deliveries`);
    return {
      database: input.database,
      workers: input.workers,
      deliveries: total,
      fulfillments: input.fulfillments.length,
      seconds,
      rate: total / seconds,
      statementsPerDelivery: statements === null ? null : statements / total,
      cpuMsPerDelivery: reports.reduce((sum, r) => sum + r.cpuMs, 0) / total,
      writeMs: reports.map((r) => r.writes),
      check: `${shipments} shipments for ${input.fulfillments.length} fulfillments; receipts by status ${JSON.stringify(byStatus)}`,
      problems,
    };
  } finally {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill("SIGTERM");
    await db.$disconnect();
  }
}
