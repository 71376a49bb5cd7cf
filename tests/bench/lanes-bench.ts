// `npm run bench` (last part; alone: `npm run bench:lanes`): the lane model.
//   1. Refresh: the model rebuilt from scratch from 10^5 and 10^6 recorded shipments (delivered, given up,
//      or in transit) over 400 lanes, as a nightly job or a first import would: time, heap after, peak
//      RSS, and the model's size as JSON. Measured warm: the destinations' holiday calendars (date-holidays,
//      15–60 ms per country and year on first use) are loaded by a first, unmeasured refresh.
//   2. The record path: one delivery recorded incrementally (taking back its in-transit record), and one
//      estimate (estimateWindow) on the refreshed model, per call in µs (p50/p99 over 100,000 calls).
//   3. `npm run backtest -- <file> --json` as a child process on a synthetic 100,000-row CSV: wall time
//      and peak RSS (floor: 60 s and 1 GiB).
//   4. The record path on SQLite with the model on against LANE_LEARNING=off (tests/bench/lanes-record-path.ts):
//      one delivered carrier event recorded end to end, the learned lookup alone, and the inbox drain rate.
// Prints the figures and writes them into BENCHMARKS.md between the lanes-bench markers.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { estimateWindow } from "~/lanes/estimate-window";
import { laneKey, type LaneKey } from "~/lanes/lane-key";
import { rebuildLaneModel, recordDelivery, recordInTransit, type LaneModel, type RecordedShipment } from "~/lanes/lane-model";
import { seededRandom, shipmentsCsv, syntheticShipments, type SyntheticLane } from "~/lanes/synthetic-shipments";
import { RECORD_PATH_HEADER, recordPathBench } from "./lanes-record-path";
import { skippedForBenchOnly } from "./bench-only";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const DAY_MS = 86_400_000;
const START = Date.parse("2024-01-01T00:00:00Z");
const PERIOD_DAYS = 730;
const CALLS = 100_000;
const BACKTEST_ROWS = 100_000;
const problems: string[] = [];

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mib = (bytes: number) => `${fmt(bytes / 2 ** 20)} MiB`;
const percentile = (sorted: Float64Array, q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

const CARRIERS = ["China Post", "YunExpress", "DHL Express", "USPS", "Royal Mail", "4PX", "Yanwen", "Cainiao"];
const ORIGINS = ["CN", "HK", "US", "GB", "DE"];
const DESTINATIONS = ["US", "GB", "DE", "FR", "CA", "AU", "BR", "JP", "NL", "ES"];

interface Lane {
  carrier: string;
  originCountry: string;
  destinationCountry: string;
  destinationRegion: string | null;
  medianDays: number;
}

const LANES: Lane[] = Array.from({ length: 400 }, (_, i) => ({
  carrier: CARRIERS[i % CARRIERS.length]!,
  originCountry: ORIGINS[Math.floor(i / CARRIERS.length) % ORIGINS.length]!,
  destinationCountry: DESTINATIONS[Math.floor(i / (CARRIERS.length * ORIGINS.length)) % DESTINATIONS.length]!,
  destinationRegion: i % 3 === 0 ? `R${i % 7}` : null,
  medianDays: 3 + (i % 15),
}));

/** Recorded shipments one by one, as rows come from the database: 90% delivered, 2% given up, the rest out. */
function* recordedShipments(count: number, seed: number): Generator<RecordedShipment> {
  const random = seededRandom(seed);
  for (let i = 0; i < count; i++) {
    const lane = LANES[Math.floor(random() * random() * LANES.length)]!;
    const handedOverAt = new Date(START + random() * PERIOD_DAYS * DAY_MS);
    const transitDays = lane.medianDays * 1.4 * Math.exp(0.35 * (random() + random() + random() - 1.5) * 2);
    const outcome = random();
    yield {
      ...lane,
      handedOverAt,
      deliveredAt: outcome < 0.9 ? new Date(handedOverAt.getTime() + transitDays * DAY_MS) : null,
      givenUpAt: outcome >= 0.9 && outcome < 0.92 ? new Date(handedOverAt.getTime() + 45 * DAY_MS) : null,
      scanTimes: outcome < 0.9 ? [handedOverAt, new Date(handedOverAt.getTime() + 2 * DAY_MS)] : undefined,
    };
  }
}

/** What the record-path rows measure (also in BENCHMARKS.md until the next full run fills in the figures). */
const RECORD_PATH_NOTE = [
  "The record path rows compare the same work with the lane model on and with `LANE_LEARNING=off` (the",
  "registry's window only, no model update), each on its own fresh SQLite file with the same shop, a model",
  "learned from 20,000 parcels over 25 lanes, and the same parcels, the two modes in alternating blocks.",
  "\"One delivered carrier event recorded end to end\" is `recordDelivery` (its transaction, the shipment's",
  "re-derive with the lane lookup and model update, the order's re-plan), µs per delivery; \"inbox drain\" is",
  "the inbox job recording and planning queued webhooks, deliveries per second of its own time; the last",
  "column is the ratio, model on over model off.",
];

function refresh(count: number): { line: string; model: LaneModel } {
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const model = rebuildLaneModel(recordedShipments(count, 42));
  const seconds = (performance.now() - started) / 1000;
  globalThis.gc?.();
  const memory = process.memoryUsage();
  const json = JSON.stringify(model).length;
  const levels = Object.keys(model.lanes).length;
  return {
    model,
    line: `| refresh from ${fmt(count)} shipments (${LANES.length} lanes, ${levels} lane levels) | ${fmt(seconds, 2)} s (${fmt(count / seconds)} shipments/s) | heap +${mib(memory.heapUsed - heapBefore)}, RSS ${mib(memory.rss)}; model ${mib(json)} as JSON |`,
  };
}

function perCall(label: string, call: (i: number) => void): string {
  for (let i = 0; i < 2000; i++) call(i);
  const times = new Float64Array(CALLS);
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    call(i);
    times[i] = performance.now() - t;
  }
  times.sort();
  return `| ${label} | p50 ${fmt(percentile(times, 0.5) * 1000, 1)} µs | p99 ${fmt(percentile(times, 0.99) * 1000, 1)} µs |`;
}

