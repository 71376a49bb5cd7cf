import { describe, expect, it } from "vitest";
import { carriersReport, type CarrierFigures, type ShipmentRecord } from "~/carriers/performance";

const DAY = 86_400_000;
const HOUR = 3_600_000;
// A Monday. March 2026 has no nationwide public holiday in Germany or Brazil, so business days are weekdays.
const MONDAY = new Date("2026-03-02T10:00:00Z");

function weekdaysAfter(from: Date, n: number): Date {
  let t = from.getTime();
  while (n > 0) {
    t += DAY;
    const weekday = new Date(t).getUTCDay();
    if (weekday !== 0 && weekday !== 6) n--;
  }
  return new Date(t);
}

function parcel(fields: Partial<ShipmentRecord> & { after?: number } = {}): ShipmentRecord {
  const { after, ...rest } = fields;
  const shippedAt = rest.shippedAt ?? MONDAY;
  return {
    carrier: "DHL Express",
    originCountry: "CN",
    destinationCountry: "DE",
    destinationRegion: null,
    firstCarrierEventAt: null,
    deliveredAt: after === undefined ? null : weekdaysAfter(shippedAt, after),
    promisedBy: null,
    hadException: false,
    hadDelayNotice: false,
    ...rest,
    shippedAt,
  };
}

const onlyCarrier = (records: ShipmentRecord[], now: Date): CarrierFigures => {
  const report = carriersReport(records, { now });
  expect(report.lanes).toHaveLength(1);
  expect(report.lanes[0]!.carriers).toHaveLength(1);
  return report.lanes[0]!.carriers[0]!;
};

describe("transit times", () => {
  it.each([
    {
      // Eight delivered after 1..8 days, two still out after 10: ignoring those two would give a median of 4.
      name: "parcels still out late count as at least that slow",
      records: [...[1, 2, 3, 4, 5, 6, 7, 8].map((after) => parcel({ after })), parcel(), parcel()],
      now: weekdaysAfter(MONDAY, 10),
      median: 5,
      p90: null,
      delivered: 8,
      inTransit: 2,
    },
    {
      // Four delivered after 2, 4, 6, 8 days; four shipped last Friday and out for one day: counting those as
      // undelivered would give a median of 8.
      name: "parcels just shipped do not make a lane look slow",
      records: [...[2, 4, 6, 8].map((after) => parcel({ after })), ...[0, 1, 2, 3].map(() => parcel({ shippedAt: new Date("2026-03-13T10:00:00Z") }))],
      now: new Date("2026-03-16T12:00:00Z"),
      median: 4,
      p90: 8,
      delivered: 4,
      inTransit: 4,
    },
    {
      name: "weekends are not counted: Friday to Monday is one business day",
      records: [parcel({ shippedAt: new Date("2026-03-06T15:00:00Z"), deliveredAt: new Date("2026-03-09T09:00:00Z") })],
      now: new Date("2026-03-20T00:00:00Z"),
      median: 1,
      p90: 1,
      delivered: 1,
      inTransit: 0,
    },
  ])("$name", ({ records, now, median, p90, delivered, inTransit }) => {
    const figures = onlyCarrier(records, now);
    expect([figures.medianDays, figures.p90Days, figures.delivered, figures.inTransit]).toEqual([median, p90, delivered, inTransit]);
  });
});

