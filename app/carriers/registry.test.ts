import { describe, it, expect } from "vitest";
import {
  CARRIERS,
  COUNTRY_REGIONS,
  carrierByCode,
  findCarrier,
  guessCarrierByNumber,
  regionOf,
  trackingUrlFor,
  transitBusinessDays,
  type Carrier,
  type Region,
} from "~/carriers/registry";

const REGIONS: Region[] = [
  "domestic",
  "north_america",
  "europe",
  "asia",
  "oceania",
  "latin_america",
  "middle_east",
  "africa",
];

// ISO 3166-1 alpha-2, all 249 officially assigned codes.
const ISO_3166 = `
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ
BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR
CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU
ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ
LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF
PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI
SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR
TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`
  .trim()
  .split(/\s+/);

function code(c: Carrier | undefined): string | undefined {
  return c?.code;
}

describe("CARRIERS data", () => {
  it.each([
    "ems", "dhl_express", "fedex", "ups", "tnt", "sf_express", "usps", "china_post", "royal_mail",
    "canada_post", "australia_post", "japan_post", "dpd", "gls", "postnl", "yunexpress", "4px",
    "yanwen", "cainiao",
  ])("includes %s", (c) => {
    expect(carrierByCode(c)?.code).toBe(c);
  });

  it("has unique, stable lowercase codes", () => {
    const codes = CARRIERS.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^[a-z0-9_]+$/);
  });

  describe.each(CARRIERS.map((c) => [c.code, c] as const))("%s", (_code, carrier) => {
    it("has a [min, max] window for every region with 1 <= min <= max", () => {
      expect(Object.keys(carrier.transitDays).sort()).toEqual([...REGIONS].sort());
      for (const r of REGIONS) {
        const [min, max] = carrier.transitDays[r];
        expect(Number.isInteger(min) && Number.isInteger(max), r).toBe(true);
        expect(min, r).toBeGreaterThanOrEqual(1);
        expect(min, r).toBeLessThanOrEqual(max);
      }
    });

    it("is slowest to Africa, which unknown destinations fall back to", () => {
      const africaMax = carrier.transitDays.africa[1];
      for (const r of REGIONS) expect(africaMax, r).toBeGreaterThanOrEqual(carrier.transitDays[r][1]);
    });

    it("has an https tracking template with {number} and anchored patterns", () => {
      expect(carrier.trackingUrlTemplate).toMatch(/^https:\/\//);
      expect(carrier.trackingUrlTemplate).toContain("{number}");
      for (const p of carrier.numberPatterns) {
        expect(p.source.startsWith("^") && p.source.endsWith("$"), p.source).toBe(true);
      }
    });

    it("is found by its own name, code and every alias", () => {
      for (const n of [carrier.name, carrier.code, ...carrier.aliases]) {
        expect(code(findCarrier(n)), n).toBe(carrier.code);
      }
    });
  });
});

describe("findCarrier by company", () => {
  it.each([
    ["DHL Express", "dhl_express"],
    ["dhl express", "dhl_express"],
    ["DHL-Express", "dhl_express"],
    ["  DHL_EXPRESS  ", "dhl_express"],
    ["DHL", "dhl_express"],
    ["ＤＨＬ", "dhl_express"], // full-width
    ["UPS", "ups"],
    ["u.p.s.", "ups"],
    ["FedEx", "fedex"],
    ["Fed Ex", "fedex"],
    ["SF Express", "sf_express"],
    ["S.F. Express", "sf_express"],
    ["顺丰", "sf_express"],
    ["China EMS", "ems"],
    ["China EMS (ePacket)", "ems"],
    ["EMS", "ems"],
    ["4PX", "4px"],
    ["4 px", "4px"],
    ["Yun Express", "yunexpress"],
    ["YunExpress", "yunexpress"],
    ["yun-express", "yunexpress"],
    ["Cainiao", "cainiao"],
    ["Royal Mail", "royal_mail"],
    ["ROYAL.MAIL", "royal_mail"],
    ["Canada Post", "canada_post"],
    ["Australia Post", "australia_post"],
    ["Japan Post (EN)", "japan_post"],
    ["japan post en", "japan_post"],
    ["Japan Post (JA)", "japan_post"],
    ["PostNL", "postnl"],
    ["Post NL", "postnl"],
    ["DPD", "dpd"],
    ["GLS", "gls"],
    ["USPS", "usps"],
    ["U.S.P.S.", "usps"],
    ["TNT", "tnt"],
    ["Yanwen", "yanwen"],
    ["China Post", "china_post"],
    ["china-post", "china_post"],
  ])("%j → %s", (company, expected) => {
    expect(code(findCarrier(company))).toBe(expected);
  });

  it.each([["DHL eCommerce"], ["GLS (US)"], ["Sagawa (EN)"], [""], ["   "], ["---"]])(
    "does not map %j to a carrier by name",
    (company) => {
      expect(findCarrier(company)).toBeUndefined();
    },
  );

  it("prefers the company name over the number format", () => {
    expect(code(findCarrier("DHL", "1Z999AA10123456784"))).toBe("dhl_express");
  });

  it("guesses from the number when the company is missing or unknown", () => {
    expect(code(findCarrier(null, "1Z999AA10123456784"))).toBe("ups");
    expect(code(findCarrier(undefined, "1Z999AA10123456784"))).toBe("ups");
    expect(code(findCarrier("", "1Z999AA10123456784"))).toBe("ups");
    expect(code(findCarrier("Other", "YT2412345678901234"))).toBe("yunexpress");
    expect(findCarrier("Other", null)).toBeUndefined();
  });
});

