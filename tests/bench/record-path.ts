// The inbox drain on its own: how fast the worker records and plans deliveries already accepted.
//   npx tsx tests/bench/record-path.ts            SQLite, one worker
//   BENCH_POSTGRES_URL=postgresql://…/postgres    also PostgreSQL with one and with two workers
//   BENCH_RECORD_DELIVERIES=4000                  deliveries per run (default 4000)
//   BENCH_RECORD_PROFILE=dir                      writes a CPU profile of each run's drain alone (not its fill) there
// Each run gets a fresh database with one shop, fills its inbox with the four webhooks of each parcel
// (orders/paid, fulfillments/create, a first scan, the delivery; the order as Shopify sends them),
// accepted the way the webhook route does (InboxWriter), then drains it with processInbox as the inbox
// job does, timing from the first claim to the empty inbox, in wall time and in the worker process's
// CPU time (the machine may be shared: deliveries per CPU-second is the steadier figure). Statements
// are the Prisma operations the workers ran (model and raw queries, counted by a query extension) plus
// those the record path ran on the driver itself; a transaction's BEGIN and COMMIT are not counted. The run checks its own result: every delivery processed once, every row there.
import { mkdirSync, writeFileSync } from "node:fs";
import { Session as Inspector } from "node:inspector/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createDb, type Db } from "~/db.server";
import { InboxWriter, processInbox, type WebhookDelivery } from "~/webhooks/inbox.server";
import { onWritePhase, type WritePhase } from "~/webhooks/record-batch.server";
import { fulfillmentEventFor, fulfillmentPayloadFor, orderPayloadFor, type Buyer } from "#tests/demo/scenario";
import { openPostgres, openSqlite, type Opened } from "../support/databases";

// Statements the record path runs on the driver itself (app/db/rows.server.ts), where the code has that module.
const rows = await import("~/db/rows.server").catch(() => null);
const rawStatements = (): number => rows?.statementsRun() ?? 0;

const SHOP = "record-bench.myshopify.com";
const DAY_MS = 86_400_000;
const DELIVERIES = Number(process.env.BENCH_RECORD_DELIVERIES || 4000);
const PARCELS = Math.ceil(DELIVERIES / 4);
const LIMIT = Number(process.env.BENCH_RECORD_LIMIT || 200);
const CARRIERS = ["DHL Express", "UPS", "EMS", "China Post", "SF Express"];
const DESTINATIONS = ["DE", "FR", "US", "BR", "JP"];
const PROFILE = process.env.BENCH_RECORD_PROFILE;
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

const buyer = (i: number, country: string): Buyer => ({
  first: `Bench${i}`, last: "Buyer", email: `bench${i}@example.com`, locale: "en", country, city: "City", zip: "10000", address1: `${i} Main St`,
});

function deliveries(now: number): WebhookDelivery[] {
  const at = (days: number) => new Date(now - days * DAY_MS);
  const out: WebhookDelivery[] = [];
  for (let i = 0; i < PARCELS; i++) {
    const carrier = CARRIERS[i % CARRIERS.length]!;
    const country = DESTINATIONS[Math.floor(i / CARRIERS.length) % DESTINATIONS.length]!;
    const order = 500_000 + i;
    const fulfillment = 600_000 + i;
    const tracking = `BN${String(i).padStart(8, "0")}`;
    const steps: Array<[string, unknown]> = [
      ["orders/paid", orderPayloadFor(order, 10_000 + i, buyer(i, country), { processed: at(9), updated: at(9) })],
      ["fulfillments/create", fulfillmentPayloadFor(fulfillment, order, carrier, tracking, country, { created: at(8), updated: at(8) })],
      ["fulfillment_events/create", fulfillmentEventFor(700_000 + i * 2, fulfillment, order, "in_transit", at(7))],
      ["fulfillment_events/create", fulfillmentEventFor(700_001 + i * 2, fulfillment, order, "delivered", at(1 + (i % 4)))],
    ];
    for (const [n, [topic, payload]] of steps.entries()) out.push({ shop: SHOP, topic, payload, webhookId: `bench-${i}-${n}`, eventId: `bench-evt-${i}-${n}`, triggeredAt: new Date(now) });
  }
  return out.slice(0, DELIVERIES);
}

/** The client with every Prisma operation it runs counted. */
function counting(db: Db, counter: { statements: number }): Db {
  return db.$extends({
    query: {
      async $allOperations({ args, query }) {
        counter.statements++;
        return query(args);
      },
    },
  }) as unknown as Db;
}

