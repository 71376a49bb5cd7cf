// Which lane a parcel travels on, and the broader lanes an estimate falls back to when its own lane
// has too little evidence.
import { findCarrier } from "~/carriers/registry";

/** Where an estimate's figures come from, most specific first. */
export type EstimateSource = "lane_region" | "lane" | "carrier_destination" | "destination" | "registry";

/** A lane: carrier code (registry code, else the name lowercased), ISO countries, destination region. */
export interface LaneKey {
  carrier: string;
  origin: string;
  destination: string;
  /** Province or state of the destination, uppercased; null when unknown. */
  region: string | null;
}

/** One level of the fallback chain, with the id its statistics are stored under. */
export interface LaneLevel {
  source: Exclude<EstimateSource, "registry">;
  id: string;
}

export interface LaneInput {
  carrier: string | null | undefined;
  originCountry: string | null | undefined;
  destinationCountry: string | null | undefined;
  destinationRegion?: string | null;
}

/** "DHL", "dhl express" and "DHL Express" are one carrier; unknown names only lose case and spacing. */
export function carrierKey(name: string | null | undefined): string {
  const known = findCarrier(name);
  if (known) return known.code;
  return (name ?? "").trim().toLowerCase().replace(/\s+/g, " ") || "unknown";
}

const upper = (s: string | null | undefined): string => (s ?? "").trim().toUpperCase();

export function laneKey(input: LaneInput): LaneKey {
  const region = upper(input.destinationRegion);
  return {
    carrier: carrierKey(input.carrier),
    origin: upper(input.originCountry),
    destination: upper(input.destinationCountry),
    region: region || null,
  };
}

/** The lane and its parents: lane + region → lane → carrier + destination → destination (then the registry). */
export function laneLevels(key: LaneKey): LaneLevel[] {
  const lane = `${key.carrier}|${key.origin}|${key.destination}`;
  const levels: LaneLevel[] = [];
  if (key.region) levels.push({ source: "lane_region", id: `lane_region:${lane}|${key.region}` });
  levels.push(
    { source: "lane", id: `lane:${lane}` },
    { source: "carrier_destination", id: `carrier_destination:${key.carrier}|${key.destination}` },
    { source: "destination", id: `destination:${key.destination}` },
  );
  return levels;
}

/** "dhl_express CN→US" or "correios BR→BR/SP", for reports. */
export function laneName(key: LaneKey): string {
  const lane = `${key.carrier} ${key.origin}→${key.destination}`;
  return key.region ? `${lane}/${key.region}` : lane;
}
