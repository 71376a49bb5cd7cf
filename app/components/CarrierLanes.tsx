// The Carriers page's lanes: pick a destination (and region), see each carrier side by side, the
// recommendation with its evidence, and the charts, each with the same figures as a table beside it.
import { lazy, Suspense, useEffect, useState, type ReactNode } from "react";
import { useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Box, Card, DataTable, InlineGrid, InlineStack, Select, Text, Button } from "@shopify/polaris";
import { carriersView, formatDays, formatShare, transitDaysLabel, transitSeries, weekLabel, weeklySeries, type CarriersView } from "~/admin/carriers";
import { destinationName } from "~/carriers/destination-name";
import type { CarrierFigures, CarriersReport } from "~/carriers/performance";
import { useCsvExport } from "./useCsvExport";

const TransitChart = lazy(() => import("./LaneCharts").then((charts) => ({ default: charts.TransitChart })));
const WeeklyChart = lazy(() => import("./LaneCharts").then((charts) => ({ default: charts.WeeklyChart })));

type Lane = NonNullable<CarriersView["lane"]>;

const FIGURES: ReadonlyArray<readonly [string, (c: CarrierFigures) => string]> = [
  ["Parcels", (c) => c.parcels.toLocaleString("en")],
  ["Delivered · still out", (c) => `${c.delivered.toLocaleString("en")} · ${c.inTransit.toLocaleString("en")}`],
  ["Median business days", (c) => formatDays(c.medianDays)],
  ["9 in 10 within (business days)", (c) => formatDays(c.p90Days)],
  ["On time (by the promised date)", (c) => (c.onTimeRate === null ? "–" : `${formatShare(c.onTimeRate)} of ${c.promisedParcels.toLocaleString("en")}`)],
  ["Carrier exception or customs hold", (c) => formatShare(c.exceptionShare)],
  ["Needed a delay notice", (c) => formatShare(c.delayNoticeShare)],
  ["Not delivered after 45 days", (c) => formatShare(c.undeliveredShare)],
  ["Online for tracking (days)", (c) => formatDays(c.handoverDays)],
];

export function CarrierLanes({ report }: { report: CarriersReport }) {
  const [searchParams] = useSearchParams();
  const view = carriersView(report, searchParams);
  const { lane } = view;
  if (!lane) {
    return (
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Carriers by destination
          </Text>
          <Text as="p" tone="subdued">
            No shipment history yet. Import your recent orders with History import above, or wait for your next parcels to ship: each carrier&apos;s
            delivery times per destination appear here as they arrive.
          </Text>
        </BlockStack>
      </Card>
    );
  }
  return (
    <BlockStack gap="400">
      <LaneTable view={view} lane={lane} />
      <ChartCard
        title="Transit time"
        description="Delivered parcels by business days from shipping to delivery."
        chart={<TransitChart series={transitSeries(lane)} label={`Transit time to ${destinationName(lane.destination, lane.region)}`} />}
        table={<TransitTable lane={lane} />}
      />
      <ChartCard
        title="Weekly median"
        description="Median business days of the parcels shipped each week; a week shows once half of its parcels have arrived."
        chart={<WeeklyChart series={weeklySeries(lane, view.weeks)} label={`Weekly median to ${destinationName(lane.destination, lane.region)}`} />}
        table={<WeeklyTable lane={lane} weeks={view.weeks} />}
      />
    </BlockStack>
  );
}