/** Starts the CPU profiler when BENCH_RECORD_PROFILE names a directory; the returned function writes the profile. */
async function profileDrain(label: string): Promise<() => Promise<void>> {
  if (!PROFILE) return async () => {};
  const inspector = new Inspector();
  inspector.connect();
  await inspector.post("Profiler.enable");
  await inspector.post("Profiler.start");
  return async () => {
    const { profile } = await inspector.post("Profiler.stop");
    mkdirSync(PROFILE, { recursive: true });
    writeFileSync(join(PROFILE, `${label.replace(/\W+/g, "-")}.cpuprofile`), JSON.stringify(profile));
    inspector.disconnect();
  };
}

async function run(label: string, open: () => Promise<Opened>, workers: number) {
  const opened = await open();
  const setup = createDb(opened.url);
  const clients = workers === 1 ? [setup] : Array.from({ length: workers }, () => createDb(opened.url));
  try {
    await setup.shop.create({ data: { domain: SHOP, country: "CN", name: "Bench" } });
    const inbox = new InboxWriter(setup);
    const all = deliveries(Date.now());
    for (let i = 0; i < all.length; i += 500) await Promise.all(all.slice(i, i + 500).map((d) => inbox.accept(d)));
    const counter = { statements: 0 };
    const raw0 = rawStatements();
    const counted = clients.map((client) => counting(client, counter));
    const phases: WritePhase[] = [];
    const unsubscribe = onWritePhase((phase) => phases.push(phase));
    const stopProfile = await profileDrain(label);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const processed = await Promise.all(
      counted.map(async (db) => {
        let total = 0;
        for (;;) {
          const r = await processInbox({ db, now: new Date(), limit: LIMIT });
          if (r.failed || r.retried) throw new Error(`deliveries failed: ${JSON.stringify(r)}`);
          total += r.processed;
          if (r.claimed === 0) return total;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    await stopProfile();
    unsubscribe();
    // The benchmark checks itself: each delivery processed once, each row there.
    const recorded = processed.reduce((a, b) => a + b, 0);
    const [receipts, orders, shipments, events, confirmations] = await Promise.all([
      setup.webhookReceipt.count({ where: { shop: SHOP, status: "processed" } }),
      setup.order.count({ where: { shop: SHOP } }),
      setup.shipment.count({ where: { shop: SHOP } }),
      setup.trackingEvent.count({ where: { shop: SHOP } }),
      setup.notification.count({ where: { shop: SHOP, kind: "shipping_confirmation" } }),
    ]);
    const expect = { recorded: all.length, receipts: all.length, orders: Math.ceil(all.length / 4), shipments: Math.ceil((all.length - 1) / 4), events: all.length - Math.ceil(all.length / 4) - Math.ceil((all.length - 1) / 4) };
    const got = { recorded, receipts, orders, shipments, events };
    const ok = JSON.stringify(got) === JSON.stringify(expect) && confirmations <= shipments;
    console.log(
      `${label.padEnd(24)} ${fmt(all.length)} in ${fmt(seconds, 2)} s: ${fmt(all.length / seconds).padStart(6)} deliveries/s ` +
        `(${fmt(all.length / cpuSeconds).padStart(6)} per CPU-second of the worker process), ` +
        `${fmt((counter.statements + rawStatements() - raw0) / all.length, 2)} statements/delivery  ${ok ? "checked: each recorded once" : `CHECK FAILED ${JSON.stringify({ got, expect })}`}`,
    );
    const held = phases.map((p) => p.ms).sort((a, b) => a - b);
    const at = (q: number) => held[Math.min(held.length - 1, Math.floor(q * held.length))] ?? 0;
    console.log(
      `${"".padEnd(24)} write transactions (first write to commit): ${held.length} batches, p50 ${fmt(at(0.5), 1)} ms, p99 ${fmt(at(0.99), 1)} ms, max ${fmt(held.at(-1) ?? 0, 1)} ms; ` +
        `${phases.filter((p) => p.replanned).length} read and planned again inside`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    await Promise.all([...new Set([setup, ...clients])].map((c) => c.$disconnect()));
    await opened.close();
  }
}

const postgres = process.env.BENCH_POSTGRES_URL || process.env.TEST_POSTGRES_URL;
console.log(`record path: the inbox drain (processInbox, limit ${LIMIT}), ${fmt(DELIVERIES)} deliveries of ${fmt(PARCELS)} parcels`);
await run("SQLite, 1 worker", openSqlite, 1);
if (postgres) {
  await run("PostgreSQL, 1 worker", () => openPostgres(postgres), 1);
  await run("PostgreSQL, 2 workers", () => openPostgres(postgres), 2);
} else console.log("PostgreSQL skipped: set BENCH_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres)");
