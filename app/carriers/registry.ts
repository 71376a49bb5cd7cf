// Carrier registry: names Shopify puts in `tracking_company`, tracking pages,
// number formats for guessing, and typical transit times by destination region.

export type Region =
  | "domestic"
  | "north_america"
  | "europe"
  | "asia"
  | "oceania"
  | "latin_america"
  | "middle_east"
  | "africa";

export interface Carrier {
  code: string;
  name: string;
  aliases: string[];
  trackingUrlTemplate: string;
  numberPatterns: RegExp[];
  transitDays: Record<Region, [number, number]>;
}

// S10 (UPU) item ids: 2 letters, 8 digits + check digit, origin country.
const s10 = (country: string, service = "[A-Z]"): RegExp =>
  new RegExp(`^${service}[A-Z]\\d{9}${country}$`);

// Digit-only formats (DHL 10, FedEx 12/15, DPD 14, GLS 11...) collide with each
// other and with carriers not listed here, so they are deliberately not used
// for guessing. Only formats with a distinctive prefix/suffix are.
export const CARRIERS: readonly Carrier[] = [
  {
    code: "ems",
    name: "EMS",
    aliases: ["EMS", "China EMS", "China EMS (ePacket)", "EMS China", "ePacket", "中国邮政速递", "中国EMS"],
    trackingUrlTemplate: "https://www.ems.com.cn/qps/yjcx?mailNum={number}",
    numberPatterns: [s10("CN", "E")],
    transitDays: {
      domestic: [1, 3],
      north_america: [5, 12],
      europe: [5, 12],
      asia: [3, 8],
      oceania: [5, 12],
      latin_america: [7, 15],
      middle_east: [6, 14],
      africa: [7, 15],
    },
  },
  {
    code: "dhl_express",
    name: "DHL Express",
    aliases: ["DHL Express", "DHL", "DHL Express Worldwide", "DHL Worldwide Express"],
    trackingUrlTemplate:
      "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id={number}",
    numberPatterns: [],
    transitDays: {
      domestic: [1, 2],
      north_america: [2, 4],
      europe: [2, 4],
      asia: [2, 4],
      oceania: [3, 5],
      latin_america: [3, 5],
      middle_east: [3, 5],
      africa: [3, 6],
    },
  },
  {
    code: "fedex",
    name: "FedEx",
    aliases: ["FedEx", "Federal Express", "FedEx UK", "FedEx International"],
    trackingUrlTemplate: "https://www.fedex.com/fedextrack/?trknbr={number}",
    // FedEx Ground 96-prefixed 22-digit barcode.
    numberPatterns: [/^96\d{20}$/],
    transitDays: {
      domestic: [1, 5],
      north_america: [2, 4],
      europe: [2, 4],
      asia: [2, 4],
      oceania: [3, 5],
      latin_america: [3, 5],
      middle_east: [3, 5],
      africa: [3, 6],
    },
  },
  {
    code: "ups",
    name: "UPS",
    aliases: ["UPS", "United Parcel Service", "UPS Worldwide Express"],
    trackingUrlTemplate: "https://www.ups.com/track?loc=en_US&tracknum={number}",
    numberPatterns: [/^1Z[0-9A-Z]{16}$/],
    transitDays: {
      domestic: [1, 5],
      north_america: [2, 4],
      europe: [2, 4],
      asia: [2, 4],
      oceania: [3, 5],
      latin_america: [3, 5],
      middle_east: [3, 5],
      africa: [3, 6],
    },
  },
  {
    code: "tnt",
    name: "TNT",
    aliases: ["TNT", "TNT Express"],
    trackingUrlTemplate:
      "https://www.tnt.com/express/en_gc/site/shipping-tools/tracking.html?searchType=con&cons={number}",
    numberPatterns: [/^GE\d{9}WW$/],
    transitDays: {
      domestic: [1, 3],
      north_america: [2, 5],
      europe: [2, 4],
      asia: [2, 5],
      oceania: [3, 5],
      latin_america: [3, 5],
      middle_east: [3, 5],
      africa: [3, 6],
    },
  },
  {
    code: "sf_express",
    name: "SF Express",
    aliases: ["SF Express", "SF", "S.F. Express", "SF International", "Shunfeng Express", "顺丰", "顺丰速运"],
    trackingUrlTemplate:
      "https://www.sf-international.com/us/en/dynamic_function/waybill/#search/bill-number/{number}",
    numberPatterns: [/^SF\d{12,13}$/],
    transitDays: {
      domestic: [1, 3],
      north_america: [3, 6],
      europe: [3, 6],
      asia: [2, 4],
      oceania: [3, 6],
      latin_america: [5, 9],
      middle_east: [4, 7],
      africa: [5, 10],
    },
  },
  {
    code: "usps",
    name: "USPS",
    aliases: ["USPS", "United States Postal Service", "U.S. Postal Service", "US Postal Service"],
    trackingUrlTemplate: "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}",
    // IMpb barcodes (92–95 prefixes, 22 or 26 digits) and S10 international ids.
    numberPatterns: [/^9[2-5]\d{20}$/, /^9[2-5]\d{24}$/, s10("US")],
    transitDays: {
      domestic: [2, 5],
      north_america: [5, 10],
      europe: [6, 12],
      asia: [6, 14],
      oceania: [6, 14],
      latin_america: [7, 15],
      middle_east: [7, 15],
      africa: [8, 20],
    },
  },
  {
    code: "china_post",
    name: "China Post",
    aliases: ["China Post", "China Post Air Mail", "China Post Registered Air Mail", "China Post Ordinary Small Packet", "中国邮政"],
    trackingUrlTemplate: "https://www.ems.com.cn/qps/yjcx?mailNum={number}",
    // Every S10 service class except E (EMS, listed separately).
    numberPatterns: [s10("CN", "[A-DF-Z]")],
    transitDays: {
      domestic: [2, 5],
      north_america: [10, 25],
      europe: [10, 25],
      asia: [7, 15],
      oceania: [10, 25],
      latin_america: [15, 35],
      middle_east: [12, 30],
      africa: [15, 40],
    },
  },
  {
    code: "royal_mail",
    name: "Royal Mail",
    aliases: ["Royal Mail", "Royal Mail Tracked", "Royal Mail International"],
    trackingUrlTemplate: "https://www.royalmail.com/track-your-item#/tracking-results/{number}",
    numberPatterns: [s10("GB")],
    transitDays: {
      domestic: [1, 3],
      north_america: [5, 10],
      europe: [3, 7],
      asia: [5, 12],
      oceania: [6, 14],
      latin_america: [6, 14],
      middle_east: [5, 12],
      africa: [6, 15],
    },
  },
  {
    code: "canada_post",
    name: "Canada Post",
    aliases: ["Canada Post", "Postes Canada", "Canada Post / Postes Canada", "Canada Post Postes Canada"],
    trackingUrlTemplate: "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={number}",
    numberPatterns: [s10("CA")],
    transitDays: {
      domestic: [2, 7],
      north_america: [4, 10],
      europe: [6, 12],
      asia: [6, 12],
      oceania: [6, 12],
      latin_america: [6, 14],
      middle_east: [6, 14],
      africa: [8, 18],
    },
  },
  {
    code: "australia_post",
    name: "Australia Post",
    aliases: ["Australia Post", "AusPost", "Aus Post"],
    trackingUrlTemplate: "https://auspost.com.au/mypost/track/#/details/{number}",
    numberPatterns: [s10("AU")],
    transitDays: {
      domestic: [2, 6],
      north_america: [6, 12],
      europe: [6, 14],
      asia: [6, 12],
      oceania: [3, 8],
      latin_america: [8, 18],
      middle_east: [8, 16],
      africa: [8, 20],
    },
  },
  {
    code: "japan_post",
    name: "Japan Post",
    aliases: ["Japan Post (EN)", "Japan Post (JA)", "Japan Post", "日本郵便"],
    trackingUrlTemplate:
      "https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1={number}&searchKind=S002&locale=en",
    numberPatterns: [s10("JP")],
    transitDays: {
      domestic: [1, 3],
      north_america: [4, 10],
      europe: [4, 12],
      asia: [2, 6],
      oceania: [4, 10],
      latin_america: [6, 14],
      middle_east: [5, 12],
      africa: [6, 16],
    },
  },
  {
    code: "dpd",
    name: "DPD",
    aliases: ["DPD", "DPD Group", "DPD Germany", "DPD Classic"],
    trackingUrlTemplate: "https://tracking.dpd.de/status/en_US/parcel/{number}",
    numberPatterns: [],
    transitDays: {
      domestic: [1, 2],
      north_america: [4, 8],
      europe: [2, 5],
      asia: [5, 10],
      oceania: [6, 12],
      latin_america: [6, 12],
      middle_east: [5, 10],
      africa: [6, 14],
    },
  },
  {
    code: "gls",
    name: "GLS",
    aliases: ["GLS", "General Logistics Systems", "GLS Europe", "GLS Group"],
    trackingUrlTemplate: "https://gls-group.eu/EU/en/parcel-tracking?match={number}",
    numberPatterns: [],
    transitDays: {
      domestic: [1, 3],
      north_america: [5, 10],
      europe: [2, 6],
      asia: [6, 12],
      oceania: [6, 14],
      latin_america: [7, 14],
      middle_east: [6, 12],
      africa: [7, 15],
    },
  },
  {
    code: "postnl",
    name: "PostNL",
    aliases: ["PostNL", "PostNL International", "PostNL International Mail"],
    // A full deep link also needs destination country and postcode; this opens the page.
    trackingUrlTemplate: "https://jouw.postnl.nl/track-and-trace/{number}",
    numberPatterns: [/^3S[A-Z0-9]{11,13}$/, s10("NL")],
    transitDays: {
      domestic: [1, 2],
      north_america: [5, 10],
      europe: [2, 6],
      asia: [6, 12],
      oceania: [6, 14],
      latin_america: [7, 15],
      middle_east: [6, 14],
      africa: [7, 16],
    },
  },
  {
    code: "yunexpress",
    name: "YunExpress",
    aliases: ["YunExpress", "Yun Express", "YunTrack", "云途", "云途物流"],
    trackingUrlTemplate: "https://www.yuntrack.com/parcelTracking?id={number}",
    numberPatterns: [/^YT\d{16}$/],
    transitDays: {
      domestic: [2, 5],
      north_america: [6, 12],
      europe: [6, 12],
      asia: [5, 10],
      oceania: [6, 12],
      latin_america: [10, 20],
      middle_east: [8, 15],
      africa: [10, 25],
    },
  },
  {
    code: "4px",
    name: "4PX",
    aliases: ["4PX", "4PX Express", "4PX Worldwide Express", "递四方"],
    trackingUrlTemplate: "https://track.4px.com/#/result/0/{number}",
    numberPatterns: [/^4PX\d{10,16}CN$/],
    transitDays: {
      domestic: [2, 5],
      north_america: [7, 15],
      europe: [7, 15],
      asia: [5, 12],
      oceania: [7, 15],
      latin_america: [12, 25],
      middle_east: [10, 20],
      africa: [12, 30],
    },
  },
  {
    code: "yanwen",
    name: "Yanwen",
    aliases: ["Yanwen", "Yanwen Express", "Yanwen Logistics", "燕文", "燕文物流"],
    trackingUrlTemplate: "https://track.yw56.com.cn/en/querydel?nums={number}",
    // Yanwen's own S10-style ids carry the pseudo-country "YP".
    numberPatterns: [/^[A-Z]{2}\d{9}YP$/],
    transitDays: {
      domestic: [2, 5],
      north_america: [10, 20],
      europe: [10, 20],
      asia: [7, 15],
      oceania: [10, 20],
      latin_america: [15, 30],
      middle_east: [12, 25],
      africa: [15, 35],
    },
  },
  {
    code: "cainiao",
    name: "Cainiao",
    aliases: ["Cainiao", "Cainiao Network", "Cainiao Global", "AliExpress Standard Shipping", "菜鸟"],
    trackingUrlTemplate: "https://global.cainiao.com/detail.htm?mailNoList={number}",
    numberPatterns: [/^LP\d{12,20}$/],
    transitDays: {
      domestic: [2, 4],
      north_america: [10, 20],
      europe: [10, 20],
      asia: [7, 15],
      oceania: [10, 20],
      latin_america: [15, 30],
      middle_east: [12, 25],
      africa: [15, 35],
    },
  },
];

