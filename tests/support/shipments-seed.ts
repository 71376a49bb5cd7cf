// Shipments written straight into the database for the admin's tests and list benchmark: one late
// parcel with its order, carrier events and sent shipping confirmation, or many plain ones in bulk.
import type { Db } from "~/db.server";
import { DAY_MS } from "~/time";
import { refreshAtRisk } from "~/shipments/record.server";
import { atRiskColumns, DEFAULT_AT_RISK } from "~/shipments/at-risk";

export interface SeededShipment {
  shipmentId: string;
  orderShopifyId: string;
  confirmationId: string;
}

/** An order whose parcel is overdue and silent: shipped 20 days ago, due 10 days ago, last seen 12 days ago. */
export async function seedAtRiskShipment(
  db: Db,
  shop: string,
  options: { n: number; now?: Date; email?: string; country?: string },
): Promise<SeededShipment> {
  const now = options.now ?? new Date();
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const { n } = options;
  const orderShopifyId = String(880_000 + n);
  const fulfillmentId = String(990_000 + n);
  const trackingNumber = `JD0146000${String(n).padStart(5, "0")}`;
  const email = options.email ?? `late-buyer-${n}@example.test`;
  await db.order.create({
    data: {
      shop,
      shopifyId: orderShopifyId,
      name: `#${5000 + n}`,
      email,
      buyerName: `Late Buyer ${n}`,
      locale: "en",
      destinationCountry: options.country ?? "DE",
      totalPrice: "59.00",
      currency: "EUR",
      financialStatus: "paid",
      paidAt: ago(22),
      processedAt: ago(22),
      shopifyUpdatedAt: ago(20),
    },
  });
  const shipment = await db.shipment.create({
    data: {
      shop,
      shopifyId: fulfillmentId,
      orderShopifyId,
      name: `#${5000 + n}.1`,
      status: "success",
      shipmentStatus: "in_transit",
      trackingCompany: "DHL Express",
      carrierCode: "dhl_express",
      carrierName: "DHL Express",
      trackingNumbers: JSON.stringify([trackingNumber]),
      trackingUrls: JSON.stringify([`https://www.dhl.com/en/express/tracking.html?AWB=${trackingNumber}`]),
      destinationCountry: options.country ?? "DE",
      shippedAt: ago(20),
      estimatedDeliveryFrom: ago(14),
      estimatedDeliveryTo: ago(10),
      lastEventAt: ago(12),
      shopifyUpdatedAt: ago(12),
      createdAt: ago(20),
    },
  });
  await db.trackingEvent.createMany({
    data: [
      { status: "label_printed", message: "Shipment information received", city: "Shenzhen", country: "CN", happenedAt: ago(20) },
      { status: "in_transit", message: "Arrived at customs", city: "Leipzig", country: "DE", happenedAt: ago(12) },
    ].map((event, i) => ({ ...event, shop, shopifyId: `${fulfillmentId}-e${i}`, fulfillmentShopifyId: fulfillmentId, orderShopifyId })),
  });
  const confirmation = await db.notification.create({
    data: {
      shop,
      kind: "shipping_confirmation",
      planKey: `shipping_confirmation:${fulfillmentId}`,
      orderShopifyId,
      shipmentShopifyId: fulfillmentId,
      trackingNumber,
      locale: "en",
      recipient: email,
      scheduledFor: ago(20),
      status: "sent",
      attempts: 1,
      sentAt: ago(20),
      providerMessageId: `seeded-${n}`,
      subject: `Your order #${5000 + n} is on its way`,
      html: `<p>Your order <strong>#${5000 + n}</strong> shipped with DHL Express: ${trackingNumber}</p>`,
      text: `Your order #${5000 + n} shipped with DHL Express: ${trackingNumber}`,
      createdAt: ago(20),
    },
  });
  // Stored as a refresh would store it: the seed skips the record path.
  await refreshAtRisk(db, shop, now);
  return { shipmentId: shipment.id, orderShopifyId, confirmationId: confirmation.id };
}

