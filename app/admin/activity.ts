// The notification log as database queries, and what a merchant may do with one message. Pure: the
// filters are read and checked here (errors name the field they belong to), time is a parameter.
import type { Prisma } from "@prisma/client";
import { zonedTime } from "~/notifications/daytime";
import { MESSAGE_KINDS, type MessageKind } from "~/templates/variables";
import { canBeCancelled, canSendNow, isNotificationStatus, isResendable, type NotificationStatus } from "~/notifications/status";

export const ACTIVITY_PAGE_SIZE = 50;

export { NOTIFICATION_STATUSES, NOTIFICATION_TONE, type NotificationStatus } from "~/notifications/status";

export interface ActivityFilters {
  query: string;
  statuses: NotificationStatus[];
  kinds: MessageKind[];
  /** Local dates (YYYY-MM-DD) in the shop's time zone, both ends included. */
  from: string;
  to: string;
}

export type ActivityFilterErrors = Partial<Record<"from" | "to", string>>;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(value: string): { year: number; month: number; day: number } | null {
  const match = DATE.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return { year, month, day };
}

const isStatus = (value: string): value is NotificationStatus => isNotificationStatus(value);
const isKind = (value: string): value is MessageKind => (MESSAGE_KINDS as readonly string[]).includes(value);

/** Reads the log's filters from its URL. Bad dates are reported next to their field and not applied. */
export function parseActivityFilters(params: URLSearchParams): { filters: ActivityFilters; errors: ActivityFilterErrors } {
  const list = (key: string) => params.getAll(key).flatMap((value) => value.split(",")).map((value) => value.trim()).filter(Boolean);
  const errors: ActivityFilterErrors = {};
  const from = (params.get("from") ?? "").trim();
  const to = (params.get("to") ?? "").trim();
  if (from && !parseDate(from)) errors.from = "Enter a date as YYYY-MM-DD, e.g. 2026-03-01";
  if (to && !parseDate(to)) errors.to = "Enter a date as YYYY-MM-DD, e.g. 2026-03-31";
  if (from && to && !errors.from && !errors.to && to < from) errors.to = "The end date is before the start date";
  return {
    filters: {
      query: (params.get("query") ?? "").slice(0, 200),
      statuses: list("status").filter(isStatus),
      kinds: list("kind").filter(isKind),
      from: errors.from || errors.to ? "" : from,
      to: errors.from || errors.to ? "" : to,
    },
    errors,
  };
}

/** The filters back as URL parameters (shared by the list, its pages and the CSV export). */
export function activityFilterParams(filters: ActivityFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.query) params.set("query", filters.query);
  for (const status of filters.statuses) params.append("status", status);
  for (const kind of filters.kinds) params.append("kind", kind);
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  return params;
}

/**
 * The log's filters for one shop. Dates are days in the shop's time zone; `orderIds` are the Shopify
 * ids of orders whose number or buyer matched the search.
 */
export function activityWhere(
  shop: string,
  filters: ActivityFilters,
  context: { timezone: string; orderIds?: string[] },
): Prisma.NotificationWhereInput {
  const and: Prisma.NotificationWhereInput[] = [];
  const query = filters.query.trim();
  if (query) {
    and.push({
      OR: [
        { recipient: { contains: query } },
        { subject: { contains: query } },
        { providerMessageId: { startsWith: query } },
        { trackingNumber: query },
        { orderShopifyId: { in: [query, ...(context.orderIds ?? [])] } },
      ],
    });
  }
  if (filters.statuses.length) and.push({ status: { in: filters.statuses } });
  if (filters.kinds.length) and.push({ kind: { in: filters.kinds } });
  const from = filters.from ? parseDate(filters.from) : null;
  const to = filters.to ? parseDate(filters.to) : null;
  if (from) and.push({ createdAt: { gte: zonedTime(from.year, from.month, from.day, 0, context.timezone) } });
  if (to) {
    const next = new Date(Date.UTC(to.year, to.month - 1, to.day + 1));
    and.push({ createdAt: { lt: zonedTime(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, context.timezone) } });
  }
  return and.length ? { shop, AND: and } : { shop };
}

// ---------------------------------------------------------------------------------------------------
// What the merchant can do with one message

export type MessageAction = "send_now" | "resend" | "cancel";

export { RESENDABLE } from "~/notifications/status";

/** What the merchant may do with a message in this status (send now and cancel, send now, or resend). */
export function messageActions(status: string): MessageAction[] {
  const actions: MessageAction[] = [];
  if (canSendNow(status)) actions.push("send_now");
  if (canBeCancelled(status)) actions.push("cancel");
  if (isResendable(status)) actions.push("resend");
  return actions;
}

export function isMessageAction(value: unknown): value is MessageAction {
  return value === "send_now" || value === "resend" || value === "cancel";
}

/** A resend's identity: the n-th resend of one message (plan keys are unique per shop). */
export function resendPlanKey(originalId: string, n: number): string {
  return `resend:${originalId}:${n}`;
}

export { RESEND_PREFIX } from "~/notifications/merchant";


export const MESSAGE_ACTION_LABELS: Record<MessageAction, string> = {
  send_now: "Send now",
  resend: "Resend",
  cancel: "Cancel message",
};
