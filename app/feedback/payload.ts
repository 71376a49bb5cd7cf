// Shopify's refunds/create and returns/* payloads → what the feedback rules record on the order. Lenient
// about the rest: a refund carries its order's id and its lines, a return its order and its status.
import { z } from "zod/v4";

const id = z.union([z.number(), z.string().min(1)]).transform((value) => String(value));
const optionalTimestamp = z
  .string()
  .nullish()
  .transform((value) => (value ? new Date(value) : null))
  .refine((value) => value === null || !Number.isNaN(value.getTime()), "is not a date");

export const refundPayload = z
  .object({ id, order_id: id, created_at: optionalTimestamp, processed_at: optionalTimestamp, refund_line_items: z.array(z.unknown()).nullish() })
  .passthrough();

export const returnPayload = z.object({ id, status: z.string().nullish(), order: z.object({ id }).passthrough() }).passthrough();

export const RETURN_TOPICS = ["returns/request", "returns/approve", "returns/decline", "returns/cancel", "returns/close", "returns/reopen", "returns/process"] as const;
export type ReturnTopic = (typeof RETURN_TOPICS)[number];

/** A Return's status (REQUESTED, OPEN, CLOSED, DECLINED, CANCELED) as the order's returnStatus reads it. */
const FROM_RETURN_STATUS: Record<string, string> = {
  requested: "RETURN_REQUESTED",
  open: "IN_PROGRESS",
  closed: "RETURNED",
  declined: "NO_RETURN",
  canceled: "NO_RETURN",
  cancelled: "NO_RETURN",
};

/** What each topic means when its payload carries no status Parcelwise knows. */
const FROM_TOPIC: Record<ReturnTopic, string> = {
  "returns/request": "RETURN_REQUESTED",
  "returns/approve": "IN_PROGRESS",
  "returns/reopen": "IN_PROGRESS",
  "returns/process": "IN_PROGRESS",
  "returns/close": "RETURNED",
  "returns/decline": "NO_RETURN",
  "returns/cancel": "NO_RETURN",
};

export function returnStatusOf(topic: ReturnTopic, status: string | null | undefined): string {
  return FROM_RETURN_STATUS[(status ?? "").toLowerCase()] ?? FROM_TOPIC[topic];
}

export const isReturnTopic = (topic: string): topic is ReturnTopic => (RETURN_TOPICS as readonly string[]).includes(topic);

/** A refund counts when it gives back at least one line (a shipping-only refund or an adjustment does not). */
export function refundedLineAt(refund: z.infer<typeof refundPayload>): Date | null {
  if ((refund.refund_line_items ?? []).length === 0) return null;
  return refund.created_at ?? refund.processed_at;
}
