// Reads the backtest's CSV line by line: one shipment per valid row, and the line numbers of the rows
// that cannot be replayed (never dropped silently).
import type { BacktestShipment } from "~/lanes/backtest";

export const BACKTEST_COLUMNS = [
  "id",
  "carrier",
  "origin_country",
  "origin_region",
  "destination_country",
  "destination_region",
  "paid_at",
  "shipped_at",
  "delivered_at",
  "promised_by",
] as const;

type Column = (typeof BACKTEST_COLUMNS)[number];
const REQUIRED: readonly Column[] = ["id", "carrier", "origin_country", "destination_country", "shipped_at"];

/** Splits one CSV line; double quotes may wrap a field and "" inside them is a quote. */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === "," && !quoted) {
      fields.push(field);
      field = "";
    } else {
      field += c;
    }
  }
  fields.push(field);
  return fields;
}

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** An ISO 8601 date or time (no zone = UTC); undefined when it is not one. */
export function parseIsoTime(text: string): Date | undefined {
  const match = ISO_8601.exec(text);
  if (!match) return undefined;
  const [, year, month, day, zone] = match;
  // Date.parse rolls 2024-02-30 over into March; a real calendar date survives the round trip.
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return undefined;
  const hasTime = text.length > 10;
  const ms = Date.parse(hasTime && !zone ? `${text}Z` : text);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** The column positions from the header line; throws when a column is missing. */
export function columnsOf(header: string): Record<Column, number> {
  const names = splitCsvLine(header.replace(/^\uFEFF/, "")).map((name) => name.trim().toLowerCase());
  const missing = BACKTEST_COLUMNS.filter((column) => !names.includes(column));
  if (missing.length) throw new Error(`missing column(s): ${missing.join(", ")}`);
  return Object.fromEntries(BACKTEST_COLUMNS.map((column) => [column, names.indexOf(column)])) as Record<Column, number>;
}

/** The shipment on a data line, or undefined when a required field is missing or a time is bad. */
export function parseShipment(line: string, lineNumber: number, columns: Record<Column, number>): BacktestShipment | undefined {
  const fields = splitCsvLine(line);
  const field = (column: Column): string => (fields[columns[column]] ?? "").trim();
  if (REQUIRED.some((column) => !field(column))) return undefined;
  const optionalTime = (column: Column): Date | null | undefined => (field(column) ? parseIsoTime(field(column)) : null);
  const shippedAt = parseIsoTime(field("shipped_at"));
  const paidAt = optionalTime("paid_at");
  const deliveredAt = optionalTime("delivered_at");
  const promisedBy = optionalTime("promised_by");
  if (!shippedAt || paidAt === undefined || deliveredAt === undefined || promisedBy === undefined) return undefined;
  if (deliveredAt && deliveredAt.getTime() < shippedAt.getTime()) return undefined;
  return {
    line: lineNumber,
    id: field("id"),
    carrier: field("carrier"),
    originCountry: field("origin_country"),
    originRegion: field("origin_region") || null,
    destinationCountry: field("destination_country"),
    destinationRegion: field("destination_region") || null,
    paidAt,
    shippedAt,
    deliveredAt,
    promisedBy,
  };
}

export interface ReadShipments {
  shipments: BacktestShipment[];
  /** 1-based line numbers of rows that were skipped. */
  skippedLines: number[];
}

/** Every shipment of a CSV given line by line (a readline interface); blank lines are ignored. */
export async function readShipments(lines: AsyncIterable<string> | Iterable<string>): Promise<ReadShipments> {
  const shipments: BacktestShipment[] = [];
  const skippedLines: number[] = [];
  let columns: Record<Column, number> | undefined;
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (!line.trim()) continue;
    if (!columns) {
      columns = columnsOf(line);
      continue;
    }
    const shipment = parseShipment(line, lineNumber, columns);
    if (shipment) shipments.push(shipment);
    else skippedLines.push(lineNumber);
  }
  if (!columns) throw new Error("empty file: no header line");
  return { shipments, skippedLines };
}
