// The notification log for one shop: the filtered list a page at a time, one message as it was sent,
// the CSV export, and the merchant's actions (send now, resend, cancel). Every read and write is
// scoped to the shop, so an id from another shop finds nothing.
import type { Prisma } from "@prisma/client";
import type { Db } from "~/db.server";
import { listSettings, ordersMatching } from "./shipments.server";
import { keysetQuery, pageOf, type Page, type PageRequest } from "./shipments";
import { MERCHANT_CANCELLED, MERCHANT_RESEND, MERCHANT_SENT_NOW } from "~/notifications/merchant";
import { isPending, NotificationStatus } from "~/notifications/status";
import { activityWhere, messageActions, resendPlanKey, RESEND_PREFIX, type ActivityFilters, type MessageAction } from "./activity";
import { ACTIVITY_CSV_SELECT, activityCsvHeader, activityCsvLine } from "./activity-csv";
import { clicksByMessage, type MessageClicks } from "./feedback-clicks.server";

async function whereFor(db: Db, shop: string, filters: ActivityFilters) {
  const [{ timezone }, orderIds] = await Promise.all([listSettings(db, shop), ordersMatching(db, shop, filters.query)]);
  return activityWhere(shop, filters, { timezone, orderIds });
}

const LIST_SELECT = {
  id: true,
  kind: true,
  status: true,
  recipient: true,
  orderShopifyId: true,
  shipmentShopifyId: true,
  scheduledFor: true,
  sentAt: true,
  subject: true,
  providerMessageId: true,
  providerEvent: true,
  lastError: true,
  merchantAction: true,
  createdAt: true,
} as const;

export type ActivityListItem = Prisma.NotificationGetPayload<{ select: typeof LIST_SELECT }> & {
  orderName: string | null;
  shipmentId: string | null;
  /** Feedback requests: whether a review link was clicked, and the star. */
  feedback: MessageClicks | null;
};

export async function listActivity(
  db: Db,
  shop: string,
  filters: ActivityFilters,
  page: PageRequest,
): Promise<{ page: Page<ActivityListItem>; total: number }> {
  const where = await whereFor(db, shop, filters);
  const keyset = keysetQuery(page);
  const [rows, total] = await Promise.all([
    db.notification.findMany({ where: { AND: [where, keyset.where] }, orderBy: keyset.orderBy, take: keyset.take, select: LIST_SELECT }),
    db.notification.count({ where }),
  ]);
  const { items, next, previous } = pageOf(rows, page);
  const [orders, shipments, clicks] = await Promise.all([
    db.order.findMany({
      where: { shop, shopifyId: { in: [...new Set(items.map((row) => row.orderShopifyId))] } },
      select: { shopifyId: true, name: true },
    }),
    db.shipment.findMany({
      where: { shop, shopifyId: { in: [...new Set(items.flatMap((row) => (row.shipmentShopifyId ? [row.shipmentShopifyId] : [])))] } },
      select: { id: true, shopifyId: true },
    }),
    clicksByMessage(db, shop, items.filter((row) => row.kind === "feedback_request").map((row) => row.id)),
  ]);
  const orderNames = new Map(orders.map((order) => [order.shopifyId, order.name]));
  const shipmentIds = new Map(shipments.map((shipment) => [shipment.shopifyId, shipment.id]));
  return {
    total,
    page: {
      next,
      previous,
      items: items.map((row) => ({
        ...row,
        orderName: orderNames.get(row.orderShopifyId) ?? null,
        shipmentId: row.shipmentShopifyId ? (shipmentIds.get(row.shipmentShopifyId) ?? null) : null,
        feedback: row.kind === "feedback_request" ? (clicks.get(row.id) ?? { clicked: false, clicks: 0, rating: null }) : null,
      })),
    },
  };
}

/** One message of the shop as it was planned and sent (with the rendered mail), or null. */
export async function notificationDetail(db: Db, shop: string, id: string) {
  const notification = await db.notification.findFirst({ where: { id, shop } });
  if (!notification) return null;
  const [order, shipment] = await Promise.all([
    db.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: notification.orderShopifyId } }, select: { name: true } }),
    notification.shipmentShopifyId
      ? db.shipment.findUnique({ where: { shop_shopifyId: { shop, shopifyId: notification.shipmentShopifyId } }, select: { id: true, name: true } })
      : null,
  ]);
  const { leaseUntil: _lease, shop: _shop, ...shown } = notification;
  return { notification: shown, orderName: order?.name ?? null, shipment };
}

