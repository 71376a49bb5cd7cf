// The fault-injection suite's bookkeeping: signed webhooks sent as Shopify sends them (retried until
// answered 200), what was answered, and what the database and the SendGrid capture server hold after
// the fault. Each scenario checks the same things: nothing answered 200 is lost or recorded twice,
// nothing is half-recorded, every due mail is sent, and no mail is sent twice.
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { webhookRequest, type ShopifyDelivery } from "#tests/standins/sign";
import { orderPayloadFor } from "#tests/demo/scenario";
import { eventually, TEST_SECRET, TEST_SHOP, type AppServer } from "./app-server";

const MINUTE = 60_000;

export interface Sent {
  delivery: ShopifyDelivery & { webhookId: string };
  /** The HTTP status, or null when the request got no answer (connection refused or reset). */
  status: number | null;
}

/** Two deliveries per order (orders/create, then orders/paid) and a replay of every tenth paid one. */
export function orderBurst(firstOrderId: number, count: number, paidAt: Date, shop = TEST_SHOP): Array<ShopifyDelivery & { webhookId: string }> {
  const deliveries: Array<ShopifyDelivery & { webhookId: string }> = [];
  for (let i = 0; i < count; i++) {
    const id = firstOrderId + i;
    const buyer = { first: "Buyer", last: `${id}`, email: `buyer${id}@example.test`, locale: "en", country: "DE", city: "Berlin", zip: "10115", address1: "Street 1" };
    const order = orderPayloadFor(id, id, buyer, { processed: paidAt, updated: paidAt });
    deliveries.push({ topic: "orders/create", shop, payload: order, webhookId: randomUUID() });
    const paid = { topic: "orders/paid", shop, payload: { ...order, updated_at: new Date(paidAt.getTime() + 1000).toISOString() }, webhookId: randomUUID() };
    deliveries.push(paid);
    if (i % 10 === 0) deliveries.push({ ...paid }); // Shopify delivers some webhooks twice
  }
  return deliveries;
}

