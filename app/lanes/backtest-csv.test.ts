import { describe, expect, it } from "vitest";
import { columnsOf, parseIsoTime, readShipments, splitCsvLine } from "~/lanes/backtest-csv";

const HEADER = "id,carrier,origin_country,origin_region,destination_country,destination_region,paid_at,shipped_at,delivered_at,promised_by";

describe("parseIsoTime", () => {
  it.each([
    ["2016-10-08T13:34:01Z", "2016-10-08T13:34:01.000Z"],
    ["2016-10-08T13:34:01.250Z", "2016-10-08T13:34:01.250Z"],
    ["2016-10-08T10:34:01-03:00", "2016-10-08T13:34:01.000Z"],
    ["2016-10-08 13:34", "2016-10-08T13:34:00.000Z"],
    ["2016-10-08", "2016-10-08T00:00:00.000Z"],
  ])("%s", (text, iso) => {
    expect(parseIsoTime(text)?.toISOString()).toBe(iso);
  });

  it.each(["2016-02-30", "2016-13-01T00:00:00Z", "08/10/2016", "yesterday", "2016-10-08T25:00:00Z", ""])("rejects %j", (text) => {
    expect(parseIsoTime(text)).toBeUndefined();
  });
});

describe("splitCsvLine", () => {
  it("splits plain and quoted fields", () => {
    expect(splitCsvLine("a,,c")).toEqual(["a", "", "c"]);
    expect(splitCsvLine('a,"b, with ""quotes""",c')).toEqual(["a", 'b, with "quotes"', "c"]);
  });
});

describe("readShipments", () => {
  it("keeps good rows and counts every bad one by its line number", async () => {
    const { shipments, skippedLines } = await readShipments([
      HEADER,
      "a,DHL,CN,,US,CA,2025-03-01T08:00:00Z,2025-03-02T10:00:00Z,2025-03-06T12:00:00Z,2025-03-10T00:00:00Z",
      "b,DHL,CN,,US,,,2025-03-02T10:00:00Z,,",
      "c,DHL,CN,,US,,,not a date,2025-03-06T12:00:00Z,",
      "",
      "d,DHL,CN,,US,,,2025-03-02T10:00:00Z,2025-03-01T12:00:00Z,",
      "e,,CN,,US,,,2025-03-02T10:00:00Z,2025-03-06T12:00:00Z,",
      "f,DHL,CN,,US,,2025-02-31T00:00:00Z,2025-03-02T10:00:00Z,,",
    ]);
    expect(shipments.map((s) => [s.id, s.line])).toEqual([["a", 2], ["b", 3]]);
    expect(shipments[0]).toMatchObject({ destinationRegion: "CA", originRegion: null, promisedBy: new Date("2025-03-10T00:00:00Z") });
    expect(shipments[1]).toMatchObject({ deliveredAt: null, paidAt: null, promisedBy: null });
    expect(skippedLines).toEqual([4, 6, 7, 8]);
  });

  it("finds columns by name and refuses a file without them", () => {
    const reordered = columnsOf(HEADER.split(",").reverse().join(","));
    expect(reordered.id).toBe(9);
    expect(() => columnsOf("id,carrier")).toThrow(/missing column\(s\): origin_country/);
  });
});
