// `npm run bench` (second part; alone: `npm run bench:notifications`): the notification engine.
//   1. liquidjs rendering alone: every default template (kind × locale) rendered with sample data, in
//      this process, one at a time: renders per second and per-render p50/p99.
//   2. End to end through the worker: N due notifications in a SQLite file, `npm run worker` as a child
//      process (as deployed), rendering on its render threads included, posting to the local
//      SendGrid-compatible capture server in this process. Rate = mails accepted per second between the
//      first and the last; also the worker's CPU per mail while sending (all its threads), which the load
//      of a shared machine changes less than the rate. Checked exactly, after the worker has stopped:
//      every due notification captured once, every row marked "sent" with the X-Message-Id its capture
//      was answered with. Floor (issue 12): 2,000/s; a miss is printed, a wrong count fails the bench.
//   3. The worker's "due now" claim (claimDue, 100 rows) with 10 and with 1,000,000 notifications
//      scheduled for later in the table, on SQLite and (with TEST_POSTGRES_URL) on PostgreSQL: it must
//      not grow with the backlog. Also the idle poll (nothing due).
// Prints the figures and writes them into BENCHMARKS.md between the notification-bench markers.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { createDb, type Db } from "~/db.server";
import { isPostgres } from "~/db/dialect";
import { startCaptureServer } from "#tests/standins/capture-server";
import { claimDue } from "~/notifications/queue.server";
import { renderMessage } from "~/templates/render";
import { defaultTemplate, DEFAULT_LOCALES } from "~/templates/defaults";
import { sampleVariables } from "#tests/support/sample-variables";
import { MESSAGE_KINDS } from "~/templates/variables";
import { openPostgres, openSqlite, type Opened } from "../support/databases";
import { seedDueNotifications, spawnWorker } from "../support/due-notifications";
import { skippedForBenchOnly } from "./bench-only";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const E2E_COUNT = Number(process.env.BENCH_MAILS || 6000);
const FLOOR_PER_SECOND = 2000;
const RENDERS = 20_000;
const BACKLOG = 1_000_000;
const CLAIM_ROWS = 100;
const CLAIM_ROUNDS = 40;

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const problems: string[] = [];

async function renderAlone(): Promise<string[]> {
  const sources = MESSAGE_KINDS.flatMap((kind) => DEFAULT_LOCALES.map((locale) => ({ kind, locale, source: defaultTemplate(kind, locale) })));
  // Warm the parse cache and the JIT, as a running worker is.
  for (const s of sources) await renderMessage(s.source, sampleVariables({ locale: s.locale }), new Date());
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < RENDERS; i++) {
    const s = sources[i % sources.length]!;
    const t = performance.now();
    await renderMessage(s.source, sampleVariables({ locale: s.locale, buyer: { first_name: `Anna${i}`, name: `Anna${i} Müller`, email: "a@example.de" } }), new Date());
    times.push(performance.now() - t);
  }
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return [
    `| liquidjs render alone (${sources.length} templates: ${MESSAGE_KINDS.length} kinds × ${DEFAULT_LOCALES.length} locales, subject + HTML + text) | ${fmt(RENDERS / seconds)} renders/s | p50 ${fmt(percentile(times, 0.5), 3)} ms, p99 ${fmt(percentile(times, 0.99), 3)} ms |`,
  ];
}

