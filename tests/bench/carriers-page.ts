// How the Carriers page's loader holds up at a busy shop's year: seeds one shop with ROWS shipments
// (each with its carrier events, a customs hold in 12 and a delay notice in 15) over eight carriers
// and ten destinations in a fresh SQLite file, or PostgreSQL at BENCH_DATABASE_URL, plus a neighbour
// shop, then times the queries and the report, and the page's loader with its cache: a repeated load with
// nothing changed, and a load after one new delivery. `npx tsx tests/bench/carriers-page.ts [rows]`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { migrate } from "../../prisma/migrate";
import { createDb } from "~/db.server";
import { carriersReport } from "~/carriers/performance";
import { loadCarriersReport, loadShipmentRecords } from "~/admin/carriers.server";
import { carriersFingerprint } from "~/admin/carriers-cache.server";
import { seedCarrierHistory, type SeedLane } from "#tests/support/carriers-seed";
import { seededRandom } from "~/lanes/synthetic-shipments";

const ROWS = Number(process.argv[2] ?? 20_000);
const SHOP = "bench-carriers.myshopify.com";
const NEIGHBOUR = "bench-carriers-neighbour.myshopify.com";
const RUNS = 7;

const CARRIERS: Array<[string | null, string, number]> = [
  ["dhl_express", "DHL Express", 4],
  ["ups", "UPS", 5],
  ["ems", "EMS", 9],
  ["yunexpress", "YunExpress", 11],
  ["china_post", "China Post", 16],
  [null, "Correios", 18],
  ["usps", "USPS", 7],
  ["4px", "4PX", 12],
];
const DESTINATIONS: Array<[string, string[]]> = [
  ["US", ["CA", "NY", "TX", "FL"]],
  ["BR", ["SP", "RJ"]],
  ["DE", []],
  ["FR", []],
  ["GB", []],
  ["JP", []],
  ["AU", ["NSW"]],
  ["CA", ["ON"]],
  ["IT", []],
  ["ES", []],
];

function lanes(rows: number, seed: number): SeedLane[] {
  const random = seededRandom(seed);
  const perLane = Math.max(1, Math.round(rows / (CARRIERS.length * DESTINATIONS.length)));
  return CARRIERS.flatMap(([code, name, median]) =>
    DESTINATIONS.map(([destination, regions]) => ({
      carrierCode: code,
      carrierName: name,
      destination,
      region: regions.length ? regions[Math.floor(random() * regions.length)] : undefined,
      transits: Array.from({ length: perLane }, () => (random() < 0.06 ? null : Math.max(1, Math.round(median * Math.exp(0.35 * (random() * 2 - 1)))))),
      promisedDays: median + 3,
      customsEvery: 12,
      delayNoticeEvery: 15,
    })),
  );
}

async function time(label: string, run: () => Promise<unknown> | unknown): Promise<void> {
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const used = process.cpuUsage();
    await run();
    samples.push(performance.now() - start);
    const { user, system } = process.cpuUsage(used);
    cpu.push((user + system) / 1000);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[RUNS >> 1]!;
  // CPU time as well: on a shared machine the wall time mostly measures the other processes.
  console.log(`${label.padEnd(44)} median ${median(samples).toFixed(1).padStart(7)} ms   max ${Math.max(...samples).toFixed(1).padStart(7)} ms   CPU ${median(cpu).toFixed(1).padStart(7)} ms`);
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "parcelwise-bench-carriers-"));
  const url = process.env.BENCH_DATABASE_URL ?? `file:${join(dir, "bench.sqlite")}`;
  await migrate(url);
  const db = createDb(url);
  try {
    await db.shop.createMany({ data: [{ domain: SHOP }, { domain: NEIGHBOUR }] });
    const now = new Date();
    const seedStart = performance.now();
    const seeded = await seedCarrierHistory(db, SHOP, lanes(ROWS, 1), { now, spreadDays: 300 });
    const neighbour = await seedCarrierHistory(db, NEIGHBOUR, lanes(ROWS / 10, 2), { now, spreadDays: 300 });
    const events = await db.trackingEvent.count({ where: { shop: SHOP } });
    console.log(`seeded ${seeded} shipments (${events} carrier events) + ${neighbour} for a neighbour in ${((performance.now() - seedStart) / 1000).toFixed(1)} s (${url.startsWith("file:") ? "SQLite" : "PostgreSQL"})`);
    const records = await loadShipmentRecords(db, SHOP, now);
    await time("queries (4, in parallel)", () => loadShipmentRecords(db, SHOP, now));
    await time("report from the records", () => carriersReport(records, { now }));
    await time("uncached: queries + report", async () => carriersReport(await loadShipmentRecords(db, SHOP, now), { now }));
    await time("cache check alone (fingerprint)", () => carriersFingerprint(db, SHOP, now));
    await loadCarriersReport(db, SHOP, now);
    await time("loader, nothing changed (cached)", () => loadCarriersReport(db, SHOP, now));
    const inTransit = await db.shipment.findMany({ where: { shop: SHOP, deliveredAt: null }, select: { id: true }, take: RUNS });
    let delivered = 0;
    await time("loader after one new delivery", async () => {
      await db.shipment.update({ where: { id: inTransit[delivered++ % inTransit.length]!.id }, data: { deliveredAt: now, shipmentStatus: "delivered" } });
      return loadCarriersReport(db, SHOP, now);
    });
  } finally {
    await db.$disconnect();
    if (!process.env.BENCH_DATABASE_URL) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
