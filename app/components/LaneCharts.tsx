// The Carriers page's charts (polaris-viz). It reads the browser while rendering, so the page loads
// this module only in the browser, after hydration; the table beside each chart is rendered anyway.
import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import type { DataSeries } from "@shopify/polaris-viz";

export interface LaneChartProps {
  series: DataSeries[];
  label: string;
}

function ChartFrame({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <PolarisVizProvider defaultTheme="Light">
      <figure aria-label={label} data-chart={label} style={{ height: 280, margin: 0 }}>
        {children}
      </figure>
    </PolarisVizProvider>
  );
}

export function TransitChart({ series, label }: LaneChartProps) {
  return (
    <ChartFrame label={label}>
      <BarChart data={series} type="stacked" isAnimated={false} />
    </ChartFrame>
  );
}

export function WeeklyChart({ series, label }: LaneChartProps) {
  return (
    <ChartFrame label={label}>
      <LineChart data={series} isAnimated={false} />
    </ChartFrame>
  );
}
