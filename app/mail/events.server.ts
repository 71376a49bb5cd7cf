// SendGrid's Event Webhook and the suppression list: verify a signed batch, fold delivered / bounce /
// dropped / spam report / unsubscribe events into Notification statuses, and remember the addresses a
// shop must not mail again. Everything is scoped by shop; replaying a batch changes nothing.
import { EventWebhook } from "@sendgrid/eventwebhook";
import type { Db } from "~/db.server";
import { eachSlice, inSlices } from "~/db/in-lists";
import { normalizeEmail } from "./address";
import { NotificationStatus, statusesBelow } from "~/notifications/status";
import { UNSUBSCRIBABLE_KINDS } from "~/notifications/kinds";

export const SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
export const TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";

/** The configured verification key cannot be read: a set-up problem, not a forged request. */
export class InvalidWebhookKeyError extends Error {}

const eventWebhook = new EventWebhook();
type EcdsaPublicKey = ReturnType<EventWebhook["convertPublicKeyToECDSA"]>;
// Parsing checks the point lies on the curve, so parsed keys are kept: the app's and each shop's own.
const parsedKeys = new Map<string, EcdsaPublicKey>();
const PARSED_KEYS_KEPT = 256;

function ecdsaKey(source: string): EcdsaPublicKey {
  const cached = parsedKeys.get(source);
  if (cached) return cached;
  // PEM pasted into a one-line environment variable often arrives with literal "\n" escapes.
  const normalized = source.trim().replace(/\\n/g, "\n");
  let key: EcdsaPublicKey;
  try {
    key = eventWebhook.convertPublicKeyToECDSA(normalized);
  } catch (error) {
    throw new InvalidWebhookKeyError(`the SendGrid event webhook public key cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (parsedKeys.size >= PARSED_KEYS_KEPT) parsedKeys.delete(parsedKeys.keys().next().value!);
  parsedKeys.set(source, key);
  return key;
}

/** True when `source` is a verification key SendGrid's signatures can be checked against. */
export function isReadableWebhookKey(source: string): boolean {
  try {
    ecdsaKey(source);
    return true;
  } catch (error) {
    if (error instanceof InvalidWebhookKeyError) return false;
    throw error;
  }
}

/**
 * True when `signature` is SendGrid's ECDSA signature of `timestamp` + the exact raw body. Throws
 * InvalidWebhookKeyError when the key itself is unusable.
 */
export function verifySendGridSignature(
  publicKeyBase64OrPem: string,
  rawBody: string | Buffer,
  signature: string | null | undefined,
  timestamp: string | null | undefined,
): boolean {
  const key = ecdsaKey(publicKeyBase64OrPem);
  if (!signature || !timestamp) return false;
  try {
    return eventWebhook.verifySignature(key, rawBody, signature, timestamp);
  } catch {
    return false; // a signature that is not base64 DER
  }
}

// ---------------------------------------------------------------------------------------------------
// Events → notification status and suppressions

export type SuppressionReason = "bounce" | "spamreport" | "unsubscribe" | "dropped";

interface Effect {
  status: NotificationStatus | null;
  suppress: SuppressionReason | null;
}

// SendGrid drops mail to addresses already on its own suppression lists; those stay suppressed here too.
const SUPPRESSING_DROP_REASONS = new Set(["bounced address", "unsubscribed address", "spam reporting address"]);

function effectOf(event: SendGridEvent): Effect | null {
  switch (event.event) {
    case "delivered":
      return { status: NotificationStatus.delivered, suppress: null };
    case "bounce":
      // "blocked" is a soft bounce (the receiving server refused for now): the address stays mailable.
      return { status: NotificationStatus.bounced, suppress: event.type === "blocked" ? null : "bounce" };
    case "dropped":
      return { status: NotificationStatus.dropped, suppress: SUPPRESSING_DROP_REASONS.has((event.reason ?? "").trim().toLowerCase()) ? "dropped" : null };
    case "spamreport":
      return { status: NotificationStatus.spam, suppress: "spamreport" };
    case "unsubscribe":
    case "group_unsubscribe":
      return { status: null, suppress: "unsubscribe" };
    default:
      return null; // processed, deferred, open, click, group_resubscribe: nothing to record
  }
}

// A status only moves up its ladder (STATUS_RANK), so a late `delivered` never un-bounces.

/** The fields of a SendGrid event Parcelwise reads; custom args arrive as top-level fields. */
interface SendGridEvent {
  event: string;
  email: string | null;
  timestamp: Date | null;
  notificationId: string | null;
  shop: string | null;
  /** The X-Message-Id of the send: sg_message_id up to the first ".". */
  messageId: string | null;
  type: string | null;
  reason: string | null;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

function readSendGridEvent(raw: unknown): SendGridEvent | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const fields = raw as Record<string, unknown>;
  const event = text(fields.event);
  if (!event) return null;
  const seconds = typeof fields.timestamp === "number" ? fields.timestamp : Number(text(fields.timestamp) ?? NaN);
  return {
    event,
    email: text(fields.email),
    timestamp: Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : null,
    notificationId: text(fields.notification_id),
    shop: text(fields.shop),
    messageId: text(fields.sg_message_id)?.split(".")[0] || null,
    type: text(fields.type),
    reason: text(fields.reason),
  };
}

export interface EventBatchResult {
  received: number;
  /** Events about a Parcelwise notification that change status or suppressions. */
  matched: number;
  /** Events of a kind we record, about a message we do not know (acknowledged, ignored). */
  unknown: number;
  /** Events of kinds we do not record (processed, open, click, ...) or unreadable entries. */
  ignored: number;
  statusChanges: number;
}

interface Target {
  id: string;
  shop: string;
  recipient: string;
  providerMessageId: string | null;
}

async function lookup(db: Db, column: "id" | "providerMessageId", values: string[]): Promise<Target[]> {
  return inSlices([...new Set(values)], (slice) =>
    db.notification.findMany({ where: { [column]: { in: slice } }, select: { id: true, shop: true, recipient: true, providerMessageId: true } }),
  );
}

/**
 * Applies one batch of SendGrid events. The notification is the one named by the event's
 * `notification_id` and `shop` custom args, else the one whose X-Message-Id the event carries (within
 * the event's shop when it names one). Events about unknown messages are ignored.
 */
export async function processSendGridEvents(db: Db, events: unknown[], now: Date): Promise<EventBatchResult> {
  const result: EventBatchResult = { received: events.length, matched: 0, unknown: 0, ignored: 0, statusChanges: 0 };
  const relevant: { event: SendGridEvent; effect: Effect }[] = [];
  for (const raw of events) {
    const event = readSendGridEvent(raw);
    const effect = event && effectOf(event);
    if (event && effect) relevant.push({ event, effect });
    else result.ignored++;
  }
  // SendGrid does not promise order within a batch; apply in event time (stable for equal times).
  relevant.sort((a, b) => (a.event.timestamp?.getTime() ?? now.getTime()) - (b.event.timestamp?.getTime() ?? now.getTime()));

  const byId = new Map((await lookup(db, "id", relevant.flatMap(({ event }) => (event.notificationId ? [event.notificationId] : [])))).map((n) => [n.id, n]));
  const byMessageId = new Map<string, Target[]>();
  for (const n of await lookup(db, "providerMessageId", relevant.flatMap(({ event }) => (event.messageId ? [event.messageId] : []))))
    byMessageId.set(n.providerMessageId!, [...(byMessageId.get(n.providerMessageId!) ?? []), n]);

  const find = (event: SendGridEvent): Target | undefined => {
    const named = event.notificationId ? byId.get(event.notificationId) : undefined;
    if (named && event.shop && named.shop === event.shop) return named;
    if (!event.messageId) return undefined;
    // Mails sent in one request share its X-Message-Id (a personalization each): the event's recipient
    // tells them apart.
    const candidates = (byMessageId.get(event.messageId) ?? []).filter((n) => !event.shop || n.shop === event.shop);
    if (candidates.length <= 1) return candidates[0];
    const email = event.email ? normalizeEmail(event.email) : null;
    return email ? candidates.find((n) => normalizeEmail(n.recipient) === email) : undefined;
  };

  for (const { event, effect } of relevant) {
    const notification = find(event);
    if (!notification) {
      result.unknown++;
      continue;
    }
    result.matched++;
    const at = event.timestamp ?? now;
    const where = { id: notification.id, shop: notification.shop };
    if (effect.status) {
      const moved = await db.notification.updateMany({
        where: { ...where, status: { in: statusesBelow(effect.status) } },
        data: { status: effect.status, providerEvent: event.event, providerEventAt: at },
      });
      result.statusChanges += moved.count;
    } else {
      // An event that leaves the status alone is still the latest word, unless a newer one is recorded.
      await db.notification.updateMany({
        where: { ...where, OR: [{ providerEventAt: null }, { providerEventAt: { lt: at } }] },
        data: { providerEvent: event.event, providerEventAt: at },
      });
    }
    if (effect.suppress) await suppress(db, notification.shop, event.email ?? notification.recipient, effect.suppress);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Suppression list

/** Adds (shop, email) to the suppression list; the first reason recorded is kept. */
export async function suppress(db: Db, shop: string, email: string, reason: SuppressionReason): Promise<void> {
  const address = normalizeEmail(email);
  try {
    // One INSERT, not an upsert: Prisma runs an upsert as a read-then-write transaction, and on SQLite a
    // read transaction that must then write while another process (the worker) writes fails at once
    // instead of waiting for the lock; a lone INSERT waits (busy_timeout) like every other write.
    await db.suppression.create({ data: { shop, email: address, reason }, select: { id: true } });
  } catch (error) {
    // Suppressed already (the first reason stands), or two deliveries suppressing the address at once.
    if ((error as { code?: unknown }).code !== "P2002") throw error;
  }
}

export async function isSuppressed(db: Db, shop: string, email: string): Promise<boolean> {
  const row = await db.suppression.findUnique({ where: { shop_email: { shop, email: normalizeEmail(email) } }, select: { id: true } });
  return row !== null;
}

/** The addresses among `emails` that `shop` must not mail, lowercased. */
export async function suppressedAmong(db: Db, shop: string, emails: string[]): Promise<Set<string>> {
  const addresses = [...new Set(emails.map(normalizeEmail))];
  const rows = await inSlices(addresses, (slice) => db.suppression.findMany({ where: { shop, email: { in: slice } }, select: { email: true } }));
  return new Set(rows.map((row) => row.email));
}

/**
 * The buyer asked to stop: suppress the address for the shop and cancel their still-scheduled delay
 * notices and feedback requests. Safe to repeat.
 */
export async function unsubscribeBuyer(db: Db, shop: string, email: string): Promise<{ cancelled: number }> {
  const address = normalizeEmail(email);
  await suppress(db, shop, address, "unsubscribe");
  // Recipients are stored as the buyer typed them; neither database compares case-insensitively here.
  const scheduled = await db.notification.findMany({
    where: { shop, status: NotificationStatus.scheduled, kind: { in: [...UNSUBSCRIBABLE_KINDS] } },
    select: { id: true, recipient: true },
  });
  const ids = scheduled.filter((n) => normalizeEmail(n.recipient) === address).map((n) => n.id);
  if (ids.length === 0) return { cancelled: 0 };
  const count = await eachSlice(ids, (slice) =>
    db.notification.updateMany({
      where: { id: { in: slice }, shop, status: NotificationStatus.scheduled },
      data: { status: NotificationStatus.cancelled, lastError: "the buyer unsubscribed" },
    }),
  );
  return { cancelled: count };
}