describe("guessing by tracking number", () => {
  it.each([
    ["1Z999AA10123456784", "ups"],
    ["1z 999 aa1 0123 456 784", "ups"],
    ["EE123456789CN", "ems"],
    ["ea123456789cn", "ems"],
    ["RR123456789CN", "china_post"],
    ["LX123456789CN", "china_post"],
    ["UA123456789CN", "china_post"],
    ["SF1234567890123", "sf_express"],
    ["SF123456789012", "sf_express"],
    ["YT2412345678901234", "yunexpress"],
    ["LP00123456789012", "cainiao"],
    ["4PX3001234567890CN", "4px"],
    ["UG123456789YP", "yanwen"],
    ["RR123456789GB", "royal_mail"],
    ["LZ123456789US", "usps"],
    ["9400111899223100000000", "usps"],
    ["9622001900000000000000", "fedex"],
    ["GE123456789WW", "tnt"],
    ["3SABCD1234567", "postnl"],
    ["CP123456789JP", "japan_post"],
    ["EE123456789JP", "japan_post"],
    ["RR123456789AU", "australia_post"],
    ["RR123456789CA", "canada_post"],
    ["LS123456789NL", "postnl"],
  ])("%s → %s", (number, expected) => {
    expect(code(findCarrier(null, number))).toBe(expected);
    // The guess must come from exactly one carrier's patterns.
    const n = number.toUpperCase().replace(/\s+/g, "");
    expect(CARRIERS.filter((c) => c.numberPatterns.some((p) => p.test(n))).map((c) => c.code)).toEqual([
      expected,
    ]);
  });

  it.each([
    ["1234567890"], // DHL Express waybill shape, also many local carriers
    ["123456789012"], // FedEx-like, also SF/Japan Post domestic
    ["12345678901234"], // DPD-like
    ["RR123456789DE"], // Deutsche Post: not in the registry
    ["SF12345"], // too short
    ["1Z999AA1012345678"], // UPS with a digit missing
    ["hello"],
    [""],
  ])("does not guess for %j", (number) => {
    expect(findCarrier(null, number)).toBeUndefined();
  });

  it("returns undefined rather than picking one when two carriers' patterns match", () => {
    const a: Carrier = { ...CARRIERS[0], code: "a", numberPatterns: [/^AB\d+$/] };
    const b: Carrier = { ...CARRIERS[0], code: "b", numberPatterns: [/^[A-Z]{2}\d+$/] };
    expect(guessCarrierByNumber("AB123", [a, b])).toBeUndefined();
    expect(guessCarrierByNumber("XY123", [a, b])?.code).toBe("b");
  });
});

describe("trackingUrlFor", () => {
  const ups = carrierByCode("ups")!;

  it("substitutes the number into the template", () => {
    expect(trackingUrlFor(ups, "1Z999AA10123456784")).toBe(
      "https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784",
    );
    expect(trackingUrlFor(carrierByCode("4px")!, "4PX3001234567890CN")).toBe(
      "https://track.4px.com/#/result/0/4PX3001234567890CN",
    );
  });

  it.each([
    ["AB 12/3", "AB%2012%2F3"],
    ["a&b=c", "a%26b%3Dc"],
    ["x#y?z", "x%23y%3Fz"],
    ["$&$1", "%24%26%241"],
    ["  RR123456789CN  ", "RR123456789CN"],
    ["顺丰", "%E9%A1%BA%E4%B8%B0"],
  ])("encodes %j as %s", (number, encoded) => {
    expect(trackingUrlFor(ups, number)).toBe(`https://www.ups.com/track?loc=en_US&tracknum=${encoded}`);
  });

  it("leaves no placeholder in any carrier's URL", () => {
    for (const c of CARRIERS) {
      const url = trackingUrlFor(c, "RR123456789CN");
      expect(url, c.code).not.toContain("{number}");
      expect(url, c.code).toContain("RR123456789CN");
      expect(() => new URL(url), c.code).not.toThrow();
    }
  });
});

