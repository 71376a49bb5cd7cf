// The record path's raw statements (app/db/rows.server.ts) against Prisma, on real databases: a row
// written either way reads back the same through Prisma (dates, booleans, nulls, floats, enums, JSON
// strings), an update sets only the columns named, and a lease written by one is matched by the other.
import { describe, expect, it } from "vitest";
import type { Db } from "~/db.server";
import { inTransaction, leaseReceipts, lockInOrder, markReceiptsProcessed, modelOf, newRow, prismaSession, rowVersions, selectRows, writeRows, type Row, type Session } from "~/db/rows.server";
import { ago, backends, DAY, HOUR, MINUTE, NOW, useDatabase } from "./harness";

// Each test twice: on the database's own driver (the batch's path) and through Prisma's raw queries (the fallback).
const paths: Array<{ name: string; run: <T>(db: Db, work: (session: Session) => Promise<T>) => Promise<T> }> = [
  { name: "the driver", run: (db, work) => inTransaction(db, work) },
  { name: "Prisma's raw queries", run: (db, work) => db.$transaction((tx) => work(prismaSession(tx))) },
];

describe.each(backends.flatMap((backend) => paths.map((path) => ({ ...backend, path, label: `${backend.name}, ${path.name}` }))))("raw rows on $label", (backend) => {
  const suite = useDatabase(backend);
  const { newShop } = suite;
  const inTx = backend.path.run;

  it("an Order, a Shipment, a Notification and a Shop written raw read back as Prisma wrote them", async () => {
    const shop = await newShop("rows");
    const db = suite.db;
    const order = {
      shop,
      shopifyId: "9001",
      name: "#9001",
      email: "ida@example.com",
      buyerName: null,
      shippingAddress: JSON.stringify({ city: "Zürich", zip: "8001" }),
      locale: "de-CH",
      destinationCountry: "CH",
      destinationRegion: null,
      financialStatus: "paid",
      cancelledAt: null,
      paidAt: new Date("2026-11-19T08:15:30.123Z"),
      processedAt: ago(DAY),
      shopifyUpdatedAt: ago(HOUR),
    };
    const viaPrisma = await db.order.create({ data: order });
    await inTx(db, (tx) => writeRows(tx, "Order", [newRow(modelOf("Order"), { ...order, shopifyId: "9002" })]));
    const viaRaw = await db.order.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: "9002" } } });
    const same = (row: Record<string, unknown>) => {
      const { id: _id, shopifyId: _s, createdAt: _c, updatedAt: _u, ...rest } = row;
      return rest;
    };
    expect(same(viaRaw)).toEqual(same(viaPrisma));
    expect(viaRaw.currency).toBe("USD"); // the schema's default
    // And as stored, below Prisma (on SQLite, the very text Prisma writes for a date).
    const stored = await db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT "paidAt", "processedAt", "shopifyUpdatedAt", "cancelledAt", "buyerName" FROM "Order" WHERE "id" IN ('${viaPrisma.id}', '${viaRaw.id}') ORDER BY "shopifyId"`,
    );
    expect(stored).toHaveLength(2);
    expect(stored[1]).toEqual(stored[0]);
    expect(viaRaw.createdAt).toBeInstanceOf(Date);
    // Read raw, both rows decode to what Prisma reads.
    const readRaw = await inTx(db, (tx) => selectRows(tx, "Order", ["shop", shop], "shopifyId", ["9001", "9002"]));
    expect(readRaw.sort((a, b) => String(a.shopifyId).localeCompare(String(b.shopifyId)))).toEqual([viaPrisma, viaRaw]);

    const shipment = {
      shop,
      shopifyId: "7001",
      orderShopifyId: "9001",
      name: null,
      status: "success",
      shipmentStatus: null,
      trackingCompany: "UPS",
      trackingNumbers: JSON.stringify(["1Z999"]),
      trackingUrls: "[]",
      shippedAt: ago(2 * DAY),
      estimatedDeliveryFrom: ago(-DAY),
      estimatedDeliveryTo: ago(-3 * DAY),
      estimateSource: "lane",
      estimateParcels: 42,
      atRiskAt: null,
      shopifyUpdatedAt: ago(2 * DAY),
    };
    const shipPrisma = await db.shipment.create({ data: shipment });
    await inTx(db, (tx) => writeRows(tx, "Shipment", [newRow(modelOf("Shipment"), { ...shipment, shopifyId: "7002" })]));
    const shipRaw = await db.shipment.findUniqueOrThrow({ where: { shop_shopifyId: { shop, shopifyId: "7002" } } });
    expect(same(shipRaw)).toEqual(same(shipPrisma));
    expect(await inTx(db, (tx) => selectRows(tx, "Shipment", ["shop", shop], "shopifyId", ["7002"]))).toEqual([shipRaw]);

    const notification = {
      shop,
      kind: "shipping_confirmation",
      planKey: "shipping_confirmation:7001",
      orderShopifyId: "9001",
      shipmentShopifyId: "7001",
      trackingNumber: "1Z999",
      locale: "de-CH",
      recipient: "ida@example.com",
      scheduledFor: NOW,
    };
    const notePrisma = await db.notification.create({ data: notification });
    const raw = newRow(modelOf("Notification"), { ...notification, planKey: "shipping_confirmation:7002", status: "cancelled" });
    await inTx(db, (tx) => writeRows(tx, "Notification", [raw]));
    const noteRaw = await db.notification.findUniqueOrThrow({ where: { id: raw.id } });
    expect(same({ ...noteRaw, planKey: null, status: null })).toEqual(same({ ...notePrisma, planKey: null, status: null }));
    expect(noteRaw.status).toBe("cancelled");
    expect(await db.notification.count({ where: { shop, status: "cancelled" } })).toBe(1);

    // Booleans and floats, through an update of some columns only: the rest of the row stays.
    const shopRow = await db.shop.findUniqueOrThrow({ where: { domain: shop } });
    await inTx(db, (tx) =>
      writeRows(tx, "Shop", [{ ...shopRow, id: shopRow.domain, handlingEnabled: false, estimateCoverage: 0.75, name: "not written" } as unknown as Row], {
        conflict: ["domain"],
        update: ["handlingEnabled", "estimateCoverage"],
      }),
    );
    const updated = await db.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(updated).toEqual({ ...shopRow, handlingEnabled: false, estimateCoverage: 0.75 });
    expect(await inTx(db, (tx) => selectRows(tx, "Shop", null, "domain", [shop]))).toEqual([updated]);
    expect(await db.shop.count({ where: { domain: shop, handlingEnabled: false } })).toBe(1);
    const flags = await db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT "handlingEnabled", "shippingEnabled" FROM "Shop" WHERE "domain" = '${shop}'`);
    expect([flags[0]!.handlingEnabled, flags[0]!.shippingEnabled].map(Boolean)).toEqual([false, true]);
  });

  it("a row's version is the same read by selectRows and by rowVersions until the row changes; a row added to a lookup shows, one left out does not", async () => {
    const shop = await newShop("versions");
    const db = suite.db;
    const base = { shop, name: "#1", processedAt: ago(DAY), shopifyUpdatedAt: ago(DAY), emailKey: "key-a" };
    const first = await db.order.create({ data: { ...base, shopifyId: "9101" } });
    const second = await db.order.create({ data: { ...base, shopifyId: "9102" } });
    const lookup = { model: "Order", scope: ["shop", shop] as const, column: "emailKey", values: ["key-a"] };
    const read = new Map<string, string>();
    const rows = await inTx(db, (tx) => selectRows(tx, "Order", ["shop", shop], "emailKey", ["key-a"], read));
    expect(rows.map((r) => r.id).sort()).toEqual([first.id, second.id].sort());
    const now = async () => new Map((await inTx(db, (tx) => rowVersions(tx, [lookup, { ...lookup, column: "shopifyId", values: ["9101"] }]))).map((v) => [v.id, v.version]));
    expect(await now()).toEqual(read);
    // Any column, not only updatedAt: a raw write that leaves updatedAt alone changes the version too.
    await db.$executeRawUnsafe(`UPDATE "Order" SET "financialStatus" = 'refunded' WHERE "id" = '${first.id}'`);
    const changed = await now();
    expect(changed.get(first.id)).not.toBe(read.get(first.id));
    expect(changed.get(second.id)).toBe(read.get(second.id));
    const third = await db.order.create({ data: { ...base, shopifyId: "9103" } });
    expect([...(await now()).keys()].sort()).toEqual([first.id, second.id, third.id].sort());
    // Rows held already are left out of a read.
    const rest = await inTx(db, (tx) => selectRows(tx, "Order", ["shop", shop], "emailKey", ["key-a"], undefined, [first.id, third.id]));
    expect(rest.map((r) => r.id)).toEqual([second.id]);
  });

  it("a lease written raw is the one Prisma compares, and the other way round", async () => {
    const shop = await newShop("rows-lease");
    const db = suite.db;
    const now = new Date();
    const receipt = await db.webhookReceipt.create({ data: { shop, topic: "orders/paid", webhookId: "wh-rows-1", payload: "{}", availableAt: new Date(now.getTime() - MINUTE) } });
    const lease = new Date(now.getTime() + MINUTE);
    const ids = await inTx(db, (tx) => leaseReceipts(tx, now, 1000, lease));
    expect(ids).toContain(receipt.id);
    expect(await db.webhookReceipt.findUniqueOrThrow({ where: { id: receipt.id } })).toMatchObject({ status: "processing", leaseUntil: lease, attempts: 1 });
    // Prisma's compare-and-set (processReceipt's, the retry's) matches the raw lease.
    expect(await db.webhookReceipt.count({ where: { id: receipt.id, status: "processing", leaseUntil: lease } })).toBe(1);
    // Not due again while leased.
    expect(await inTx(db, (tx) => leaseReceipts(tx, now, 1000, lease))).not.toContain(receipt.id);

    // A lease Prisma wrote is matched by the raw settle; a stale lease settles nothing.
    const other = new Date(lease.getTime() + 1);
    await db.webhookReceipt.update({ where: { id: receipt.id }, data: { leaseUntil: other } });
    await inTx(db, async (tx) => {
      await lockInOrder(tx, [`${shop}/1`, `${shop}/2`, `${shop}/1`]);
      expect(await markReceiptsProcessed(tx, [receipt.id], lease, now)).toEqual(new Set());
      expect(await markReceiptsProcessed(tx, [receipt.id], other, now)).toEqual(new Set([receipt.id]));
    });
    expect(await db.webhookReceipt.findUniqueOrThrow({ where: { id: receipt.id } })).toMatchObject({ status: "processed", payload: null, leaseUntil: null, processedAt: now, lastError: null });
  });
});

