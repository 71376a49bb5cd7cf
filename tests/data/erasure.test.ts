// What a redaction erases below the rows (app/compliance/erase-residue.server.ts), against real databases:
// inbox payloads naming the buyer, the SQLite WAL emptied, and VACUUM of the touched tables on PostgreSQL.
import { beforeAll, describe, expect, it } from "vitest";
import { statSync } from "node:fs";
import type { Db } from "~/db.server";
import { isPostgres } from "~/db/dialect";
import { REDACTED_TABLES } from "~/compliance/erase-residue.server";
import { eventually } from "../support/app-server";
import { ago, backends, buyer, DAY, delivery, NOW, useDatabase } from "./harness";
import { orderPayloadFor } from "#tests/demo/scenario";

type Counts = Record<string, number>;
async function vacuumCounts(db: Db, tables: readonly string[]): Promise<Counts> {
  const rows = await db.$queryRawUnsafe<{ relname: string; vacuum_count: bigint | number }[]>(
    `SELECT relname::text AS relname, vacuum_count FROM pg_stat_user_tables WHERE relname = ANY($1::text[])`,
    [...tables],
  );
  return Object.fromEntries(rows.map((row) => [row.relname, Number(row.vacuum_count)]));
}
const allVacuumedSince = (before: Counts, after: Counts) => Object.keys(before).length > 0 && Object.keys(before).every((table) => after[table] > before[table]);

describe.each(backends)("erasure below the rows on $name", (backend) => {
  const suite = useDatabase(backend);
  const { deliver, newShop, paidOrder } = suite;
  let db: Db;
  beforeAll(() => {
    db = suite.db;
  });

  it("customers/redact drops the inbox deliveries still naming the buyer, and keeps everyone else's", async () => {
    const shop = await newShop("inbox-redact");
    const ann = buyer("Ann", { email: "ann.inbox@example.com" });
    const bob = buyer("Bob", { email: "bob.inbox@example.com" });
    await paidOrder(shop, 5101, ann, ago(DAY));
    const waiting = (webhookId: string, status: string, orderShopifyId: string | null, payload: unknown) =>
      db.webhookReceipt.create({ data: { shop, topic: "orders/updated", webhookId, status, orderShopifyId, payload: JSON.stringify(payload), availableAt: NOW } });
    // One gave up retrying, one names her only by address (an order she was never recorded for), one is Bob's.
    await waiting("dead-ann", "failed", "5101", orderPayloadFor(5101, 1101, ann, { processed: ago(DAY), updated: ago(1000) }));
    await waiting("pending-ann", "pending", "5199", orderPayloadFor(5199, 1199, ann, { processed: ago(DAY), updated: ago(1000) }));
    await waiting("pending-bob", "pending", "5102", orderPayloadFor(5102, 1102, bob, { processed: ago(DAY), updated: ago(1000) }));

    const request = { shop_id: 1, shop_domain: shop, customer: { id: 555, email: ann.email }, orders_to_redact: [5101] };
    expect(await deliver(delivery(shop, "customers/redact", request))).toBe("recorded");

    const receipts = await db.webhookReceipt.findMany({ where: { shop }, orderBy: { webhookId: "asc" } });
    for (const receipt of receipts) expect(receipt.payload ?? "", receipt.webhookId).not.toContain(ann.email);
    const byId = Object.fromEntries(receipts.map((r) => [r.webhookId, r]));
    expect(byId["dead-ann"]).toMatchObject({ status: "ignored", payload: null, lastError: "customer data redacted" });
    expect(byId["pending-ann"]).toMatchObject({ status: "ignored", payload: null });
    expect(byId["pending-bob"].status).toBe("pending");
    expect(byId["pending-bob"].payload).toContain(bob.email);
    expect(receipts.filter((r) => r.topic === "customers/redact").map((r) => r.payload)).toEqual([null]);
  });
});

// Each dialect keeps its own residue: the WAL on SQLite, dead tuples on PostgreSQL.
describe.each(backends.filter((b) => b.name === "SQLite"))("the WAL on $name", (backend) => {
  const suite = useDatabase(backend);
  const { deliver, newShop, paidOrder } = suite;

  it("empties the WAL once a redaction has committed", async () => {
    const shop = await newShop("wal-redact");
    const cleo = buyer("Cleo", { email: "cleo.wal@example.com" });
    await paidOrder(shop, 5201, cleo, ago(DAY));
    const wal = `${suite.opened.url.replace(/^file:/, "")}-wal`;
    expect(statSync(wal).size).toBeGreaterThan(0);
    expect(await deliver(delivery(shop, "customers/redact", { shop_domain: shop, customer: { id: 556, email: cleo.email }, orders_to_redact: [5201] }))).toBe("recorded");
    expect(statSync(wal).size).toBe(0);
  });
});

describe.each(backends.filter((b) => b.name === "PostgreSQL"))("VACUUM on $name", (backend) => {
  const suite = useDatabase(backend);
  const { deliver, newShop, paidOrder } = suite;
  let db: Db;
  beforeAll(() => {
    db = suite.db;
  });

  it("VACUUMs every table a redaction touched, after its transaction", async () => {
    expect(isPostgres(db)).toBe(true);
    for (const topic of ["customers/redact", "shop/redact"] as const) {
      const shop = await newShop("vacuum-redact");
      const dora = buyer("Dora", { email: "dora.vacuum@example.com" });
      await paidOrder(shop, 5301, dora, ago(DAY));
      const tables = REDACTED_TABLES[topic];
      const before = await vacuumCounts(db, tables);
      expect(Object.keys(before).sort()).toEqual([...tables].sort());
      const payload = topic === "shop/redact" ? { shop_domain: shop } : { shop_domain: shop, customer: { id: 557, email: dora.email }, orders_to_redact: [5301] };
      expect(await deliver(delivery(shop, topic, payload))).toBe("recorded");
      expect(await db.order.count({ where: { shop, email: dora.email } })).toBe(0);
      // The statistics are shared between connections as each backend reports them.
      await eventually(async () => allVacuumedSince(before, await vacuumCounts(db, tables)), 10_000, `VACUUM after ${topic}`);
    }
  });
});
