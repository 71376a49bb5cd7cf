// The lane model's cost where it runs: in the record path, against the same path with LANE_LEARNING=off
// (the registry's window only, no model update). Part of `npm run bench:lanes`.
//   1. One delivered carrier event recorded end to end (recordDelivery: parse, the transaction, the
//      shipment's re-derive with the lane lookup and model update, the order's re-plan), µs per delivery.
//      Also the learned lookup alone (laneWindowFor: one query of the lane's rows, then estimateWindow).
//   2. The inbox drain: the inbox job (processInbox) recording and planning queued webhooks (order paid,
//      fulfillment, first scan, delivery per parcel), deliveries per second.
// Each mode gets its own fresh SQLite file with the same shop, the same learned model (20,000 parcels)
// and the same parcels; the two modes run in alternating blocks, so both see the same machine load.
import { performance } from "node:perf_hooks";
import { createDb, type Db } from "~/db.server";
import { inboxJob } from "~/jobs/inbox-job.server";
import { rebuildLaneModel, type RecordedShipment } from "~/lanes/lane-model";
import { DEFAULT_COVERAGE } from "~/lanes/estimate-window";
import { laneWindowFor, saveLaneModel } from "~/lanes/store.server";
import { InboxWriter, type WebhookDelivery } from "~/webhooks/inbox.server";
import { recordDelivery, type Delivery } from "~/webhooks/record.server";
import { fulfillmentEventFor, fulfillmentPayloadFor, orderPayloadFor, type Buyer } from "#tests/demo/scenario";
import { openSqlite, type Opened } from "../support/databases";

const SHOP = "lanes-bench.myshopify.com";
const DAY_MS = 86_400_000;
const PARCELS = Number(process.env.BENCH_LANE_PARCELS || 300);
const BLOCK = 25;
const LOOKUPS = 2000;
const MODEL_PARCELS = 20_000;
const CARRIERS = ["DHL Express", "UPS", "EMS", "China Post", "SF Express"];
const DESTINATIONS = ["DE", "FR", "US", "BR", "JP"];

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

type Mode = "on" | "off";
const MODES: Mode[] = ["on", "off"];

/** Runs `work` with the record path's switch set; the env module re-reads it when it changes. */
async function withLearning<T>(mode: Mode, work: () => Promise<T>): Promise<T> {
  process.env.LANE_LEARNING = mode;
  try {
    return await work();
  } finally {
    delete process.env.LANE_LEARNING;
  }
}

const buyer = (i: number, country: string): Buyer => ({
  first: `Bench${i}`, last: "Buyer", email: `bench${i}@example.com`, locale: "en", country, city: "City", zip: "10000", address1: `${i} Main St`,
});

/** Parcel i: its lane, its four webhooks and when each happened (shipped 8 days ago, delivered today). */
function parcel(i: number, now: number) {
  const carrier = CARRIERS[i % CARRIERS.length]!;
  const country = DESTINATIONS[Math.floor(i / CARRIERS.length) % DESTINATIONS.length]!;
  const orderId = 500_000 + i;
  const fulfillmentId = 600_000 + i;
  const shipped = new Date(now - 8 * DAY_MS);
  const at = (days: number) => new Date(now - days * DAY_MS);
  return {
    paid: { topic: "orders/paid", payload: orderPayloadFor(orderId, 10_000 + i, buyer(i, country), { processed: at(9), updated: at(9) }) },
    fulfilled: { topic: "fulfillments/create", payload: fulfillmentPayloadFor(fulfillmentId, orderId, carrier, `BENCH${String(i).padStart(8, "0")}`, country, { created: shipped, updated: shipped }) },
    scanned: { topic: "fulfillment_events/create", payload: fulfillmentEventFor(700_000 + 2 * i, fulfillmentId, orderId, "in_transit", at(7)) },
    delivered: { topic: "fulfillment_events/create", payload: fulfillmentEventFor(700_001 + 2 * i, fulfillmentId, orderId, "delivered", at(i % 3)) },
    lane: { carrier, originCountry: "CN", destinationCountry: country, destinationRegion: null },
  };
}