async function endToEnd(): Promise<string[]> {
  const database = await openSqlite();
  const db = createDb(database.url);
  const capture = await startCaptureServer({ apiKey: "SG.bench", keepBodies: false });
  try {
    const ids = await seedDueNotifications(db, { shop: "bench.myshopify.com", count: E2E_COUNT, dueAt: new Date(Date.now() - 60_000) });
    const worker = spawnWorker({
      DATABASE_URL: database.url,
      SENDGRID_API_KEY: "SG.bench",
      SENDGRID_BASE_URL: capture.url,
      WORKER_BATCH_SIZE: "200",
      WORKER_CONCURRENCY: "16",
      LOG_LEVEL: "warn",
      ...(process.env.BENCH_WORKER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS } : {}),
    });
    let first = 0;
    let firstCpu = 0;
    const benchCpu = process.cpuUsage();
    for (;;) {
      if (capture.count > 0) {
        first = performance.now();
        firstCpu = cpuSecondsOf(worker.child.pid!) ?? 0;
        break;
      }
      if (worker.child.exitCode !== null) throw new Error(`worker exited:\n${worker.logs.join("\n")}`);
      await sleep(1);
    }
    await capture.waitForCount(E2E_COUNT, 300_000);
    const seconds = (performance.now() - first) / 1000;
    const rate = (E2E_COUNT - 1) / seconds;
    const cpu = await processCpuOf(worker.child.pid!);
    const windowCpu = (cpuSecondsOf(worker.child.pid!) ?? 0) - firstCpu;
    const own = process.cpuUsage(benchCpu);
    const captureCpu = `${fmt((own.user + own.system) / 1e6, 1)} s`;
    // Every row marked, then a moment for any duplicate to show, then a clean stop (which settles in-flight marks).
    const marked = performance.now();
    while ((await db.notification.count({ where: { status: "sent" } })) < E2E_COUNT && performance.now() - marked < 30_000) await sleep(50);
    await sleep(500);
    worker.child.kill("SIGTERM");
    await worker.exited;
    const rows = await db.notification.findMany({ select: { id: true, status: true, providerMessageId: true } });
    const sent = rows.filter((r) => r.status === "sent");
    const capturedBy = new Map<string, string[]>();
    for (const m of capture.mails) capturedBy.set(m.customArgs.notification_id!, [...(capturedBy.get(m.customArgs.notification_id!) ?? []), m.id]);
    const twice = [...capturedBy.values()].filter((c) => c.length > 1).length;
    const mismatched = sent.filter((r) => capturedBy.get(r.id)?.length !== 1 || capturedBy.get(r.id)![0] !== r.providerMessageId).length;
    const exact = sent.length === E2E_COUNT && capture.count === E2E_COUNT && capturedBy.size === E2E_COUNT && twice === 0 && mismatched === 0 && ids.length === E2E_COUNT;
    if (!exact) {
      problems.push(`end to end: ${sent.length} of ${E2E_COUNT} rows sent, ${capture.count} mails captured (${capturedBy.size} distinct, ${twice} sent twice), ${mismatched} rows whose message id is not their one capture`);
    }
    console.log(`end to end check: ${E2E_COUNT} due, ${capture.count} captured, ${sent.length} marked sent, ${twice} twice, ${mismatched} mismatched: ${exact ? "every due mail sent exactly once" : "FAILED"}`);
    if (rate < FLOOR_PER_SECOND) console.log(`end to end: ${fmt(rate)} mails/s is under the ${FLOOR_PER_SECOND}/s floor`);
    return [
      `| worker end to end, rendering included: claim → render → POST /v3/mail/send → capture server → mark sent (SQLite, ${fmt(E2E_COUNT)} notifications, batch 200, 16 in flight) | ${fmt(rate)} mails/s | ${fmt(seconds, 1)} s; floor ${fmt(FLOOR_PER_SECOND)}/s ${rate >= FLOOR_PER_SECOND ? "met" : "MISSED"}; ${exact ? "every due mail sent exactly once" : "COUNTS WRONG"}; worker CPU ${cpu} (incl. start-up), ${fmt((windowCpu * 1000) / E2E_COUNT, 2)} ms per mail while sending; capture server CPU ${captureCpu} |`,
    ];
  } finally {
    await db.$disconnect();
    await capture.close();
    await database.close();
  }
}

/** The child's user+system CPU seconds so far (all its threads), from /proc (Linux); null elsewhere. */
function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(stat[11]) + Number(stat[12])) / 100;
  } catch {
    return null;
  }
}

async function processCpuOf(pid: number): Promise<string> {
  const seconds = cpuSecondsOf(pid);
  return seconds === null ? "n/a" : `${fmt(seconds, 1)} s`;
}

/** Fills the table with `count` notifications scheduled a year ahead, in one statement. */
async function fillBacklog(db: Db, count: number): Promise<void> {
  if (isPostgres(db)) {
    await db.$executeRawUnsafe(`
      INSERT INTO "Notification" ("id","shop","kind","planKey","orderShopifyId","locale","recipient","scheduledFor","status","attempts","createdAt","updatedAt")
      SELECT 'backlog-' || g, 'backlog.myshopify.com', 'feedback_request', 'feedback_request:' || g, g::text, 'en', 'buyer' || g || '@example.com',
             now() + interval '365 days' + (g || ' seconds')::interval, 'scheduled', 0, now(), now()
      FROM generate_series(1, ${count}) g`);
    await db.$executeRawUnsafe(`ANALYZE "Notification"`);
  } else {
    await db.$executeRawUnsafe(`
      WITH RECURSIVE seq(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM seq WHERE g < ${count})
      INSERT INTO "Notification" ("id","shop","kind","planKey","orderShopifyId","locale","recipient","scheduledFor","status","attempts","createdAt","updatedAt")
      SELECT 'backlog-' || g, 'backlog.myshopify.com', 'feedback_request', 'feedback_request:' || g, g, 'en', 'buyer' || g || '@example.com',
             strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 'now', '+365 days', '+' || g || ' seconds'), 'scheduled', 0,
             strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 'now'), strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 'now')
      FROM seq`);
    await db.$executeRawUnsafe(`ANALYZE`);
  }
}

