// The Carriers page's lane table as CSV: one line per carrier on each destination and region, with
// the activity export's quoting and formula defusing (carrier names come from the shop's data).
import type { CarrierFigures, CarriersReport, LanePerformance } from "~/carriers/performance";
import { csvLine } from "./activity-csv";

const share = (value: number | null) => (value === null ? null : value.toFixed(4));

const COLUMNS: ReadonlyArray<readonly [string, (lane: LanePerformance, carrier: CarrierFigures) => unknown]> = [
  ["destination_country", (lane) => lane.destination],
  ["destination_region", (lane) => lane.region],
  ["carrier", (_, c) => c.label],
  ["origin_country", (_, c) => c.origin],
  ["parcels", (_, c) => c.parcels],
  ["delivered", (_, c) => c.delivered],
  ["in_transit", (_, c) => c.inTransit],
  ["median_business_days", (_, c) => c.medianDays],
  ["p90_business_days", (_, c) => c.p90Days],
  ["on_time_rate", (_, c) => share(c.onTimeRate)],
  ["promised_parcels", (_, c) => c.promisedParcels],
  ["exception_or_customs_share", (_, c) => share(c.exceptionShare)],
  ["delay_notice_share", (_, c) => share(c.delayNoticeShare)],
  ["undelivered_after_45_days_share", (_, c) => share(c.undeliveredShare)],
  ["online_for_tracking_days", (_, c) => c.handoverDays],
];

export function* carriersCsvLines(report: CarriersReport): Generator<string> {
  yield csvLine(COLUMNS.map(([name]) => name));
  for (const country of report.lanes) {
    for (const lane of [country, ...country.regions]) {
      for (const carrier of lane.carriers) yield csvLine(COLUMNS.map(([, read]) => read(lane, carrier)));
    }
  }
}