describe("on-time rate against the window promised at the time", () => {
  const promised = (iso: string) => new Date(iso);
  it("judges delivered parcels and overdue ones, never parcels whose promise has not come yet", () => {
    const figures = onlyCarrier(
      [
        // On time: delivered later in the promised day.
        parcel({ promisedBy: promised("2026-03-09T00:00:00Z"), deliveredAt: promised("2026-03-09T18:00:00Z") }),
        // Late by a day.
        parcel({ promisedBy: promised("2026-03-09T10:00:00Z"), deliveredAt: promised("2026-03-10T08:00:00Z") }),
        // Still out, past its promise: late.
        parcel({ promisedBy: promised("2026-03-12T10:00:00Z") }),
        // Still out, promise ahead: not judged yet.
        parcel({ promisedBy: promised("2026-03-25T10:00:00Z") }),
        // No promise: not judged.
        parcel({ after: 3 }),
      ],
      new Date("2026-03-20T12:00:00Z"),
    );
    expect(figures.promisedParcels).toBe(3);
    expect(figures.onTimeRate).toBeCloseTo(1 / 3, 12);
  });

  it("has no rate when nothing promised is due", () => {
    expect(onlyCarrier([parcel({ after: 2 })], new Date("2026-03-20T00:00:00Z")).onTimeRate).toBeNull();
  });
});

describe("shares and hand-over", () => {
  it.each([
    {
      name: "never delivered counts parcels shipped 45 days ago or more, undelivered or delivered later than that",
      records: [
        parcel(),
        parcel({ deliveredAt: new Date("2026-04-20T10:00:00Z") }),
        parcel({ after: 8 }),
        parcel({ shippedAt: new Date("2026-04-20T10:00:00Z") }),
      ],
      read: (f: CarrierFigures) => f.undeliveredShare,
      expected: 2 / 3,
    },
    {
      name: "never delivered is unknown while no parcel is 45 days old",
      records: [parcel({ shippedAt: new Date("2026-04-20T10:00:00Z") }), parcel({ shippedAt: new Date("2026-04-20T10:00:00Z"), after: 3 })],
      read: (f: CarrierFigures) => f.undeliveredShare,
      expected: null,
    },
    {
      name: "exception or customs hold",
      records: [parcel({ hadException: true }), parcel(), parcel(), parcel()],
      read: (f: CarrierFigures) => f.exceptionShare,
      expected: 0.25,
    },
    {
      name: "delay notice",
      records: [parcel({ hadDelayNotice: true }), parcel({ hadDelayNotice: true }), parcel(), parcel()],
      read: (f: CarrierFigures) => f.delayNoticeShare,
      expected: 0.5,
    },
    {
      name: "hand-over is the median of the parcels with a carrier scan, in days",
      records: [12, 36, 60].map((hours) => parcel({ firstCarrierEventAt: new Date(MONDAY.getTime() + hours * HOUR) })).concat(parcel()),
      read: (f: CarrierFigures) => f.handoverDays,
      expected: 1.5,
    },
  ])("$name", ({ records, read, expected }) => {
    const value = read(onlyCarrier(records, new Date("2026-04-30T12:00:00Z")));
    if (expected === null) expect(value).toBeNull();
    else expect(value).toBeCloseTo(expected, 12);
  });
});

