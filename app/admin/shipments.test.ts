import { describe, expect, it } from "vitest";
import {
  decodeCursor,
  encodeCursor,
  formatWindow,
  humanize,
  keysetQuery,
  pageOf,
  parseJsonList,
  parsePageRequest,
  parseShipmentFilters,
  shipmentFilterParams,
  shipmentsWhere,
  trackingLinks,
} from "./shipments";
import { webUrl } from "~/tracking/web-url";

const settings = { delayGraceDays: 3, silenceDays: 7 };
const NOW = new Date("2026-11-20T12:00:00.000Z");

describe("shipment filters from the URL", () => {
  it("keeps the values the list offers and drops the rest", () => {
    const filters = parseShipmentFilters(
      new URLSearchParams("query=%231001&status=in_transit&status=bogus&status=cancelled,delivered&carrier=dhl&country=de&country=Germany&atRisk=1"),
    );
    expect(filters).toEqual({
      query: "#1001",
      statuses: ["in_transit", "cancelled", "delivered"],
      carriers: ["dhl"],
      countries: ["DE"],
      atRisk: true,
    });
  });

  it("round-trips through the URL", () => {
    const filters = { query: "LX123", statuses: ["failure" as const], carriers: ["ups", "Local Post"], countries: ["FR"], atRisk: true };
    expect(parseShipmentFilters(shipmentFilterParams(filters))).toEqual(filters);
  });

  it("scopes every query to the shop, with or without filters", () => {
    expect(shipmentsWhere("a.myshopify.com", parseShipmentFilters(new URLSearchParams()), { settings, now: NOW })).toEqual({ shop: "a.myshopify.com" });
    const where = shipmentsWhere("a.myshopify.com", parseShipmentFilters(new URLSearchParams("status=delivered&atRisk=1")), { settings, now: NOW });
    expect(where.shop).toBe("a.myshopify.com");
    expect(where.AND).toHaveLength(2);
  });

  it("searches order ids found by the order lookup", () => {
    const where = shipmentsWhere("a", { query: "Ada", statuses: [], carriers: [], countries: [], atRisk: false }, { settings, now: NOW, orderIds: ["77"] });
    expect(JSON.stringify(where)).toContain('"in":["Ada","77"]');
    expect(JSON.stringify(where)).toContain('"contains":"ADA"');
  });
});

describe("keyset pages", () => {
  const row = (n: number) => ({ id: `id${String(n).padStart(3, "0")}`, createdAt: new Date(NOW.getTime() - n * 1000) });

  it("encodes and decodes a cursor, and rejects anything else", () => {
    const cursor = row(5);
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor("not a cursor")).toBeNull();
    expect(decodeCursor(Buffer.from("123.id'; DROP TABLE").toString("base64url"))).toBeNull();
    expect(decodeCursor(null)).toBeNull();
  });

  it("reads one more row than a page to see whether another follows", () => {
    const first = parsePageRequest(new URLSearchParams(), 2);
    expect(keysetQuery(first)).toEqual({ where: {}, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 3 });
    const page = pageOf([row(1), row(2), row(3)], first);
    expect(page.items.map((r) => r.id)).toEqual(["id001", "id002"]);
    expect(decodeCursor(page.next)).toEqual(row(2));
    expect(page.previous).toBeNull();
  });

  it("goes forward after a cursor and back before one", () => {
    const after = parsePageRequest(new URLSearchParams({ after: encodeCursor(row(2)) }), 2);
    expect(keysetQuery(after).where).toEqual({
      createdAt: { lte: row(2).createdAt },
      OR: [{ createdAt: { lt: row(2).createdAt } }, { id: { lt: "id002" } }],
    });
    const last = pageOf([row(3)], after);
    expect(last.next).toBeNull();
    expect(decodeCursor(last.previous)).toEqual(row(3));

    const before = parsePageRequest(new URLSearchParams({ before: encodeCursor(row(3)) }), 2);
    expect(keysetQuery(before).orderBy).toEqual([{ createdAt: "asc" }, { id: "asc" }]);
    // Rows arrive oldest first and are turned back to newest first.
    const back = pageOf([row(2), row(1)], before);
    expect(back.items.map((r) => r.id)).toEqual(["id001", "id002"]);
    expect(back.previous).toBeNull();
    expect(decodeCursor(back.next)).toEqual(row(2));
  });
});

describe("the shipment page's facts", () => {
  it("links only http(s) tracking pages", () => {
    expect(webUrl("javascript:alert(1)")).toBeNull();
    expect(webUrl("https://www.dhl.com/track?id=1")).toBe("https://www.dhl.com/track?id=1");
    expect(trackingLinks(["A", "B"], ["https://t.example/A"])).toEqual([
      { number: "A", url: "https://t.example/A" },
      { number: "B", url: null },
    ]);
  });

  it("reads stored JSON lists defensively", () => {
    expect(parseJsonList('["1", 2, "3"]')).toEqual(["1", "3"]);
    expect(parseJsonList("oops")).toEqual([]);
  });

  it("shows windows and statuses in the merchant's words", () => {
    expect(formatWindow("2026-03-03T10:00:00Z", "2026-03-07T10:00:00Z", "Europe/Berlin")).toBe("Mar 3, 2026 – Mar 7, 2026");
    expect(formatWindow(null, "2026-03-07T10:00:00Z", "UTC")).toBe("Mar 7, 2026");
    expect(humanize("attempted_delivery")).toBe("Attempted delivery");
  });
});
