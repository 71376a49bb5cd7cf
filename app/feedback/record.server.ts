// Records a refund or a return's new status on its order, for the delivery's transaction (the caller
// re-plans after it: a request still waiting is then withdrawn). An order Parcelwise has not recorded
// changes nothing: its own webhook carries its refunds when it comes.
import type { Prisma } from "@prisma/client";
import { parsePayload } from "~/webhooks/topics";
import { refundPayload, refundedLineAt, returnPayload, returnStatusOf, type ReturnTopic } from "./payload";

type Tx = Prisma.TransactionClient;

/** What a refunds/create or returns/* delivery writes: the order it is about, and the write. */
export interface OrderFactWork {
  orderShopifyId: string;
  record: (tx: Tx, shop: string) => Promise<void>;
}

export function refundWork(payload: unknown, receivedAt: Date): OrderFactWork {
  const refund = parsePayload(refundPayload, payload, "refunds/create");
  const at = refundedLineAt(refund);
  return {
    orderShopifyId: refund.order_id,
    record: async (tx, shop) => {
      if (!(refund.refund_line_items ?? []).length) return;
      // The first refund stands: a refund is never undone.
      await tx.order.updateMany({ where: { shop, shopifyId: refund.order_id, refundedAt: null }, data: { refundedAt: at ?? receivedAt } });
    },
  };
}

/** `at`: when Shopify triggered the event; an event older than the status stored changes nothing. */
export function returnWork(topic: ReturnTopic, payload: unknown, at: Date): OrderFactWork {
  const ret = parsePayload(returnPayload, payload, topic);
  const returnStatus = returnStatusOf(topic, ret.status);
  return {
    orderShopifyId: ret.order.id,
    record: async (tx, shop) => {
      await tx.order.updateMany({
        where: { shop, shopifyId: ret.order.id, OR: [{ returnUpdatedAt: null }, { returnUpdatedAt: { lte: at } }] },
        data: { returnStatus, returnUpdatedAt: at },
      });
    },
  };
}