function LaneTable({ view, lane }: { view: CarriersView; lane: Lane }) {
  const [searchParams, setSearchParams] = useSearchParams();
  const { exporting, exportCsv } = useCsvExport({ fallbackName: "parcelwise-carriers.csv", doneMessage: "Carriers exported" });
  const country = view.choices.find((choice) => choice.destination === lane.destination);
  const choose = (destination: string, region: string) => {
    const params = new URLSearchParams(searchParams);
    params.set("destination", destination);
    if (region) params.set("region", region);
    else params.delete("region");
    setSearchParams(params, { preventScrollReset: true });
  };
  const name = destinationName(lane.destination, lane.region);
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd">
            Carriers to {name}
          </Text>
          <Button onClick={() => exportCsv("/app/carriers/csv")} loading={exporting}>
            Export CSV
          </Button>
        </InlineStack>
        <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
          <Select
            label="Destination"
            options={view.choices.map((choice) => ({ value: choice.destination, label: `${choice.name} · ${choice.parcels.toLocaleString("en")} parcels` }))}
            value={lane.destination}
            onChange={(destination) => choose(destination, "")}
          />
          {country && country.regions.length > 0 ? (
            <Select
              label="Region"
              options={[
                { value: "", label: `All of ${country.name}` },
                ...country.regions.map((r) => ({ value: r.region, label: `${r.region} · ${r.parcels.toLocaleString("en")} parcels` })),
              ]}
              value={lane.region ?? ""}
              onChange={(region) => choose(lane.destination, region)}
            />
          ) : null}
        </InlineGrid>
        <Recommendation lane={lane} minDelivered={view.minDelivered} />
        <div data-lane-table>
          <DataTable
            columnContentTypes={["text", ...lane.carriers.map(() => "numeric" as const)]}
            headings={["", ...lane.carriers.map((c) => c.label)]}
            rows={FIGURES.map(([label, read]) => [label, ...lane.carriers.map(read)])}
          />
        </div>
        <Text as="p" variant="bodySm" tone="subdued">
          Business days of {destinationName(lane.destination)} (weekends and public holidays skipped), from shipping to delivery; parcels still
          on their way count as at least as slow as they are so far. On time means delivered by the last day of the window the buyer was
          promised when the parcel shipped.
        </Text>
      </BlockStack>
    </Card>
  );
}

function Recommendation({ lane, minDelivered }: { lane: Lane; minDelivered: number }) {
  const rule = `Carriers are compared once each has ${minDelivered} delivered parcels here.`;
  if (!lane.recommendation) {
    return (
      <Text as="p" tone="subdued">
        Not enough evidence for a recommendation yet. {rule}
      </Text>
    );
  }
  return (
    <Banner tone="info" title={lane.recommendation.advice ?? "The carriers are about as fast"}>
      <BlockStack gap="100">
        <Text as="p">
          <span data-recommendation>{lane.recommendation.evidence}</span>
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {rule}
        </Text>
      </BlockStack>
    </Banner>
  );
}

function ChartCard(props: { title: string; description: string; chart: ReactNode; table: ReactNode }) {
  const hydrated = useHydrated();
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {props.title}
          </Text>
          <Text as="p" tone="subdued">
            {props.description}
          </Text>
        </BlockStack>
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <Box minHeight="280px">{hydrated ? <Suspense fallback={null}>{props.chart}</Suspense> : null}</Box>
          <Box>{props.table}</Box>
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}

// The charts read the browser as they render: they wait for hydration, the tables do not.
function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

function TransitTable({ lane }: { lane: Lane }) {
  const days = Array.from({ length: lane.histogramDays + 1 }, (_, d) => d).filter((d) => lane.carriers.some((c) => c.transitHistogram[d]! > 0));
  return (
    <div data-transit-table>
      <DataTable
        columnContentTypes={["numeric", ...lane.carriers.map(() => "numeric" as const)]}
        headings={["Business days", ...lane.carriers.map((c) => c.label)]}
        rows={days.map((d) => [transitDaysLabel(lane, d), ...lane.carriers.map((c) => c.transitHistogram[d]!.toLocaleString("en"))])}
        increasedTableDensity
      />
    </div>
  );
}

function WeeklyTable({ lane, weeks }: { lane: Lane; weeks: readonly string[] }) {
  return (
    <DataTable
      columnContentTypes={["text", ...lane.carriers.map(() => "numeric" as const)]}
      headings={["Shipped in the week of", ...lane.carriers.map((c) => c.label)]}
      rows={weeks.map((week, i) => [weekLabel(week), ...lane.carriers.map((c) => formatDays(c.weeklyMedianDays[i] ?? null))])}
      increasedTableDensity
    />
  );
}