/** A fresh database with the shop and its learned model: 20,000 parcels over the same 25 lanes. */
async function openSeeded(now: number): Promise<{ opened: Opened; db: Db }> {
  const opened = await openSqlite();
  const db = createDb(opened.url);
  await db.shop.create({ data: { domain: SHOP, country: "CN" } });
  const learned = function* (): Generator<RecordedShipment> {
    for (let i = 0; i < MODEL_PARCELS; i++) {
      const handedOverAt = new Date(now - (10 + (i % 80)) * DAY_MS);
      const transitDays = 4 + (i % 7) + (i % 13 === 0 ? 10 : 0);
      // One parcel in 30 on every lane is not delivered: given up after 45 days, or still out.
      const delivered = Math.floor(i / 25) % 30 !== 0;
      const givenUp = !delivered && now - handedOverAt.getTime() > 45 * DAY_MS;
      yield {
        ...parcel(i, now).lane,
        handedOverAt,
        deliveredAt: delivered ? new Date(handedOverAt.getTime() + transitDays * DAY_MS) : null,
        givenUpAt: givenUp ? new Date(handedOverAt.getTime() + 45 * DAY_MS) : null,
        scanTimes: delivered ? [handedOverAt, new Date(handedOverAt.getTime() + 2 * DAY_MS)] : undefined,
      };
    }
  };
  await saveLaneModel(db, SHOP, rebuildLaneModel(learned()));
  return { opened, db };
}

const asDelivery = (step: { topic: string; payload: unknown }): Delivery => ({ shop: SHOP, ...step });

async function record(db: Db, step: { topic: string; payload: unknown }, now: Date): Promise<void> {
  const outcome = await recordDelivery({ db }, asDelivery(step), { now });
  if (outcome !== "recorded") throw new Error(`${step.topic}: ${outcome}`);
}

export const RECORD_PATH_HEADER = ["| record path (SQLite) | model on | model off (`LANE_LEARNING=off`) | on / off |", "| --- | --- | --- | --- |"];

export interface RecordPathResult {
  lines: string[];
  problems: string[];
}

/** Part 1: µs per delivered event recorded, and per learned lookup, with the model on and off. */
async function recordOneDelivery(now: number): Promise<RecordPathResult> {
  const problems: string[] = [];
  const dbs = Object.fromEntries(await Promise.all(MODES.map(async (mode) => [mode, await openSeeded(now)] as const))) as Record<Mode, Awaited<ReturnType<typeof openSeeded>>>;
  const times: Record<Mode, number[]> = { on: [], off: [] };
  const lookups: number[] = [];
  const learnedWindows: Record<Mode, number> = { on: 0, off: 0 };
  try {
    const at = new Date(now);
    for (const mode of MODES) {
      await withLearning(mode, async () => {
        for (let i = 0; i < PARCELS; i++) for (const step of ["paid", "fulfilled", "scanned"] as const) await record(dbs[mode].db, parcel(i, now)[step], at);
      });
    }
    for (let start = 0; start < PARCELS; start += BLOCK) {
      for (const mode of start % (2 * BLOCK) === 0 ? MODES : [...MODES].reverse()) {
        await withLearning(mode, async () => {
          for (let i = start; i < Math.min(PARCELS, start + BLOCK); i++) {
            const t = performance.now();
            await record(dbs[mode].db, parcel(i, now).delivered, at);
            times[mode].push(performance.now() - t);
          }
        });
      }
    }
    const { db } = dbs.on;
    for (let i = 0; i < LOOKUPS; i++) {
      const t = performance.now();
      await laneWindowFor(db, SHOP, parcel(i, now).lane, { now: at, coverage: DEFAULT_COVERAGE });
      lookups.push(performance.now() - t);
    }
    for (const mode of MODES) {
      const learned = await dbs[mode].db.shipment.count({ where: { shop: SHOP, estimateSource: { notIn: ["registry", "carrier"] } } });
      const delivered = await dbs[mode].db.shipment.count({ where: { shop: SHOP, deliveredAt: { not: null } } });
      if (delivered !== PARCELS) problems.push(`record path (${mode}): ${delivered} of ${PARCELS} shipments delivered`);
      learnedWindows[mode] = learned;
      // Most lanes have the evidence; a lane whose 90% is not yet reached falls back to the registry.
      if (mode === "on" ? learned < PARCELS / 2 : learned !== 0) problems.push(`record path (${mode}): ${learned} of ${PARCELS} shipments promised a learned window`);
    }
  } finally {
    for (const mode of MODES) {
      await dbs[mode].db.$disconnect();
      await dbs[mode].opened.close();
    }
  }
  const micro = (ms: number) => fmt(ms * 1000);
  const mean = (mode: Mode) => sum(times[mode]) / times[mode].length;
  return {
    problems,
    lines: [
      `| one delivered carrier event recorded end to end (\`recordDelivery\`; ${fmt(PARCELS)} parcels per mode, ${fmt(learnedWindows.on)} of them on a learned window with the model on) | mean ${micro(mean("on"))} µs, p50 ${micro(median(times.on))} µs | mean ${micro(mean("off"))} µs, p50 ${micro(median(times.off))} µs | ${fmt(mean("on") / mean("off"), 2)} |`,
      `| the learned lookup alone (\`laneWindowFor\`: the lane's LaneStat rows, then \`estimateWindow\`; ${fmt(LOOKUPS)} calls) | mean ${micro(sum(lookups) / lookups.length)} µs, p50 ${micro(median(lookups))} µs | not called | |`,
    ],
  };
}