describe.each(backends)("rows read on the reader connection on $name", (backend) => {
  const suite = useDatabase(backend);

  it("reads each model's rows as Prisma does: dates, booleans, big integers, floats, nulls, text of any script; a statement repeated, a failing one and the next", async () => {
    const db = suite.db;
    const shop = await suite.newShop("reader");
    await db.shop.update({ where: { domain: shop }, data: { handlingEnabled: false, estimateCoverage: 0.75, name: "Kumo 雲 — Ceramics" } });
    await db.order.create({ data: { shop, shopifyId: "9101", name: "#9101", email: "ida@example.com", paidAt: new Date("2026-11-19T08:15:30.123Z"), shopifyUpdatedAt: ago(HOUR), unfulfilledQuantity: 3 } });
    await db.shipment.create({ data: { shop, shopifyId: "7101", orderShopifyId: "9101", status: "success", trackingNumbers: "[]", trackingUrls: "[]", estimateParcels: 42, shopifyUpdatedAt: ago(DAY) } });
    await db.session.create({ data: { id: `offline_${shop}`, shop, state: "s", accessToken: "shpat_x", userId: 9_007_199_254_740_000n, accountOwner: true, collaborator: null, expires: ago(-DAY) } });
    const read = <T,>(work: (session: Session) => Promise<T>) => inTransaction(db, work, { readOnly: true });
    for (let round = 0; round < 2; round++) {
      expect(await read((s) => selectRows(s, "Shop", null, "domain", [shop]))).toEqual([await db.shop.findUniqueOrThrow({ where: { domain: shop } })]);
      expect(await read((s) => selectRows(s, "Order", ["shop", shop], "shopifyId", ["9101", "9199"]))).toEqual(await db.order.findMany({ where: { shop } }));
      expect(await read((s) => selectRows(s, "Shipment", ["shop", shop], "shopifyId", ["7101"]))).toEqual(await db.shipment.findMany({ where: { shop } }));
      const [session] = await read((s) => selectRows(s, "Session", null, "id", [`offline_${shop}`]));
      const prisma = await db.session.findUniqueOrThrow({ where: { id: `offline_${shop}` } });
      // Prisma gives a BigInt column as a bigint; the raw path as the number it is (safe below 2^53).
      expect({ ...session, userId: BigInt(session!.userId as number) }).toEqual(prisma);
    }
    await expect(read((s) => s.run(`SELECT * FROM "NoSuchTable"`, []))).rejects.toThrow(/no such table|does not exist/);
    expect((await read((s) => s.run(`SELECT COUNT(*) AS n FROM "Order" WHERE "shop" = ${s.postgres ? "$1" : "?"}`, [shop]))).map((r) => Number(r.n))).toEqual([1]);
  });
});
