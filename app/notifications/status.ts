// A notification's status, and every rule about it, in one place: what the planner may still touch,
// what SendGrid has, what the merchant may do, how SendGrid's events move it, how the admin shows it.
// Pure; the column (Notification.status) holds exactly these values.

/** Every status, in the order the admin lists them. */
export const NOTIFICATION_STATUSES = ["scheduled", "sending", "sent", "delivered", "bounced", "dropped", "spam", "failed", "cancelled"] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** The statuses by name, for code that writes one: `status: NotificationStatus.sent`. */
export const NotificationStatus = {
  /** Planned, waiting for its time (or postponed, or retried later). */
  scheduled: "scheduled",
  /** Claimed by a worker (a lease), being handed to SendGrid. */
  sending: "sending",
  /** SendGrid accepted it. */
  sent: "sent",
  /** SendGrid events: */
  delivered: "delivered",
  bounced: "bounced",
  dropped: "dropped",
  spam: "spam",
  /** Gave up: out of attempts, or an error no retry fixes. */
  failed: "failed",
  /** Withdrawn before it was sent (by the plan, the merchant, a redaction, an unsubscribe, an uninstall). */
  cancelled: "cancelled",
} as const satisfies { [S in NotificationStatus]: S };

export function isNotificationStatus(value: unknown): value is NotificationStatus {
  return typeof value === "string" && (NOTIFICATION_STATUSES as readonly string[]).includes(value);
}

const among = (set: readonly NotificationStatus[]) => (status: string) => (set as readonly string[]).includes(status);

/** Out of the planner's hands: being sent, sent, or given up on. Re-planning never touches these. */
export const HANDED_OFF: readonly NotificationStatus[] = ["sending", "sent", "delivered", "bounced", "dropped", "spam", "failed"];
export const isHandedOff = among(HANDED_OFF);

/** The mail went to SendGrid: sending it again makes a new message (a resend). */
export const RESENDABLE: readonly NotificationStatus[] = ["sent", "delivered", "bounced", "dropped", "spam"];
export const isResendable = among(RESENDABLE);

/** Still waiting for its time: the only status that can be cancelled (by anyone). */
export const CANCELLABLE: readonly NotificationStatus[] = ["scheduled"];
export const canBeCancelled = among(CANCELLABLE);

/** The merchant's "send now": a waiting message, or one that failed (with its attempts again). */
export const SENDABLE_NOW: readonly NotificationStatus[] = ["scheduled", "failed"];
export const canSendNow = among(SENDABLE_NOW);

/** Not yet with SendGrid, but going to be: waiting, or being handed over right now. */
export const PENDING: readonly NotificationStatus[] = ["scheduled", "sending"];
export const isPending = among(PENDING);

/** SendGrid could not deliver it (the home page's figure; a spam report was delivered). */
export const UNDELIVERED: readonly NotificationStatus[] = ["bounced", "dropped"];

/**
 * The ladder SendGrid's events climb: a status only moves up, so a late `delivered` never un-bounces.
 * Cancelled is off the ladder (no event moves it).
 */
export const STATUS_RANK: Readonly<Partial<Record<NotificationStatus, number>>> = {
  scheduled: 0,
  sending: 0,
  failed: 0,
  sent: 1,
  delivered: 2,
  bounced: 3,
  dropped: 3,
  spam: 3,
};

/** The statuses an event that sets `status` may overwrite: those strictly below it on the ladder. */
export function statusesBelow(status: NotificationStatus): NotificationStatus[] {
  const rank = STATUS_RANK[status];
  if (rank === undefined) return [];
  return NOTIFICATION_STATUSES.filter((candidate) => {
    const other = STATUS_RANK[candidate];
    return other !== undefined && other < rank;
  });
}

export type StatusTone = "success" | "info" | "attention" | "warning" | "critical" | undefined;

const TONES: Record<NotificationStatus, StatusTone> = {
  scheduled: "info",
  sending: "attention",
  sent: "success",
  delivered: "success",
  bounced: "critical",
  dropped: "critical",
  spam: "critical",
  failed: "critical",
  cancelled: undefined,
};

/** How a message's status is shown in the admin (Polaris badge tones); read with any stored string. */
export const NOTIFICATION_TONE: Readonly<Record<string, StatusTone>> = TONES;
