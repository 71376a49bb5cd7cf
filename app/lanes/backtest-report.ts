// The backtest's result as the one JSON object scripts read, or as tables for a person.
import type { BacktestFigures, BacktestResult, WindowFigures } from "~/lanes/backtest";

const round = (n: number, digits: number): number => Number(n.toFixed(digits));

function jsonFigures(figures: WindowFigures): WindowFigures {
  return {
    coverage: round(figures.coverage, 4),
    meanDays: round(figures.meanDays, 2),
    medianDays: round(figures.medianDays, 2),
    midpointMaeDays: round(figures.midpointMaeDays, 2),
    meanWidthDays: round(figures.meanWidthDays, 2),
  };
}

const jsonSummary = (figures: BacktestFigures) => ({
  learned: jsonFigures(figures.learned),
  registry: jsonFigures(figures.registry),
  promised: figures.promised ? jsonFigures(figures.promised) : null,
});

export function backtestJson(result: BacktestResult, skippedLines: readonly number[], coverage: number) {
  return {
    rows: result.rows,
    skipped: skippedLines.length,
    skippedLines,
    coverageTarget: coverage,
    ...jsonSummary(result),
    halves: result.halves.map(jsonSummary),
    lanes: result.lanes.map((lane) => ({ lane: lane.lane, rows: lane.rows, ...jsonSummary(lane) })),
    sources: result.sources,
  };
}

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
const days = (n: number) => n.toFixed(1);

function rowsOf(label: string, figures: BacktestFigures): string[] {
  const kinds: [string, WindowFigures | null][] = [
    ["learned", figures.learned],
    ["registry", figures.registry],
    ["promised", figures.promised],
  ];
  return kinds
    .filter((kind): kind is [string, WindowFigures] => kind[1] !== null)
    .map(([kind, f]) => `| ${label} | ${kind} | ${pct(f.coverage)} | ${days(f.meanDays)} | ${days(f.medianDays)} | ${days(f.meanWidthDays)} | ${days(f.midpointMaeDays)} |`);
}

/** Markdown tables: overall, each half of the period, the busiest lanes. */
export function backtestText(result: BacktestResult, coverage: number): string {
  const header = [
    "| shipments | window | coverage | mean end (days) | median end (days) | mean width (days) | midpoint MAE (days) |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  const sources = Object.entries(result.sources)
    .filter(([, n]) => n > 0)
    .map(([source, n]) => `${source} ${pct(n / (result.rows || 1))}`)
    .join(", ");
  return [
    `${result.rows} shipments replayed; learned window at ${pct(coverage)} coverage (from: ${sources || "nothing"}).`,
    "Days are calendar days after shipping; coverage is the share delivered by the window's last day.",
    "",
    ...header,
    ...rowsOf(`all (${result.rows})`, result),
    ...rowsOf("first half", result.halves[0]),
    ...rowsOf("second half", result.halves[1]),
    "",
    ...header,
    ...result.lanes.flatMap((lane) => rowsOf(`${lane.lane} (${lane.rows})`, lane)),
  ].join("\n");
}