function recordPath(model: LaneModel): string[] {
  const now = new Date(START + PERIOD_DAYS * DAY_MS);
  const keys: LaneKey[] = LANES.map((lane) => laneKey(lane));
  const parcels = LANES.map((lane, i) => ({ ...lane, handedOverAt: new Date(now.getTime() - (i % 20) * DAY_MS) }));
  const outstanding = Array.from({ length: CALLS + 2000 }, (_, i) => parcels[i % parcels.length]!);
  for (const parcel of outstanding) recordInTransit(model, parcel);
  return [
    perCall("record one delivery (in-transit record taken back)", (i) => {
      const parcel = outstanding[i]!;
      recordDelivery(model, { ...parcel, deliveredAt: now }, { wasInTransit: true });
    }),
    perCall("one estimate (estimateWindow, 90% coverage)", (i) => {
      estimateWindow(model, keys[i % keys.length]!, { now });
    }),
  ];
}

function backtestCli(): string {
  const lanes: SyntheticLane[] = LANES.slice(0, 60).map((lane, i) => ({
    carrier: lane.carrier,
    origin: lane.originCountry,
    destination: lane.destinationCountry,
    region: lane.destinationRegion,
    parcels: Math.round(BACKTEST_ROWS / 60),
    medianDays: lane.medianDays,
    sigma: 0.3,
    slowShare: i % 4 === 0 ? 0.05 : 0,
    lostShare: 0.01,
    promiseDays: lane.medianDays * 2,
  }));
  const dir = mkdtempSync(join(os.tmpdir(), "lanes-bench-"));
  const file = join(dir, "shipments.csv");
  const shipments = syntheticShipments(lanes, { seed: 9, start: new Date(START), days: 365 });
  writeFileSync(file, shipmentsCsv(shipments));
  const tsx = join(root, "node_modules", ".bin", "tsx");
  const cli = join(root, "app", "lanes", "backtest-cli.ts");
  try {
    const started = performance.now();
    let peak = "n/a";
    if (existsSync("/usr/bin/time")) {
      const run = spawnSync("/usr/bin/time", ["-v", tsx, cli, file, "--json"], { cwd: root, encoding: "utf8", maxBuffer: 2 ** 26 });
      if (run.status !== 0) problems.push(`backtest exited ${run.status}: ${run.stderr.slice(-500)}`);
      const kib = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1];
      if (kib) {
        peak = mib(Number(kib) * 1024);
        if (Number(kib) * 1024 > 2 ** 30) problems.push(`backtest peak RSS ${peak} over 1 GiB`);
      }
    } else {
      execFileSync(tsx, [cli, file, "--json"], { cwd: root, maxBuffer: 2 ** 26 });
    }
    const seconds = (performance.now() - started) / 1000;
    if (seconds > 60) problems.push(`backtest took ${fmt(seconds, 1)} s, over 60 s`);
    return `| \`npm run backtest -- <file> --json\` on ${fmt(shipments.length)} synthetic rows (60 lanes) | ${fmt(seconds, 1)} s | peak RSS ${peak} |`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  if (skippedForBenchOnly("lane model bench")) return 0;
  const lines = ["| measurement | time | memory / per call |", "| --- | --- | --- |"];
  // A running server has its destinations' holiday calendars loaded and its code compiled.
  rebuildLaneModel(recordedShipments(20_000, 1));
  for (const count of [100_000, 1_000_000]) {
    const { line, model } = refresh(count);
    console.log(line);
    lines.push(line);
    if (count === 100_000) {
      for (const l of recordPath(model)) {
        console.log(l);
        lines.push(l);
      }
    }
  }
  const cli = backtestCli();
  console.log(cli);
  lines.push(cli);
  const inRecordPath = await recordPathBench();
  const recordPathLines = [...RECORD_PATH_HEADER, ...inRecordPath.lines];
  recordPathLines.forEach((l) => console.log(l));
  problems.push(...inRecordPath.problems);
  if (problems.length) {
    console.log("LANES BENCH FAILED (BENCHMARKS.md not updated):");
    problems.forEach((p) => console.log(`  - ${p}`));
    return 1;
  }
  const section = [
    "<!-- lanes-bench:start -->",
    "## Lane model (`tests/bench/lanes-bench.ts`)",
    "",
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}.`,
    "",
    ...lines,
    "",
    ...RECORD_PATH_NOTE,
    "",
    ...recordPathLines,
    "<!-- lanes-bench:end -->",
  ].join("\n");
  const file = join(root, "BENCHMARKS.md");
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const markers = /<!-- lanes-bench:start -->[\s\S]*<!-- lanes-bench:end -->/;
  writeFileSync(file, markers.test(current) ? current.replace(markers, section) : `${current.trimEnd()}\n\n${section}\n`);
  console.log("wrote the lane model section of BENCHMARKS.md");
  return 0;
}

process.exit(await main());