async function claimCost(name: string, open: () => Promise<Opened>): Promise<string[]> {
  const rows: string[] = [];
  for (const backlog of [10, BACKLOG]) {
    const database = await open();
    const db = createDb(database.url);
    try {
      const filling = performance.now();
      await fillBacklog(db, backlog);
      const fillSeconds = (performance.now() - filling) / 1000;
      const now = new Date();
      const due = new Date(now.getTime() - 60_000);
      await db.notification.createMany({
        data: Array.from({ length: CLAIM_ROWS }, (_, i) => ({
          shop: "due.myshopify.com", kind: "shipping_confirmation", planKey: `due:${i}`, orderShopifyId: `${i}`, locale: "en", recipient: `due${i}@example.com`, scheduledFor: due,
        })),
      });
      const claimTimes: number[] = [];
      const idleTimes: number[] = [];
      for (let round = 0; round < CLAIM_ROUNDS; round++) {
        let t = performance.now();
        const claimed = await claimDue(db, now, CLAIM_ROWS, 120_000);
        claimTimes.push(performance.now() - t);
        if (claimed.length !== CLAIM_ROWS) problems.push(`${name} claim with ${backlog} backlog: claimed ${claimed.length} of ${CLAIM_ROWS}`);
        t = performance.now();
        const none = await claimDue(db, now, CLAIM_ROWS, 120_000);
        idleTimes.push(performance.now() - t);
        if (none.length !== 0) problems.push(`${name}: idle claim took ${none.length} rows`);
        await db.notification.updateMany({ where: { shop: "due.myshopify.com" }, data: { status: "scheduled", leaseUntil: null, attempts: 0 } });
      }
      claimTimes.sort((a, b) => a - b);
      idleTimes.sort((a, b) => a - b);
      rows.push(
        `| claimDue on ${name}, ${fmt(backlog)} notifications scheduled later (filled in ${fmt(fillSeconds, 1)} s) | claim ${CLAIM_ROWS} due: p50 ${fmt(percentile(claimTimes, 0.5), 2)} ms, p99 ${fmt(percentile(claimTimes, 0.99), 2)} ms | idle poll: p50 ${fmt(percentile(idleTimes, 0.5), 2)} ms, p99 ${fmt(percentile(idleTimes, 0.99), 2)} ms |`,
      );
    } finally {
      await db.$disconnect();
      await database.close();
    }
  }
  return rows;
}

async function main(): Promise<number> {
  if (skippedForBenchOnly("notification bench")) return 0;
  console.log(`notification bench on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}`);
  const lines: string[] = ["| measurement | rate / cost | detail |", "| --- | --- | --- |"];
  const only = process.env.BENCH_PARTS?.split(",");
  for (const part of [renderAlone, endToEnd].filter((f) => !only || only.includes(f.name))) {
    const got = await part();
    got.forEach((l) => console.log(l));
    lines.push(...got);
  }
  if (only && !only.includes("claimCost")) return problems.length ? 1 : 0;
  const sqliteClaims = await claimCost("SQLite", openSqlite);
  sqliteClaims.forEach((l) => console.log(l));
  lines.push(...sqliteClaims);
  const pgUrl = process.env.TEST_POSTGRES_URL || process.env.BENCH_POSTGRES_URL;
  if (pgUrl) {
    const pgClaims = await claimCost("PostgreSQL", () => openPostgres(pgUrl));
    pgClaims.forEach((l) => console.log(l));
    lines.push(...pgClaims);
  } else {
    console.log("(PostgreSQL claim cost skipped: set TEST_POSTGRES_URL)");
  }
  if (problems.length) {
    console.log("NOTIFICATION BENCH FAILED (BENCHMARKS.md not updated):");
    problems.forEach((p) => console.log(`  - ${p}`));
    return 1;
  }
  const section = [
    "<!-- notification-bench:start -->",
    "## Notification engine (`tests/bench/notifications-bench.ts`)",
    "",
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}.`,
    "",
    ...lines,
    "<!-- notification-bench:end -->",
  ].join("\n");
  const file = join(root, "BENCHMARKS.md");
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const next = /<!-- notification-bench:start -->[\s\S]*<!-- notification-bench:end -->/.test(current)
    ? current.replace(/<!-- notification-bench:start -->[\s\S]*<!-- notification-bench:end -->/, section)
    : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
  console.log("wrote the notification section of BENCHMARKS.md");
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