/** Part 2: the inbox job draining the same queued webhooks with the model on and off. */
async function inboxDrain(now: number): Promise<RecordPathResult> {
  const problems: string[] = [];
  const dbs = Object.fromEntries(await Promise.all(MODES.map(async (mode) => [mode, await openSeeded(now)] as const))) as Record<Mode, Awaited<ReturnType<typeof openSeeded>>>;
  const busy: Record<Mode, number> = { on: 0, off: 0 };
  const processed: Record<Mode, number> = { on: 0, off: 0 };
  try {
    for (const mode of MODES) {
      const inbox = new InboxWriter(dbs[mode].db);
      // One step at a time for every parcel, so the inbox's oldest-first order is the webhooks' order.
      for (const step of ["paid", "fulfilled", "scanned", "delivered"] as const) {
        for (let i = 0; i < PARCELS; i++) {
          const delivery: WebhookDelivery = { ...asDelivery(parcel(i, now)[step]), webhookId: `bench-${step}-${i}` };
          if ((await inbox.accept(delivery)) !== "accepted") problems.push(`inbox (${mode}): ${step} ${i} not accepted`);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    const jobs = Object.fromEntries(MODES.map((mode) => [mode, inboxJob({ db: dbs[mode].db, limit: BLOCK }, () => {})])) as Record<Mode, ReturnType<typeof inboxJob>>;
    const pending = MODES.map((mode) => mode);
    for (let round = 0; pending.length; round++) {
      for (const mode of round % 2 === 0 ? [...pending] : [...pending].reverse()) {
        const before = await dbs[mode].db.webhookReceipt.count({ where: { status: "processed" } });
        const started = performance.now();
        const more = await withLearning(mode, () => jobs[mode].run(new Date()));
        busy[mode] += performance.now() - started;
        processed[mode] += (await dbs[mode].db.webhookReceipt.count({ where: { status: "processed" } })) - before;
        if (!more) pending.splice(pending.indexOf(mode), 1);
      }
    }
    for (const mode of MODES) {
      const left = await dbs[mode].db.webhookReceipt.count({ where: { status: { not: "processed" } } });
      if (left || processed[mode] !== 4 * PARCELS) problems.push(`inbox (${mode}): ${processed[mode]} of ${4 * PARCELS} processed, ${left} left`);
      const delivered = await dbs[mode].db.shipment.count({ where: { shop: SHOP, deliveredAt: { not: null } } });
      if (delivered !== PARCELS) problems.push(`inbox (${mode}): ${delivered} of ${PARCELS} shipments delivered`);
    }
  } finally {
    for (const mode of MODES) {
      await dbs[mode].db.$disconnect();
      await dbs[mode].opened.close();
    }
  }
  const rate = (mode: Mode) => processed[mode] / (busy[mode] / 1000);
  return {
    problems,
    lines: [
      `| inbox drain: the inbox job recording and planning ${fmt(4 * PARCELS)} webhooks (order paid, fulfillment, first scan, delivery of ${fmt(PARCELS)} parcels) | ${fmt(rate("on"))} deliveries/s | ${fmt(rate("off"))} deliveries/s | ${fmt(rate("on") / rate("off"), 2)} |`,
    ],
  };
}

export async function recordPathBench(): Promise<RecordPathResult> {
  const now = Date.now();
  const parts = [await recordOneDelivery(now), await inboxDrain(now)];
  return { lines: parts.flatMap((p) => p.lines), problems: parts.flatMap((p) => p.problems) };
}
