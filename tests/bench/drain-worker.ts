// The worker's inbox half alone, as a child process of `npm run bench` (tests/bench/run-bench.ts): the
// inbox job (app/jobs/inbox-job.server.ts, as `npm run worker` runs it) in a loop against DATABASE_URL,
// with no mail job beside it, so that the bench measures how fast deliveries are recorded and planned
// with one or several worker processes on SQLite or PostgreSQL.
//
// Protocol: prints `ready` once connected, starts on a `go` line on stdin, runs the job until no receipt
// is pending or processing, then prints one line `done {"statements":…,"cpuMs":…,"writes":…}` (its CPU
// time and its batches' write transactions: count, p50, p99, max ms) and exits. BENCH_DRAIN_PROFILE=dir:
// it also writes a CPU profile of its drain (from `go` to the empty inbox) there. On SQLite it counts
// the statements sent on the connection under Prisma (sqliteConnectionOf), raw ones included, so that
// the bench can print statements per delivery; on PostgreSQL statements is null.
import { mkdirSync, writeFileSync } from "node:fs";
import { Session as Inspector } from "node:inspector/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Client } from "@libsql/client";
import { createDb, sqliteConnectionOf } from "~/db.server";
import { inboxJob } from "~/jobs/inbox-job.server";
import * as recordBatch from "~/webhooks/record-batch.server";

const OPEN = { status: { in: ["pending", "processing"] } };
/** Another worker may hold the last receipts: poll until none is open, and give up after this long idle. */
const POLL_MS = 20;
const STALL_MS = 30_000;

/** Counts every statement sent on the libsql connection (a batch counts each of its statements). */
function countStatements(connection: Client, counter: { n: number; paused: boolean }): void {
  const execute = connection.execute.bind(connection);
  const batch = connection.batch.bind(connection);
  const executeMultiple = connection.executeMultiple.bind(connection);
  Object.assign(connection, {
    execute: (...args: Parameters<Client["execute"]>) => {
      if (!counter.paused) counter.n++;
      return execute(...args);
    },
    batch: (...args: Parameters<Client["batch"]>) => {
      if (!counter.paused) counter.n += args[0].length;
      return batch(...args);
    },
    executeMultiple: (sql: string) => {
      if (!counter.paused) counter.n += sql.split(";").filter((s) => s.trim()).length;
      return executeMultiple(sql);
    },
  });
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("drain worker: set DATABASE_URL");
  const db = createDb(url);
  await db.webhookReceipt.count();
  const counter = { n: 0, paused: false };
  const connection = sqliteConnectionOf(db);
  if (connection) countStatements(connection, counter);
  const job = inboxJob({ db }, () => {});
  console.log("ready");
  await new Promise<void>((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.on("line", (line) => line.trim() === "go" && (lines.close(), resolve()));
  });
  // Each batch's write transaction (first write to commit: on SQLite, the write lock's hold) and the process's CPU time.
  const held: number[] = [];
  // (Where the record path reports them: an older one has no onWritePhase.)
  (recordBatch as Partial<typeof recordBatch>).onWritePhase?.((phase) => held.push(phase.ms));
  const profileDir = process.env.BENCH_DRAIN_PROFILE;
  const inspector = profileDir ? new Inspector() : null;
  if (inspector) {
    inspector.connect();
    await inspector.post("Profiler.enable");
    await inspector.post("Profiler.start");
  }
  const cpu = process.cpuUsage();
  let progressAt = Date.now();
  for (;;) {
    if (await job.run(new Date())) {
      progressAt = Date.now();
      continue;
    }
    // The bench's own question, not the worker's: left out of the count.
    counter.paused = true;
    const open = await db.webhookReceipt.count({ where: OPEN });
    counter.paused = false;
    if (!open) break;
    if (Date.now() - progressAt > STALL_MS) throw new Error(`drain worker: ${open} receipts open, no progress for ${STALL_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const used = process.cpuUsage(cpu);
  if (inspector && profileDir) {
    const { profile } = await inspector.post("Profiler.stop");
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(join(profileDir, `drain-worker-${process.pid}.cpuprofile`), JSON.stringify(profile));
  }
  held.sort((a, b) => a - b);
  const at = (q: number) => held[Math.min(held.length - 1, Math.floor(q * held.length))] ?? 0;
  const writes = { batches: held.length, p50: at(0.5), p99: at(0.99), max: held.at(-1) ?? 0 };
  console.log(`done ${JSON.stringify({ statements: connection ? counter.n : null, cpuMs: (used.user + used.system) / 1000, writes })}`);
  await db.$disconnect();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