/** The CSV file of every message the filters match, read a thousand rows at a time. */
export function activityCsvStream(db: Db, shop: string, filters: ActivityFilters, batchSize = 1000): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let where: Prisma.NotificationWhereInput | null = null;
  let page: PageRequest = { after: null, before: null, size: batchSize };
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return controller.close();
      if (!where) {
        where = await whereFor(db, shop, filters);
        // A byte order mark, so spreadsheet programs read the file as UTF-8.
        controller.enqueue(encoder.encode("\uFEFF" + activityCsvHeader()));
      }
      const keyset = keysetQuery(page);
      const rows = await db.notification.findMany({
        where: { AND: [where, keyset.where] },
        orderBy: keyset.orderBy,
        take: keyset.take,
        select: ACTIVITY_CSV_SELECT,
      });
      const batch = rows.slice(0, batchSize);
      if (batch.length) controller.enqueue(encoder.encode(batch.map(activityCsvLine).join("")));
      const last = batch.at(-1);
      if (rows.length <= batchSize || !last) {
        done = true;
        controller.close();
        return;
      }
      page = { after: { createdAt: last.createdAt, id: last.id }, before: null, size: batchSize };
    },
  });
}

// ---------------------------------------------------------------------------------------------------
// Actions

export type ActionResult =
  | { ok: true; message: string; notificationId: string }
  | { ok: false; status: 404 | 409; error: string };

const notFound: ActionResult = { ok: false, status: 404, error: "This message does not exist." };
const changed = (status: string): ActionResult => ({
  ok: false,
  status: 409,
  error: `This message is now ${status}; reload the page to see what you can do with it.`,
});

export async function applyMessageAction(db: Db, shop: string, id: string, action: MessageAction, now: Date): Promise<ActionResult> {
  const notification = await db.notification.findFirst({ where: { id, shop } });
  if (!notification) return notFound;
  if (!messageActions(notification.status).includes(action)) return changed(notification.status);
  if (action === "cancel") return cancelMessage(db, shop, notification.id);
  if (action === "send_now") return sendNow(db, shop, notification.id, notification.status, now);
  return resend(db, shop, notification, now);
}

async function cancelMessage(db: Db, shop: string, id: string): Promise<ActionResult> {
  // Only while still waiting: the worker may have claimed it a moment ago.
  const { count } = await db.notification.updateMany({
    where: { id, shop, status: NotificationStatus.scheduled },
    data: { status: NotificationStatus.cancelled, merchantAction: MERCHANT_CANCELLED },
  });
  if (count === 0) return changed((await db.notification.findFirst({ where: { id, shop }, select: { status: true } }))?.status ?? "gone");
  return { ok: true, message: "Message cancelled", notificationId: id };
}

async function sendNow(db: Db, shop: string, id: string, status: NotificationStatus, now: Date): Promise<ActionResult> {
  // A failed message gets its full set of attempts again; a waiting one keeps its count.
  const { count } = await db.notification.updateMany({
    where: { id, shop, status },
    // Marked, so re-planning keeps the merchant's "now" (also after the worker postponed it and noted
    // why in lastError); a failed one keeps its error for the record.
    data: { status: NotificationStatus.scheduled, scheduledFor: now, leaseUntil: null, merchantAction: MERCHANT_SENT_NOW, ...(status === NotificationStatus.failed ? { attempts: 0 } : {}) },
  });
  if (count === 0) return changed((await db.notification.findFirst({ where: { id, shop }, select: { status: true } }))?.status ?? "gone");
  return { ok: true, message: "Message will be sent now", notificationId: id };
}

type NotificationRow = NonNullable<Awaited<ReturnType<Db["notification"]["findFirst"]>>>;

async function resend(db: Db, shop: string, original: NotificationRow, now: Date): Promise<ActionResult> {
  const prefix = `${RESEND_PREFIX}${original.id}:`;
  const earlier = await db.notification.findMany({ where: { shop, planKey: { startsWith: prefix } }, select: { planKey: true, status: true } });
  // A second click while the first resend still waits would mail the buyer twice.
  if (earlier.some((row) => isPending(row.status))) {
    return { ok: false, status: 409, error: "A resend of this message is already waiting to be sent." };
  }
  let n = earlier.length + 1;
  for (let tries = 0; tries < 5; tries++, n++) {
    try {
      const created = await db.notification.create({
        data: {
          shop,
          kind: original.kind,
          planKey: resendPlanKey(original.id, n),
          orderShopifyId: original.orderShopifyId,
          shipmentShopifyId: original.shipmentShopifyId,
          trackingNumber: original.trackingNumber,
          locale: original.locale,
          recipient: original.recipient,
          scheduledFor: now,
          status: NotificationStatus.scheduled,
          merchantAction: MERCHANT_RESEND,
        },
      });
      return { ok: true, message: "Message will be sent again", notificationId: created.id };
    } catch (error) {
      // Another request took this number a moment ago: take the next.
      if ((error as { code?: unknown } | null)?.code !== "P2002") throw error;
    }
  }
  return { ok: false, status: 409, error: "This message is being resent already." };
}
