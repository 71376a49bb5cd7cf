// The shipment list against a real (temporary SQLite) database: the at-risk `where` finds exactly the
// shipments their own page calls at risk, pages neither skip nor repeat, and nothing crosses shops.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "../../prisma/migrate";
import { createDb, type Db } from "~/db.server";
import { atRiskColumns } from "~/shipments/at-risk";
import { isAtRisk } from "~/notifications/plan";
import { NO_SHIPMENT_FILTERS, atRiskWhere, parseJsonList, type PageRequest } from "./shipments";
import { listShipments, shipmentDetail, shipmentFilterChoices } from "./shipments.server";

const DAY = 86_400_000;
const NOW = new Date("2026-11-20T12:00:00.000Z");
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const SHOP = "list-a.myshopify.com";
const OTHER = "list-b.myshopify.com";
const settings = { atRiskRule: "learned", delayGraceDays: 3, silenceDays: 7 };

let dir: string;
let db: Db;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parcelwise-admin-"));
  const url = `file:${join(dir, "admin.sqlite")}`;
  await migrate(url);
  db = createDb(url);
  await db.shop.createMany({ data: [{ domain: SHOP, timezone: "Europe/Berlin" }, { domain: OTHER }] });
});
afterAll(async () => {
  await db?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe("at risk", () => {
  it("the list's filter and the shipment page agree from the stored at-risk time, on every combination", async () => {
    const statuses = ["success", "cancelled", "failure"];
    const carrierStatuses = [null, "in_transit", "attempted_delivery", "failure", "delayed", "delivered"];
    const estimates = [null, ago(10), ago(2), ago(-5)];
    const lastEvents = [null, ago(20), ago(6), ago(0.5)];
    const shippedDays = [null, ago(30), ago(3)];
    const rows = [];
    let n = 0;
    for (const status of statuses)
      for (const shipmentStatus of carrierStatuses)
        for (const estimatedDeliveryTo of estimates)
          for (const lastEventAt of lastEvents)
            for (const shippedAt of shippedDays)
              for (const tracked of [true, false]) {
                n++;
                const row = {
                  shop: "risk.myshopify.com",
                  shopifyId: `risk-${n}`,
                  orderShopifyId: `o-${n}`,
                  status,
                  shipmentStatus,
                  trackingNumbers: JSON.stringify(tracked ? [`T${n}`] : []),
                  shippedAt,
                  estimatedDeliveryTo,
                  lastEventAt,
                  deliveredAt: shipmentStatus === "delivered" ? ago(1) : null,
                  shopifyUpdatedAt: NOW,
                  createdAt: ago(n % 2 ? 40 : 1),
                };
                rows.push({ ...row, ...atRiskColumns({ ...row, trackingNumbers: JSON.parse(row.trackingNumbers) as string[] }, null, settings) });
              }
    await db.shipment.createMany({ data: rows });
    const found = await db.shipment.findMany({ where: { shop: "risk.myshopify.com", ...atRiskWhere(NOW) }, select: { id: true, shopifyId: true } });
    // The shipment page's own reading of each stored row.
    const stored = await db.shipment.findMany({ where: { shop: "risk.myshopify.com" } });
    const expected = stored.filter((row) => isAtRisk({ ...row, trackingNumbers: parseJsonList(row.trackingNumbers) }, NOW)).map((row) => row.shopifyId);
    expect(expected.length).toBeGreaterThan(50);
    expect(expected.length).toBeLessThan(rows.length / 2);
    expect(found.map((row) => row.shopifyId).sort()).toEqual(expected.sort());
  });
});

describe("the list", () => {
  beforeAll(async () => {
    const shipment = (shop: string, n: number, extra: Record<string, unknown> = {}) => ({
      shop,
      shopifyId: `${shop}-f${n}`,
      orderShopifyId: `${n}`,
      name: `#${1000 + n}.1`,
      status: "success",
      shipmentStatus: n % 3 === 0 ? "delivered" : "in_transit",
      carrierCode: n % 2 ? "dhl_express" : null,
      carrierName: n % 2 ? "DHL Express" : "Local Post",
      trackingNumbers: JSON.stringify([`LP${n}DE`]),
      destinationCountry: n % 4 === 0 ? "FR" : "DE",
      shippedAt: ago(2),
      lastEventAt: ago(1),
      deliveredAt: n % 3 === 0 ? ago(1) : null,
      shopifyUpdatedAt: NOW,
      // Several rows share a creation time: the id breaks the tie.
      createdAt: new Date(NOW.getTime() - Math.floor(n / 3) * 60_000),
      ...extra,
    });
    await db.shipment.createMany({ data: Array.from({ length: 130 }, (_, i) => shipment(SHOP, i + 1)) });
    await db.shipment.createMany({ data: Array.from({ length: 20 }, (_, i) => shipment(OTHER, i + 1)) });
    await db.order.create({ data: { shop: SHOP, shopifyId: "42", name: "#1042", email: "ada@example.test", buyerName: "Ada Lovelace", shopifyUpdatedAt: NOW } });
    await db.order.create({ data: { shop: OTHER, shopifyId: "43", name: "#1043", email: "ada@example.test", shopifyUpdatedAt: NOW } });
  });

  const first = (size = 50): PageRequest => ({ after: null, before: null, size });

  it("walks every page forward and back without gaps or repeats, and only the shop's rows", async () => {
    const seen: string[] = [];
    let page = first();
    const pages = [];
    for (;;) {
      const list = await listShipments(db, SHOP, NO_SHIPMENT_FILTERS, page, NOW);
      expect(list.total).toBe(130);
      pages.push(list.page);
      seen.push(...list.page.items.map((item) => item.id));
      if (!list.page.next) break;
      const last = list.page.items.at(-1)!;
      page = { after: { createdAt: new Date(last.createdAt), id: last.id }, before: null, size: 50 };
    }
    expect(pages.map((p) => p.items.length)).toEqual([50, 50, 30]);
    expect(new Set(seen).size).toBe(130);
    const all = await db.shipment.findMany({ where: { shop: SHOP }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
    expect(seen).toEqual(all.map((row) => row.id));

    // Back from the last page gives the middle page again.
    const back = await listShipments(db, SHOP, NO_SHIPMENT_FILTERS, { after: null, before: decodeFirst(pages[2]!.items[0]!), size: 50 }, NOW);
    expect(back.page.items.map((item) => item.id)).toEqual(pages[1]!.items.map((item) => item.id));
    expect(back.page.previous).not.toBeNull();
  });

  it("filters by status, carrier, country and search, in the database", async () => {
    const list = (filters: Partial<typeof NO_SHIPMENT_FILTERS>) => listShipments(db, SHOP, { ...NO_SHIPMENT_FILTERS, ...filters }, first(200), NOW);
    expect((await list({ statuses: ["delivered"] })).total).toBe(43);
    expect((await list({ carriers: ["dhl_express"] })).total).toBe(65);
    expect((await list({ carriers: ["Local Post"] })).total).toBe(65);
    expect((await list({ countries: ["FR"] })).total).toBe(32);
    expect((await list({ query: "lp17de" })).page.items.map((item) => item.name)).toEqual(["#1017.1"]);
    // By the order's number and by the buyer, through the order lookup; never the other shop's order.
    expect((await list({ query: "#1042" })).page.items.map((item) => item.orderName)).toEqual(["#1042"]);
    expect((await list({ query: "Lovelace" })).page.items.map((item) => item.name)).toEqual(["#1042.1"]);
    expect((await list({ query: "#1043" })).page.items.map((item) => item.name)).toEqual(["#1043.1"]);
  });

  it("offers the carriers and countries the shop has used", async () => {
    const choices = await shipmentFilterChoices(db, SHOP);
    expect(choices.carriers).toEqual([
      { value: "dhl_express", label: "DHL Express" },
      { value: "Local Post", label: "Local Post" },
    ]);
    expect(choices.countries.map((c) => c.value)).toEqual(["DE", "FR"]);
  });

  it("finds a shipment only through its own shop", async () => {
    const theirs = await db.shipment.findFirstOrThrow({ where: { shop: OTHER } });
    expect(await shipmentDetail(db, SHOP, theirs.id, NOW)).toBeNull();
    const detail = await shipmentDetail(db, OTHER, theirs.id, NOW);
    expect(detail?.shipment.id).toBe(theirs.id);
  });
});

function decodeFirst(item: { id: string; createdAt: Date }) {
  return { createdAt: new Date(item.createdAt), id: item.id };
}

