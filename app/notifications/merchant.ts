// A merchant's own decisions about single messages (admin: cancel, send now, resend). Re-planning
// never overrides them; the admin sets them, the planner reads them.
export const MERCHANT_CANCELLED = "Cancelled by the merchant";
export const MERCHANT_SENT_NOW = "Sent now by the merchant";
/** Plan key prefix of a message the merchant asked to send again: resend:<original id>:<n>. */
export const RESEND_PREFIX = "resend:";