/**
 * `count` shipments (and a shipping confirmation each) spread over `days` (a year by default), one in 37
 * lost on the way: the size a busy shop reaches. Written in batches so memory stays flat.
 */
export async function seedManyShipments(
  db: Db,
  shop: string,
  count: number,
  options: { now?: Date; days?: number; batch?: number } = {},
): Promise<void> {
  const now = options.now ?? new Date();
  const days = options.days ?? 365;
  const batch = options.batch ?? 5_000;
  const countries = ["DE", "FR", "US", "GB", "JP", "AU", "BR", "IT", "ES", "CA"];
  const carriers: Array<[string | null, string]> = [["dhl_express", "DHL Express"], ["ups", "UPS"], ["usps", "USPS"], [null, "Local Post"]];
  const moving = ["in_transit", "in_transit", "out_for_delivery", "label_printed", null];
  for (let start = 0; start < count; start += batch) {
    const size = Math.min(batch, count - start);
    const shipments = [];
    const notifications = [];
    for (let i = start; i < start + size; i++) {
      const ageDays = (i / count) * days;
      const created = new Date(now.getTime() - ageDays * DAY_MS);
      const [carrierCode, carrierName] = carriers[i % carriers.length]!;
      // One in 37 never arrives; the rest arrive after nine days.
      const lost = i % 37 === 0;
      const delivered = !lost && ageDays > 9;
      const shipmentStatus = delivered ? "delivered" : lost ? "in_transit" : moving[i % moving.length]!;
      const lastEventAt = lost
        ? new Date(created.getTime() + DAY_MS)
        : delivered
          ? new Date(created.getTime() + 9 * DAY_MS)
          : new Date(Math.max(created.getTime(), now.getTime() - (i % 3) * DAY_MS));
      const estimatedDeliveryTo = new Date(created.getTime() + 12 * DAY_MS);
      const trackingNumbers = [`BULK${i}X`];
      const facts = { status: "success", shipmentStatus, trackingNumbers, shippedAt: created, createdAt: created, deliveredAt: delivered ? lastEventAt : null, estimatedDeliveryTo, lastEventAt };
      shipments.push({
        // At risk as a refresh with the default settings would store it (no lane history here).
        ...atRiskColumns(facts, null, DEFAULT_AT_RISK),
        shop,
        shopifyId: `bulk-${i}`,
        orderShopifyId: `bulk-order-${i}`,
        name: `#${100_000 + i}.1`,
        status: "success",
        shipmentStatus,
        carrierCode,
        carrierName,
        trackingNumbers: JSON.stringify([`BULK${i}X`]),
        destinationCountry: countries[i % countries.length],
        shippedAt: created,
        estimatedDeliveryFrom: new Date(created.getTime() + 6 * DAY_MS),
        estimatedDeliveryTo,
        deliveredAt: delivered ? lastEventAt : null,
        lastEventAt,
        shopifyUpdatedAt: created,
        createdAt: created,
      });
      notifications.push({
        shop,
        kind: "shipping_confirmation",
        planKey: `shipping_confirmation:bulk-${i}`,
        orderShopifyId: `bulk-order-${i}`,
        shipmentShopifyId: `bulk-${i}`,
        trackingNumber: `BULK${i}X`,
        locale: "en",
        recipient: `bulk-${i}@example.test`,
        scheduledFor: created,
        status: i % 50 === 0 ? ("failed" as const) : ("sent" as const),
        sentAt: i % 50 === 0 ? null : created,
        lastError: i % 50 === 0 ? "550 5.1.1 mailbox does not exist" : null,
        providerMessageId: i % 50 === 0 ? null : `bulk-msg-${i}`,
        subject: `Your order #${100_000 + i} is on its way`,
        createdAt: created,
      });
    }
    await db.shipment.createMany({ data: shipments });
    await db.notification.createMany({ data: notifications });
  }
}