/** Sends deliveries `concurrency` at a time; `onAnswer` sees each outcome as it comes. */
export async function sendAll(
  baseUrl: string,
  deliveries: Array<ShopifyDelivery & { webhookId: string }>,
  concurrency = 16,
  /** Called on each answer; the lane that got it sends its next delivery once what this returns has settled. */
  onAnswer?: (sent: Sent) => void | Promise<void>,
): Promise<Sent[]> {
  const results: Sent[] = [];
  let next = 0;
  const lane = async () => {
    while (next < deliveries.length) {
      const delivery = deliveries[next++]!;
      const { url, init } = webhookRequest(baseUrl, TEST_SECRET, delivery);
      let status: number | null = null;
      try {
        const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
        await response.arrayBuffer();
        status = response.status;
      } catch {
        // refused, reset or cut off: Shopify saw no 200 and will retry
      }
      const sent = { delivery, status };
      results.push(sent);
      await onAnswer?.(sent);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return results;
}

/** Shopify's retries: every delivery not answered 200 is sent again, same webhook id, until it is. */
export async function retryUntilAnswered(baseUrl: string, sent: Sent[], timeoutMs = 60_000): Promise<number> {
  let pending = sent.filter((s) => s.status !== 200).map((s) => s.delivery);
  const retried = pending.length;
  const deadline = Date.now() + timeoutMs;
  while (pending.length > 0) {
    if (Date.now() > deadline) throw new Error(`${pending.length} deliveries still not answered 200`);
    const again = await sendAll(baseUrl, pending, 8);
    pending = again.filter((s) => s.status !== 200).map((s) => s.delivery);
    if (pending.length) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return retried;
}

export const acknowledged = (sent: Sent[]) => sent.filter((s) => s.status === 200);

/** Waits until the inbox has nothing pending or in progress. */
export async function inboxDrained(app: AppServer, timeoutMs = 60_000): Promise<void> {
  await eventually(async () => (await app.db.webhookReceipt.count({ where: { status: { in: ["pending", "processing"] } } })) === 0, timeoutMs, "the inbox drained");
}

/**
 * Nothing answered 200 is lost and nothing is half-recorded: every acknowledged webhook id has one
 * processed receipt, and every receipt that exists at all was processed with its order recorded.
 * Returns how many distinct deliveries were acknowledged and recorded.
 */
export async function expectRecorded(app: AppServer, sent: Sent[], shop = TEST_SHOP): Promise<{ acknowledged: number; recorded: number }> {
  const ids = [...new Set(acknowledged(sent).map((s) => s.delivery.webhookId))];
  const receipts = await app.db.webhookReceipt.findMany({ where: { shop, webhookId: { in: [...new Set(sent.map((s) => s.delivery.webhookId))] } }, select: { webhookId: true, status: true, orderShopifyId: true } });
  const processed = new Set(receipts.filter((r) => r.status === "processed").map((r) => r.webhookId));
  expect(ids.filter((id) => !processed.has(id))).toEqual([]); // acknowledged yet lost
  expect(receipts.filter((r) => r.status !== "processed")).toEqual([]); // half-recorded or stuck
  const orderIds = [...new Set(receipts.map((r) => r.orderShopifyId!))];
  const orders = await app.db.order.count({ where: { shop, shopifyId: { in: orderIds } } });
  expect(orders).toBe(orderIds.length);
  return { acknowledged: ids.length, recorded: ids.filter((id) => processed.has(id)).length };
}

export interface MailCount {
  due: number;
  sent: number;
  duplicates: string[];
}

/**
 * Every due mail is sent, once: each notification the plan wants (one per order here) ends up sent, and the capture server got
 * it that many times. `orderIds`: the orders whose mail this scenario is about.
 */
export async function expectMailOnce(app: AppServer, orderIds: string[], options: { shop?: string; timeoutMs?: number; allowedDuplicates?: Set<string> } = {}): Promise<MailCount> {
  const shop = options.shop ?? TEST_SHOP;
  // What the plan wants sent (a retry or a rate-limit pause moves a row's time, not whether it is due).
  const dueWhere = { shop, orderShopifyId: { in: orderIds }, status: { not: "cancelled" as const } };
  const due = await app.db.notification.findMany({ where: dueWhere, select: { id: true } });
  // One handling commitment per order, paid long enough ago to be due by now.
  expect(due.length).toBe(orderIds.length);
  const dueIds = new Set(due.map((n) => n.id));
  await eventually(async () => (await app.db.notification.count({ where: { ...dueWhere, status: "sent" } })) === due.length, options.timeoutMs ?? 90_000, `all ${due.length} due mails sent`);
  // The worker keeps running: give it a moment in which a second copy would show.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const perNotification = new Map<string, number>();
  for (const mail of app.capture.mails) {
    const id = mail.customArgs.notification_id;
    if (id && dueIds.has(id)) perNotification.set(id, (perNotification.get(id) ?? 0) + 1);
  }
  expect([...dueIds].filter((id) => !perNotification.has(id))).toEqual([]); // marked sent, never captured
  const duplicates = [...perNotification].filter(([, n]) => n > 1).map(([id]) => id);
  expect(duplicates.filter((id) => !options.allowedDuplicates?.has(id))).toEqual([]);
  return { due: due.length, sent: perNotification.size, duplicates };
}

/** Orders paid an hour ago: their handling commitment (10 minutes after payment by default) is due. */
export const paidAnHourAgo = () => new Date(Date.now() - 60 * MINUTE);

export const orderIdsOf = (deliveries: Array<{ payload: unknown }>) => [...new Set(deliveries.map((d) => String((d.payload as { id: number }).id)))];

/** The one-line summary each scenario prints. */
export function summary(scenario: string, counts: { acknowledged: number; recorded: number; refused?: number } & MailCount, extra = ""): string {
  const line =
    `[faults] ${scenario}: ${counts.acknowledged} acknowledged, ${counts.recorded} recorded` +
    (counts.refused !== undefined ? `, ${counts.refused} not answered 200 (retried)` : "") +
    `; ${counts.due} mails due, ${counts.sent} sent, ${counts.duplicates.length} duplicates${extra ? `; ${extra}` : ""}`;
  console.log(line);
  return line;
}
