import { describe, expect, it } from "vitest";
import { carriersReport, type ShipmentRecord } from "~/carriers/performance";
import { carriersView, formatShare, transitDaysLabel, weekLabel } from "~/admin/carriers";
import { carriersCsvLines } from "~/admin/carriers-csv";

const now = new Date("2026-03-31T12:00:00Z");
const parcel = (destinationCountry: string, destinationRegion: string | null, carrier = "DHL Express"): ShipmentRecord => ({
  carrier,
  originCountry: "CN",
  destinationCountry,
  destinationRegion,
  shippedAt: new Date("2026-03-02T10:00:00Z"),
  firstCarrierEventAt: null,
  deliveredAt: new Date("2026-03-05T10:00:00Z"),
  promisedBy: null,
  hadException: false,
  hadDelayNotice: false,
});
const report = carriersReport([...Array.from({ length: 3 }, () => parcel("US", "CA")), parcel("US", "NY"), parcel("DE", null)], { now, minRegionParcels: 3 });

describe("carriersView", () => {
  it.each([
    { query: "", lane: ["US", null] },
    { query: "destination=de", lane: ["DE", null] },
    { query: "destination=US&region=ca", lane: ["US", "CA"] },
    // New York has too few parcels for a table of its own: the whole country instead.
    { query: "destination=US&region=NY", lane: ["US", null] },
    { query: "destination=XX", lane: ["US", null] },
  ])("?$query shows $lane", ({ query, lane }) => {
    const view = carriersView(report, new URLSearchParams(query));
    expect([view.lane?.destination, view.lane?.region]).toEqual(lane);
    expect(view.choices.map((c) => [c.destination, c.name, c.parcels, c.regions])).toEqual([
      ["US", "United States", 4, [{ region: "CA", parcels: 3 }]],
      ["DE", "Germany", 1, []],
    ]);
  });

  it("has no lane without history", () => {
    expect(carriersView(carriersReport([], { now }), new URLSearchParams()).lane).toBeNull();
  });
});

describe("how figures read", () => {
  it.each([
    [null, "–"],
    [0, "0%"],
    [0.545, "55%"],
    [1, "100%"],
  ])("share %s reads %s", (share, text) => expect(formatShare(share)).toBe(text));

  it("marks the last bar of a capped distribution as open-ended, and weeks by their Monday", () => {
    expect(transitDaysLabel({ histogramDays: 40, histogramCapped: true }, 40)).toBe("40+");
    expect(transitDaysLabel({ histogramDays: 40, histogramCapped: false }, 40)).toBe("40");
    expect(weekLabel("2026-03-02")).toBe("2 Mar");
  });
});

describe("carriersCsvLines", () => {
  it("writes every destination and region, and defuses a carrier name that is a formula", () => {
    const withFormula = carriersReport([parcel("FR", null, "@SUM(A1)")], { now });
    const lines = [...carriersCsvLines(withFormula)];
    expect(lines[1]).toBe("FR,,'@SUM(A1),CN,1,1,0,3,3,,0,0.0000,0.0000,,\r\n");
    expect([...carriersCsvLines(report)].map((line) => line.split(",").slice(0, 3).join(","))).toEqual([
      "destination_country,destination_region,carrier",
      "US,,DHL Express",
      "US,CA,DHL Express",
      "DE,,DHL Express",
    ]);
  });
});
