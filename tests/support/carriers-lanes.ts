// A shop's history over a few lanes with known spreads, and the figures the Carriers page must show
// for them (worked out by hand in the comments).
import type { SeedLane } from "./carriers-seed";
import { transitsCycling } from "./carriers-seed";

const stillOut = (count: number): null[] => new Array<null>(count).fill(null);

export const KNOWN_LANES: SeedLane[] = [
  // 10 parcels each at 10…19 business days, 10 more just shipped: median 14, 9 in 10 by 18; promised
  // 15 days, so 60 of the 100 judged were on time; customs holds 11 of 110, delay notices 6 of 110.
  { carrierCode: null, carrierName: "Correios", destination: "BR", transits: [...transitsCycling(100, 10, 10), ...stillOut(10)], promisedDays: 15, customsEvery: 10, delayNoticeEvery: 20 },
  // 10 each at 3…6: median 4, 9 in 10 by 6, all on time.
  { carrierCode: "dhl_express", carrierName: "DHL Express", destination: "BR", transits: transitsCycling(40, 3, 4), promisedDays: 8 },
  // 10 each at 2…4: median 3, 9 in 10 by 4.
  { carrierCode: "dhl_express", carrierName: "DHL Express", destination: "DE", transits: transitsCycling(30, 2, 3), promisedDays: 5 },
  // Ten parcels, all late: too few to compare or to be named least on time.
  { carrierCode: "ups", carrierName: "UPS", destination: "DE", transits: transitsCycling(10, 7, 1), promisedDays: 5 },
  // California has enough parcels for its own table (45), New York not (10).
  { carrierCode: "usps", carrierName: "USPS", destination: "US", region: "CA", transits: transitsCycling(45, 5, 1), promisedDays: 6 },
  { carrierCode: "usps", carrierName: "USPS", destination: "US", region: "NY", transits: transitsCycling(10, 7, 1), promisedDays: 6 },
];

export const BRAZIL_EVIDENCE =
  "To Brazil: Correios delivered 9 in 10 parcels within 18 business days (110 parcels), DHL Express within 6 (40 parcels).";
export const BRAZIL_ADVICE = "Fastest: DHL Express, 12 business days sooner than Correios for 9 in 10 parcels.";