describe("regionOf", () => {
  it.each([
    ["US", "north_america"],
    ["CA", "north_america"],
    ["PR", "north_america"],
    ["MX", "latin_america"],
    ["BR", "latin_america"],
    ["AR", "latin_america"],
    ["JM", "latin_america"],
    ["GB", "europe"],
    ["DE", "europe"],
    ["fr", "europe"],
    [" ch ", "europe"],
    ["NO", "europe"],
    ["UK", "europe"],
    ["TR", "europe"],
    ["JP", "asia"],
    ["CN", "asia"],
    ["HK", "asia"],
    ["IN", "asia"],
    ["SG", "asia"],
    ["KZ", "asia"],
    ["AU", "oceania"],
    ["NZ", "oceania"],
    ["FJ", "oceania"],
    ["AE", "middle_east"],
    ["SA", "middle_east"],
    ["IL", "middle_east"],
    ["ZA", "africa"],
    ["NG", "africa"],
    ["EG", "africa"],
    ["KE", "africa"],
  ])("%j → %s", (country, region) => {
    expect(regionOf(country)).toBe(region);
    expect(regionOf(country, "ZZ")).toBe(region);
  });

  it.each([
    ["US", "US"],
    ["de", "DE"],
    ["CN", " cn "],
    ["GB", "UK"],
  ])("%s from %s is domestic", (dest, origin) => {
    expect(regionOf(dest, origin)).toBe("domestic");
  });

  it("is not domestic without an origin", () => {
    expect(regionOf("US")).toBe("north_america");
    expect(regionOf("US", null)).toBe("north_america");
    expect(regionOf("US", "")).toBe("north_america");
  });

  it.each([["ZZ"], [""], ["USA"], ["AQ"]])("falls back to the slowest region for unknown %j", (c) => {
    expect(regionOf(c)).toBe("africa");
    expect(regionOf(c, "")).toBe("africa");
  });

  it("maps every ISO 3166-1 country except Antarctica", () => {
    expect(ISO_3166).toHaveLength(249);
    const missing = ISO_3166.filter((c) => c !== "AQ" && !COUNTRY_REGIONS.has(c));
    expect(missing).toEqual([]);
  });
});

describe("transitBusinessDays", () => {
  it.each([
    ["dhl_express", "DE", "CN", 2, 4],
    ["dhl_express", "US", "US", 1, 2],
    ["china_post", "US", "CN", 10, 25],
    ["china_post", "CN", "CN", 2, 5],
    ["ems", "BR", "CN", 7, 15],
    ["royal_mail", "FR", "GB", 3, 7],
    ["yunexpress", "GB", "CN", 6, 12],
    ["usps", "CA", "US", 5, 10],
  ])("%s to %s from %s: %i–%i", (c, dest, origin, min, max) => {
    expect(transitBusinessDays(carrierByCode(c), dest, origin)).toEqual({ min, max });
  });

  it("uses a conservative generic window for an unknown carrier", () => {
    expect(transitBusinessDays(undefined, "US", "US")).toEqual({ min: 2, max: 5 });
    expect(transitBusinessDays(undefined, "DE", "CN")).toEqual({ min: 7, max: 20 });
    expect(transitBusinessDays(undefined, null)).toEqual({ min: 7, max: 20 });
  });

  it("uses the slowest region for a missing destination", () => {
    expect(transitBusinessDays(carrierByCode("china_post"), null, "CN")).toEqual({ min: 15, max: 40 });
    expect(transitBusinessDays(carrierByCode("dhl_express"), undefined)).toEqual({ min: 3, max: 6 });
  });

  it("returns a copy the caller may change", () => {
    const t = transitBusinessDays(undefined, "US", "US");
    t.max = 99;
    expect(transitBusinessDays(undefined, "US", "US").max).toBe(5);
  });
});
