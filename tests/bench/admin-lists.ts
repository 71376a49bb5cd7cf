// How the admin's Shipments and Activity lists hold up at 100,000 rows: seeds one shop with that many
// shipments and shipping confirmations (and a neighbour shop) in a fresh SQLite file, or PostgreSQL at
// BENCH_DATABASE_URL, then times the loaders' queries. `npx tsx tests/bench/admin-lists.ts [rows]`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { migrate } from "../../prisma/migrate";
import { createDb } from "~/db.server";
import { seedManyShipments } from "#tests/support/shipments-seed";
import { NO_SHIPMENT_FILTERS, parseShipmentFilters, type PageRequest } from "~/admin/shipments";
import { countAtRisk, listShipments, loadShipmentFilterChoices } from "~/admin/shipments.server";
import { activityCsvStream, listActivity } from "~/admin/activity.server";
import { parseActivityFilters } from "~/admin/activity";

const ROWS = Number(process.argv[2] ?? 100_000);
const SHOP = "bench-lists.myshopify.com";
const NEIGHBOUR = "bench-neighbour.myshopify.com";
const RUNS = 7;
// Set to try an index the schema does not have, e.g. BENCH_EXTRA_SQL='CREATE INDEX ...'.
const EXTRA_SQL = process.env.BENCH_EXTRA_SQL;

async function time(label: string, run: () => Promise<unknown>): Promise<void> {
  const samples: number[] = [];
  let result: unknown;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    result = await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)]!;
  console.log(`${label.padEnd(52)} median ${median.toFixed(1).padStart(7)} ms   max ${samples.at(-1)!.toFixed(1).padStart(7)} ms   ${describe(result)}`);
}

function describe(result: unknown): string {
  if (result && typeof result === "object" && "total" in result) return `total ${(result as { total: number }).total}`;
  if (typeof result === "number") return String(result);
  return "";
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "parcelwise-bench-lists-"));
  const url = process.env.BENCH_DATABASE_URL ?? `file:${join(dir, "bench.sqlite")}`;
  await migrate(url);
  const db = createDb(url);
  try {
    await db.shop.createMany({ data: [{ domain: SHOP }, { domain: NEIGHBOUR }] });
    const now = new Date();
    const seedStart = performance.now();
    await seedManyShipments(db, SHOP, ROWS, { now });
    await seedManyShipments(db, NEIGHBOUR, Math.round(ROWS / 10), { now });
    console.log(`seeded ${ROWS} + ${Math.round(ROWS / 10)} shipments and notifications in ${((performance.now() - seedStart) / 1000).toFixed(1)} s (${url.startsWith("file:") ? "SQLite" : "PostgreSQL"})`);

    if (EXTRA_SQL) {
      await db.$executeRawUnsafe(EXTRA_SQL);
      console.log(`with: ${EXTRA_SQL}`);
    }
    const first: PageRequest = { after: null, before: null, size: 50 };
    // A cursor nine tenths of the way down, as page 1,800 would have.
    const deep = await db.shipment.findFirstOrThrow({ where: { shop: SHOP }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: Math.floor(ROWS * 0.9), select: { id: true, createdAt: true } });
    const deepPage: PageRequest = { after: deep, before: null, size: 50 };
    const filters = (query: string) => parseShipmentFilters(new URLSearchParams(query));

    await time("shipments: first page + count", () => listShipments(db, SHOP, NO_SHIPMENT_FILTERS, first, now));
    await time("shipments: page at 90% by cursor + count", () => listShipments(db, SHOP, NO_SHIPMENT_FILTERS, deepPage, now));
    await time("shipments: page at 90% by OFFSET (for comparison)", () =>
      db.shipment.findMany({ where: { shop: SHOP }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: Math.floor(ROWS * 0.9), take: 51 }).then((rows) => rows.length),
    );
    await time("shipments: at risk, first page + count", () => listShipments(db, SHOP, filters("atRisk=1"), first, now));
    await time("shipments: at-risk count (tab)", () => countAtRisk(db, SHOP, now));
    await time("shipments: status=in_transit, first page + count", () => listShipments(db, SHOP, filters("status=in_transit"), first, now));
    await time("shipments: country=JP & carrier=dhl_express + count", () => listShipments(db, SHOP, filters("country=JP&carrier=dhl_express"), first, now));
    await time("shipments: search a tracking number", () => listShipments(db, SHOP, filters("query=BULK4242X"), first, now));
    await time("shipments: filter choices (GROUP BY, cached 60 s)", () => loadShipmentFilterChoices(db, SHOP).then((c) => c.carriers.length + c.countries.length));
    await time("activity: first page + count", () => listActivity(db, SHOP, parseActivityFilters(new URLSearchParams()).filters, first));
    await time("activity: status=failed, first page + count", () => listActivity(db, SHOP, parseActivityFilters(new URLSearchParams("status=failed")).filters, first));
    const csvStart = performance.now();
    const csv = await new Response(activityCsvStream(db, SHOP, parseActivityFilters(new URLSearchParams()).filters)).arrayBuffer();
    console.log(`activity: CSV export of all ${ROWS} messages            ${(performance.now() - csvStart).toFixed(0)} ms, ${(csv.byteLength / 1e6).toFixed(1)} MB`);
  } finally {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
