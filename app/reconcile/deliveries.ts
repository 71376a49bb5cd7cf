// A reconciled order as the webhook deliveries Shopify would have sent: fulfillment_events/create for
// each carrier event, then orders/updated with its fulfillments inline, through the history import's
// mapping of Admin GraphQL shapes to webhook payloads. Events first, so that the order and its
// shipments are planned once, with every event already known.
import { fulfillmentEventPayloadOf, fulfillmentPayloadOf, numericId, orderPayloadOf } from "~/history/shopify-shapes";
import type { ReconciledOrder } from "./orders-query";

export interface ReconciledDelivery {
  topic: "fulfillment_events/create" | "orders/updated";
  payload: Record<string, unknown>;
}

export function eventDeliveriesOf(order: ReconciledOrder): ReconciledDelivery[] {
  const orderId = numericId(order.id);
  return (order.fulfillments ?? []).flatMap((fulfillment) =>
    (fulfillment.events?.nodes ?? []).map((event) => ({
      topic: "fulfillment_events/create" as const,
      payload: { ...fulfillmentEventPayloadOf({ ...event, __parentId: fulfillment.id }, orderId) },
    })),
  );
}

export function orderDeliveryOf(order: ReconciledOrder): ReconciledDelivery {
  const { fulfillments, ...node } = order;
  const plain = { ...node, fulfillments: (fulfillments ?? []).map(({ events: _events, ...fulfillment }) => fulfillment) };
  return {
    topic: "orders/updated",
    payload: { ...orderPayloadOf(plain), fulfillments: plain.fulfillments.map((fulfillment) => fulfillmentPayloadOf(fulfillment, plain)) },
  };
}
