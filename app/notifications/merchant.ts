// A merchant's own decisions about single messages (admin: cancel, send now, resend), kept in
// Notification.merchantAction. Re-planning never overrides them; the admin sets them, the planner reads them.
export const MERCHANT_ACTIONS = ["sent_now", "cancelled", "resend"] as const;
export type MerchantAction = (typeof MERCHANT_ACTIONS)[number];

export const MERCHANT_SENT_NOW: MerchantAction = "sent_now";
export const MERCHANT_CANCELLED: MerchantAction = "cancelled";
/** A resent copy the merchant asked for (its plan key starts with RESEND_PREFIX). */
export const MERCHANT_RESEND: MerchantAction = "resend";

/** How the admin describes each action on the message. */
export const MERCHANT_ACTION_NOTES: Record<MerchantAction, string> = {
  sent_now: "Sent now by the merchant",
  cancelled: "Cancelled by the merchant",
  resend: "Resent by the merchant",
};

export function isMerchantAction(value: unknown): value is MerchantAction {
  return typeof value === "string" && (MERCHANT_ACTIONS as readonly string[]).includes(value);
}

/** The admin's note for a row's merchantAction, or null. */
export function merchantActionNote(action: string | null | undefined): string | null {
  return isMerchantAction(action) ? MERCHANT_ACTION_NOTES[action] : null;
}

/** Plan key prefix of a message the merchant asked to send again: resend:<original id>:<n>. */
export const RESEND_PREFIX = "resend:";