describe("lanes", () => {
  const now = new Date("2026-03-31T12:00:00Z");

  it("folds registry aliases into one carrier and keeps an unknown one by its name", () => {
    const records = [
      ...["DHL", "dhl express", "DHL Express", "dhl_express"].map((carrier) => parcel({ carrier, after: 3 })),
      ...["Correios", "correios "].map((carrier) => parcel({ carrier, after: 9 })),
    ];
    const rows = carriersReport(records, { now }).lanes[0]!.carriers.map((c) => [c.id, c.label, c.parcels]);
    expect(rows).toEqual([
      ["dhl_express", "DHL Express", 4],
      ["correios", "Correios", 2],
    ]);
  });

  it("gives a region its own table only with enough parcels, busiest destination first", () => {
    const records = [
      ...Array.from({ length: 5 }, () => parcel({ destinationCountry: "BR", destinationRegion: "SP", after: 5 })),
      ...Array.from({ length: 2 }, () => parcel({ destinationCountry: "BR", destinationRegion: "RJ", after: 5 })),
      ...Array.from({ length: 3 }, () => parcel({ destinationCountry: "de", after: 2 })),
    ];
    const report = carriersReport(records, { now, minRegionParcels: 5 });
    expect(report.lanes.map((lane) => [lane.destination, lane.parcels, lane.regions.map((r) => [r.region, r.parcels])])).toEqual([
      ["BR", 7, [["SP", 5]]],
      ["DE", 3, []],
    ]);
  });

  it("splits a carrier by origin only where the destination is reached from several", () => {
    const records = [parcel({ after: 2, originCountry: "CN" }), parcel({ after: 2, originCountry: "CN" }), parcel({ after: 4, originCountry: "US" })];
    expect(carriersReport(records, { now }).lanes[0]!.carriers.map((c) => [c.id, c.label])).toEqual([
      ["dhl_express|CN", "DHL Express from China"],
      ["dhl_express|US", "DHL Express from United States"],
    ]);
  });

  it("counts the transit distribution per business day, the last bar holding the slowest", () => {
    const records = [parcel({ after: 1 }), parcel({ after: 3 }), parcel({ after: 3 }), parcel({ carrier: "UPS", after: 2 }), parcel()];
    const lane = carriersReport(records, { now }).lanes[0]!;
    expect(lane.histogramDays).toBe(3);
    expect(lane.carriers.map((c) => [c.label, c.transitHistogram])).toEqual([
      ["DHL Express", [0, 1, 0, 2]],
      ["UPS", [0, 0, 1, 0]],
    ]);
    const slow = carriersReport([parcel({ after: 60 }), parcel({ after: 2 })], { now: new Date("2026-07-01T00:00:00Z") }).lanes[0]!;
    expect([slow.histogramDays, slow.histogramCapped, lane.histogramCapped]).toEqual([40, true, false]);
    expect(slow.carriers[0]!.transitHistogram[40]).toBe(1);
  });

  it("gives each of the last weeks its median by shipping week, unknown while most are out", () => {
    const now = new Date("2026-03-18T12:00:00Z"); // Wednesday of the week of 16 March
    const records = [
      ...[2, 4, 6].map((after) => parcel({ shippedAt: new Date("2026-03-02T10:00:00Z"), after })),
      ...[1, 1, 3].map((after) => parcel({ shippedAt: new Date("2026-03-09T10:00:00Z"), after })),
      parcel({ shippedAt: new Date("2026-03-16T10:00:00Z") }),
    ];
    const report = carriersReport(records, { now, weeks: 4 });
    expect(report.weeks).toEqual(["2026-02-23", "2026-03-02", "2026-03-09", "2026-03-16"]);
    expect(report.lanes[0]!.carriers[0]!.weeklyMedianDays).toEqual([null, 4, 1, null]);
  });
});

describe("the lane with the worst on-time rate", () => {
  const promisedLate = (carrier: string, destinationCountry: string, late: boolean) =>
    parcel({ carrier, destinationCountry, promisedBy: weekdaysAfter(MONDAY, 5), after: late ? 7 : 4 });
  const many = (n: number, make: (i: number) => ShipmentRecord) => Array.from({ length: n }, (_, i) => make(i));

  it.each([
    {
      name: "picks the lowest rate among carriers with enough promised parcels",
      records: [
        ...many(20, (i) => promisedLate("DHL Express", "DE", i < 5)), // 75% on time
        ...many(20, (i) => promisedLate("Correios", "BR", i < 10)), // 50%
        ...many(19, () => promisedLate("UPS", "FR", true)), // 0%, but too few to judge
      ],
      expected: { destination: "BR", carrier: "correios", label: "Correios", onTimeRate: 0.5, promisedParcels: 20 },
    },
    {
      name: "names none when no carrier has enough",
      records: many(19, () => promisedLate("UPS", "FR", true)),
      expected: null,
    },
  ])("$name", ({ records, expected }) => {
    expect(carriersReport(records, { now: new Date("2026-03-31T00:00:00Z") }).worstOnTime).toEqual(expected);
  });
});