// Case, spacing, punctuation and full-width forms are irrelevant; letters in
// any script survive so Chinese/Japanese names still match.
function normalizeName(s: string): string {
  return s.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

function normalizeNumber(s: string): string {
  return s.normalize("NFKC").toUpperCase().replace(/[\s\-.]+/g, "");
}

const BY_CODE = new Map<string, Carrier>(CARRIERS.map((c) => [c.code, c]));

const BY_NAME = new Map<string, Carrier>();
for (const c of CARRIERS) {
  for (const n of [c.code, c.name, ...c.aliases]) {
    const key = normalizeName(n);
    if (key && !BY_NAME.has(key)) BY_NAME.set(key, c);
  }
}

export function carrierByCode(code: string): Carrier | undefined {
  return BY_CODE.get(code.trim().toLowerCase());
}

/**
 * Guesses by number format. Returns a carrier only when exactly one carrier's
 * patterns match: a wrong carrier link is worse than none.
 */
export function guessCarrierByNumber(
  trackingNumber: string | null | undefined,
  carriers: readonly Carrier[] = CARRIERS,
): Carrier | undefined {
  if (!trackingNumber) return undefined;
  const n = normalizeNumber(trackingNumber);
  if (!n) return undefined;
  const matches = carriers.filter((c) => c.numberPatterns.some((p) => p.test(n)));
  return matches.length === 1 ? matches[0] : undefined;
}

export function findCarrier(
  company: string | null | undefined,
  trackingNumber?: string | null,
): Carrier | undefined {
  const key = company ? normalizeName(company) : "";
  const byName = key ? BY_NAME.get(key) : undefined;
  return byName ?? guessCarrierByNumber(trackingNumber);
}

export function trackingUrlFor(carrier: Carrier, trackingNumber: string): string {
  const encoded = encodeURIComponent(trackingNumber.trim());
  // Function replacer: `$` sequences in the number must stay literal.
  return carrier.trackingUrlTemplate.replaceAll("{number}", () => encoded);
}

export type InternationalRegion = Exclude<Region, "domestic">;

const COUNTRIES_BY_REGION: Record<InternationalRegion, string> = {
  // PR/VI ride the US network, so they sit with North America.
  north_america: "US CA GL BM PM PR VI",
  europe:
    "AD AL AM AT AX AZ BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GE GG GI GR HR HU IE IM IS IT JE " +
    "LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM TR UA VA XK",
  asia:
    "AF BD BN BT CN HK ID IN IO JP KG KH KP KR KZ LA LK MM MN MO MV MY NP PH PK SG TH TJ TL TM TW UZ VN",
  oceania: "AS AU CC CK CX FJ FM GU HM KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS",
  latin_america:
    "AG AI AR AW BB BL BO BQ BR BS BZ CL CO CR CU CW DM DO EC FK GD GF GP GS GT GY HN HT JM KN KY LC " +
    "MF MQ MS MX NI PA PE PY SR SV SX TC TT UY VC VE VG",
  middle_east: "AE BH IL IQ IR JO KW LB OM PS QA SA SY YE",
  africa:
    "AC AO BF BI BJ BV BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS LY MA MG " +
    "ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TA TD TF TG TN TZ UG YT ZA ZM ZW",
};

const REGION_BY_COUNTRY = new Map<string, InternationalRegion>();
/** ISO 3166-1 alpha-2 code → region, for every country the registry knows. */
export const COUNTRY_REGIONS: ReadonlyMap<string, InternationalRegion> = REGION_BY_COUNTRY;
for (const [region, list] of Object.entries(COUNTRIES_BY_REGION) as [InternationalRegion, string][]) {
  for (const cc of list.split(" ")) {
    if (REGION_BY_COUNTRY.has(cc)) throw new Error(`registry: ${cc} listed in two regions`);
    REGION_BY_COUNTRY.set(cc, region);
  }
}

// Non-ISO spellings that show up in store data.
const COUNTRY_SYNONYMS: Record<string, string> = { UK: "GB", EL: "GR" };

function normalizeCountry(c: string | null | undefined): string {
  const cc = (c ?? "").trim().toUpperCase();
  return COUNTRY_SYNONYMS[cc] ?? cc;
}

/** Slowest region in every carrier's table; used when the destination is unknown. */
export const UNKNOWN_DESTINATION_REGION: Region = "africa";

/**
 * Region of an ISO 3166-1 alpha-2 destination. Unknown or missing codes map to
 * the slowest region ("africa") so promises err late rather than early.
 */
export function regionOf(destinationCountry: string, originCountry?: string | null): Region {
  const dest = normalizeCountry(destinationCountry);
  const origin = normalizeCountry(originCountry);
  if (dest && origin && dest === origin) return "domestic";
  return REGION_BY_COUNTRY.get(dest) ?? UNKNOWN_DESTINATION_REGION;
}

const GENERIC_DOMESTIC = { min: 2, max: 5 };
const GENERIC_INTERNATIONAL = { min: 7, max: 20 };

/** A merchant's own transit days: { "<carrierCode>": { "<region>": [min, max] } } (admin settings). */
export type TransitOverrides = Record<string, Partial<Record<Region, [number, number]>>>;

/** Parses the stored JSON, keeping only well-formed entries (min <= max, 0..120 days). */
export function parseTransitOverrides(json: string | null | undefined): TransitOverrides {
  let raw: unknown;
  try {
    raw = JSON.parse(json || "{}");
  } catch {
    return {};
  }
  const result: TransitOverrides = {};
  if (!raw || typeof raw !== "object") return result;
  for (const [code, regions] of Object.entries(raw as Record<string, unknown>)) {
    if (!regions || typeof regions !== "object") continue;
    for (const [region, days] of Object.entries(regions as Record<string, unknown>)) {
      if (!Array.isArray(days) || days.length !== 2) continue;
      const [min, max] = days as unknown[];
      if (typeof min !== "number" || typeof max !== "number" || !Number.isInteger(min) || !Number.isInteger(max)) continue;
      if (min < 0 || max > 120 || min > max) continue;
      (result[code] ??= {})[region as Region] = [min, max];
    }
  }
  return result;
}

export function transitBusinessDays(
  carrier: Carrier | undefined,
  destinationCountry: string | null | undefined,
  originCountry?: string | null,
  overrides?: TransitOverrides,
): { min: number; max: number } {
  const region = regionOf(destinationCountry ?? "", originCountry);
  const own = overrides?.[carrier?.code ?? "other"]?.[region];
  if (own) return { min: own[0], max: own[1] };
  if (!carrier) return { ...(region === "domestic" ? GENERIC_DOMESTIC : GENERIC_INTERNATIONAL) };
  const [min, max] = carrier.transitDays[region];
  return { min, max };
}
