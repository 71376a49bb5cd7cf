// The merchant's shipment list as database queries: filters, the at-risk condition and keyset pages.
// Pure: every function builds a Prisma `where`/`orderBy` from its inputs (time is a parameter), so the
// list filters inside the database at any size and agrees with the planner's own at-risk rule.
import type { Prisma } from "@prisma/client";
import { webUrl } from "~/tracking/web-url";

export const SHIPMENT_PAGE_SIZE = 50;

/** Carrier statuses Shopify reports (fulfillment shipment_status), in the order a parcel meets them. */
export const SHIPMENT_STATUSES = [
  "label_purchased",
  "label_printed",
  "confirmed",
  "in_transit",
  "out_for_delivery",
  "attempted_delivery",
  "ready_for_pickup",
  "delayed",
  "delivered",
  "failure",
] as const;

/** The list's "status" filter: a carrier status, "cancelled", or "no_updates" (never scanned). */
export const SHIPMENT_STATUS_FILTERS = [...SHIPMENT_STATUSES, "no_updates", "cancelled"] as const;
export type ShipmentStatusFilter = (typeof SHIPMENT_STATUS_FILTERS)[number];

/** How a shipment's status is shown (Polaris badge tones). */
export const SHIPMENT_STATUS_TONE: Record<string, "success" | "info" | "warning" | "critical" | undefined> = {
  delivered: "success",
  out_for_delivery: "info",
  in_transit: "info",
  attempted_delivery: "warning",
  delayed: "warning",
  failure: "critical",
};

/** Fulfillment statuses of a shipment that never went out (the planner skips them too). */
export const NOT_SHIPPED_STATUSES = ["cancelled", "error", "failure"];

export interface AtRiskSettings {
  delayGraceDays: number;
  silenceDays: number;
}

export interface ShipmentFilters {
  query: string;
  statuses: ShipmentStatusFilter[];
  carriers: string[];
  countries: string[];
  atRisk: boolean;
}

export const NO_SHIPMENT_FILTERS: ShipmentFilters = { query: "", statuses: [], carriers: [], countries: [], atRisk: false };

/** The carrier a shipment is listed under: its registry code, else the name the merchant typed. */
export const UNKNOWN_CARRIER = "unknown";

/** At risk: not delivered, and past the time the shipment's refresh stored (app/shipments/at-risk.ts). */
export function atRiskWhere(now: Date): Prisma.ShipmentWhereInput {
  return { deliveredAt: null, atRiskAt: { lte: now } };
}

function statusWhere(status: ShipmentStatusFilter): Prisma.ShipmentWhereInput {
  if (status === "cancelled") return { status: "cancelled" };
  if (status === "no_updates") return { shipmentStatus: null, status: { not: "cancelled" } };
  return { shipmentStatus: status };
}

function carrierWhere(carrier: string): Prisma.ShipmentWhereInput {
  if (carrier === UNKNOWN_CARRIER) return { carrierCode: null, carrierName: null };
  return { OR: [{ carrierCode: carrier }, { carrierCode: null, carrierName: carrier }] };
}

/**
 * The list's filters for one shop. `orderIds` are the Shopify ids of orders whose number or buyer
 * matched the search (looked up first, as shipments keep no copy of either).
 */
export function shipmentsWhere(
  shop: string,
  filters: ShipmentFilters,
  context: { settings: AtRiskSettings; now: Date; orderIds?: string[] },
): Prisma.ShipmentWhereInput {
  const and: Prisma.ShipmentWhereInput[] = [];
  const query = filters.query.trim();
  if (query) {
    // SQLite's LIKE ignores ASCII case, PostgreSQL's does not: tracking numbers are usually upper case.
    const variants = [...new Set([query, query.toUpperCase()])];
    and.push({
      OR: [
        ...variants.flatMap((q) => [{ name: { contains: q } }, { trackingNumbers: { contains: q } }]),
        { shopifyId: query },
        { orderShopifyId: { in: [query, ...(context.orderIds ?? [])] } },
      ],
    });
  }
  if (filters.statuses.length) and.push({ OR: filters.statuses.map(statusWhere) });
  if (filters.carriers.length) and.push({ OR: filters.carriers.map(carrierWhere) });
  if (filters.countries.length) and.push({ destinationCountry: { in: filters.countries } });
  if (filters.atRisk) and.push(atRiskWhere(context.now));
  return and.length ? { shop, AND: and } : { shop };
}

const isStatusFilter = (value: string): value is ShipmentStatusFilter =>
  (SHIPMENT_STATUS_FILTERS as readonly string[]).includes(value);

/** Reads the filters from the list's URL; values the list does not offer are dropped. */
export function parseShipmentFilters(params: URLSearchParams): ShipmentFilters {
  const list = (key: string) => params.getAll(key).flatMap((value) => value.split(",")).map((value) => value.trim()).filter(Boolean);
  return {
    query: (params.get("query") ?? "").slice(0, 200),
    statuses: list("status").filter(isStatusFilter),
    carriers: list("carrier").slice(0, 50),
    countries: list("country").map((c) => c.toUpperCase()).filter((c) => /^[A-Z]{2}$/.test(c)),
    atRisk: params.get("atRisk") === "1" || params.get("atRisk") === "true",
  };
}

