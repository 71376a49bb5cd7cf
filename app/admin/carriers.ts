// What the Carriers page shows of the report: the destinations to choose from, the one chosen (from
// the URL), and how its figures read. Pure; the page and the CSV export render it.
import type { DataSeries } from "@shopify/polaris-viz";
import type { CarriersReport, LanePerformance } from "~/carriers/performance";
import { destinationName } from "~/carriers/destination-name";

export interface LaneChoice {
  destination: string;
  name: string;
  parcels: number;
  regions: Array<{ region: string; parcels: number }>;
}

export interface CarriersView {
  weeks: string[];
  minDelivered: number;
  choices: LaneChoice[];
  /** The chosen destination (or region of it); null when the shop has no shipment history yet. */
  lane: Omit<LanePerformance, "regions"> | null;
}

export function carriersView(report: CarriersReport, params: URLSearchParams): CarriersView {
  const wanted = (params.get("destination") ?? "").trim().toUpperCase();
  const country = report.lanes.find((lane) => lane.destination === wanted) ?? report.lanes[0];
  const region = (params.get("region") ?? "").trim().toUpperCase();
  const chosen = country?.regions.find((lane) => lane.region === region) ?? country;
  return {
    weeks: report.weeks,
    minDelivered: report.minDelivered,
    choices: report.lanes.map((lane) => ({
      destination: lane.destination,
      name: destinationName(lane.destination),
      parcels: lane.parcels,
      regions: lane.regions.map((r) => ({ region: r.region!, parcels: r.parcels })),
    })),
    lane: chosen ? withoutRegions(chosen) : null,
  };
}

function withoutRegions({ regions: _regions, ...lane }: LanePerformance): Omit<LanePerformance, "regions"> {
  return lane;
}

/** "62%", or a dash when there is nothing to count yet. */
export function formatShare(share: number | null): string {
  return share === null ? "–" : `${Math.round(share * 100)}%`;
}

export function formatDays(days: number | null): string {
  return days === null ? "–" : days.toLocaleString("en");
}

/** "Week of 2 Mar" for a week's Monday (ISO date). */
export function weekLabel(monday: string): string {
  const date = new Date(`${monday}T00:00:00Z`);
  return date.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
}

type Lane = NonNullable<CarriersView["lane"]>;

/** Delivered parcels per business day, one series per carrier (the last bar: that many days or more). */
export function transitSeries(lane: Lane): DataSeries[] {
  return lane.carriers.map((carrier) => ({
    name: carrier.label,
    data: carrier.transitHistogram.map((parcels, days) => ({ key: transitDaysLabel(lane, days), value: parcels })),
  }));
}

export function transitDaysLabel(lane: Pick<Lane, "histogramDays" | "histogramCapped">, days: number): string {
  return lane.histogramCapped && days === lane.histogramDays ? `${days}+` : String(days);
}

/** The median of each week's parcels, one series per carrier; weeks without one are gaps. */
export function weeklySeries(lane: Lane, weeks: readonly string[]): DataSeries[] {
  return lane.carriers.map((carrier) => ({
    name: carrier.label,
    data: weeks.map((week, i) => ({ key: weekLabel(week), value: carrier.weeklyMedianDays[i] ?? null })),
  }));
}
