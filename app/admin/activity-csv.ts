// The notification log as CSV (RFC 4180: CRLF lines, fields quoted when they hold a quote, comma or
// line break). Cells are buyer and merchant text, so anything a spreadsheet would run as a formula is
// defused with a leading apostrophe (OWASP's CSV injection advice).

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return values.map(csvCell).join(",") + "\r\n";
}

export interface ActivityCsvRow {
  id: string;
  createdAt: Date;
  scheduledFor: Date;
  sentAt: Date | null;
  kind: string;
  status: string;
  recipient: string;
  locale: string;
  orderShopifyId: string;
  shipmentShopifyId: string | null;
  trackingNumber: string | null;
  subject: string | null;
  providerMessageId: string | null;
  providerEvent: string | null;
  providerEventAt: Date | null;
  attempts: number;
  lastError: string | null;
  merchantAction: string | null;
}

/** Column headings and how each is read from a row, in file order. */
export const ACTIVITY_CSV_COLUMNS: ReadonlyArray<readonly [string, (row: ActivityCsvRow) => unknown]> = [
  ["id", (row) => row.id],
  ["created_at", (row) => row.createdAt],
  ["scheduled_for", (row) => row.scheduledFor],
  ["sent_at", (row) => row.sentAt],
  ["kind", (row) => row.kind],
  ["status", (row) => row.status],
  ["recipient", (row) => row.recipient],
  ["locale", (row) => row.locale],
  ["order_id", (row) => row.orderShopifyId],
  ["fulfillment_id", (row) => row.shipmentShopifyId],
  ["tracking_number", (row) => row.trackingNumber],
  ["subject", (row) => row.subject],
  ["provider_message_id", (row) => row.providerMessageId],
  ["provider_event", (row) => row.providerEvent],
  ["provider_event_at", (row) => row.providerEventAt],
  ["attempts", (row) => row.attempts],
  ["error", (row) => row.lastError],
  ["merchant_action", (row) => row.merchantAction],
];

export function activityCsvHeader(): string {
  return csvLine(ACTIVITY_CSV_COLUMNS.map(([name]) => name));
}

export function activityCsvLine(row: ActivityCsvRow): string {
  return csvLine(ACTIVITY_CSV_COLUMNS.map(([, read]) => read(row)));
}

/** Prisma `select` for exactly the exported columns (the rendered mail stays out of the file). */
export const ACTIVITY_CSV_SELECT = {
  id: true,
  createdAt: true,
  scheduledFor: true,
  sentAt: true,
  kind: true,
  status: true,
  recipient: true,
  locale: true,
  orderShopifyId: true,
  shipmentShopifyId: true,
  trackingNumber: true,
  subject: true,
  providerMessageId: true,
  providerEvent: true,
  providerEventAt: true,
  attempts: true,
  lastError: true,
  merchantAction: true,
} as const;