/** The filters back as URL parameters (the list keeps its state in the URL, so pages can be linked). */
export function shipmentFilterParams(filters: ShipmentFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.query) params.set("query", filters.query);
  for (const status of filters.statuses) params.append("status", status);
  for (const carrier of filters.carriers) params.append("carrier", carrier);
  for (const country of filters.countries) params.append("country", country);
  if (filters.atRisk) params.set("atRisk", "1");
  return params;
}

// ---------------------------------------------------------------------------------------------------
// Keyset pages, newest first, for any table with (createdAt, id) and an index on (shop, createdAt).
// Offsets get slower with every page; a cursor costs the same on page 1 and page 2,000.

export interface PageCursor {
  createdAt: Date;
  id: string;
}

export interface PageRequest {
  after: PageCursor | null;
  before: PageCursor | null;
  size: number;
}

export function encodeCursor(row: PageCursor): string {
  return Buffer.from(`${row.createdAt.getTime()}.${row.id}`, "utf8").toString("base64url");
}

export function decodeCursor(value: string | null | undefined): PageCursor | null {
  if (!value) return null;
  const text = Buffer.from(value, "base64url").toString("utf8");
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/.exec(text);
  if (!match) return null;
  return { createdAt: new Date(Number(match[1])), id: match[2]! };
}

export function parsePageRequest(params: URLSearchParams, size: number): PageRequest {
  const after = decodeCursor(params.get("after"));
  return { after, before: after ? null : decodeCursor(params.get("before")), size };
}

/** The `where`, `orderBy` and `take` of one page; combine the `where` with the list's filters by AND. */
export function keysetQuery(page: PageRequest) {
  const backwards = Boolean(page.before);
  const cursor = page.after ?? page.before;
  const direction: Prisma.SortOrder = backwards ? "asc" : "desc";
  const beyond = backwards ? "gt" : "lt";
  // (createdAt, id) beyond the cursor, written with a plain range on createdAt first so the database
  // walks the (shop, createdAt) index from the cursor instead of sorting what an OR alone would match.
  const where = cursor
    ? {
        createdAt: { [backwards ? "gte" : "lte"]: cursor.createdAt },
        OR: [{ createdAt: { [beyond]: cursor.createdAt } }, { id: { [beyond]: cursor.id } }],
      }
    : {};
  return {
    where,
    orderBy: [{ createdAt: direction }, { id: direction }],
    take: page.size + 1,
  };
}

export interface Page<T> {
  items: T[];
  /** Cursors for the neighbouring pages, null at either end. */
  next: string | null;
  previous: string | null;
}

/** Turns the rows of `keysetQuery` (one more than a page, to see whether more exist) into a page. */
export function pageOf<T extends PageCursor>(rows: T[], page: PageRequest): Page<T> {
  const more = rows.length > page.size;
  const items = rows.slice(0, page.size);
  if (page.before) items.reverse();
  const first = items[0];
  const last = items.at(-1);
  const hasNext = page.before ? true : more;
  const hasPrevious = page.before ? more : Boolean(page.after);
  return {
    items,
    next: hasNext && last ? encodeCursor(last) : null,
    previous: hasPrevious && first ? encodeCursor(first) : null,
  };
}

// ---------------------------------------------------------------------------------------------------
// The shipment page

export interface ShipmentTimelineEvent {
  status: string;
  message: string | null;
  city: string | null;
  country: string | null;
  happenedAt: Date;
}

/** The tracking page for each tracking number, as the carrier (or the merchant's fulfillment) gave it. */
export function trackingLinks(trackingNumbers: string[], trackingUrls: string[]): Array<{ number: string; url: string | null }> {
  return trackingNumbers.map((number, index) => ({ number, url: webUrl(trackingUrls[index]) }));
}

export function parseJsonList(value: string): string[] {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === "string") : [];
  } catch {
    return [];
  }
}

/** "in_transit" → "In transit". */
export function humanize(value: string | null | undefined): string {
  if (!value) return "";
  const words = value.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A date as the merchant reads it, in the shop's time zone (the same on the server and in the browser). */
export function formatDate(value: string | Date | null | undefined, timeZone: string, withTime = false): string {
  if (!value) return "";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "short",
    day: "numeric",
    ...(withTime ? { hour: "numeric", minute: "2-digit" } : {}),
  }).format(date);
}

/** The estimated delivery window, e.g. "Mar 3 – Mar 7, 2026". */
export function formatWindow(from: string | Date | null | undefined, to: string | Date | null | undefined, timeZone: string): string {
  if (!from && !to) return "";
  if (!from || !to) return formatDate(from ?? to, timeZone);
  const start = formatDate(from, timeZone);
  const end = formatDate(to, timeZone);
  return start === end ? start : `${start} – ${end}`;
}
