// Shopify's mandatory compliance webhooks. Buyer data is personal data: redaction erases it from every
// table that holds it, and shop/redact removes everything the shop ever sent us. What the database keeps
// below the rows is erased after the transaction (erase-residue.server.ts).
import type { Prisma } from "@prisma/client";
import type { ComplianceCustomerPayload } from "./payload";
import { NotificationStatus } from "~/notifications/status";
import { normalizeEmail } from "~/mail/address";
import { eachSlice } from "~/db/in-lists";

type Tx = Prisma.TransactionClient;
export const REDACTED = "[redacted]";

export async function recordDataRequest(tx: Tx, shop: string, request: ComplianceCustomerPayload): Promise<void> {
  await tx.complianceRequest.create({
    data: {
      shop,
      topic: "customers/data_request",
      customerEmail: request.customer.email ?? null,
      customerId: request.customer.id ?? null,
      orderIds: JSON.stringify(request.orders_requested ?? []),
    },
  });
}

export async function redactCustomer(tx: Tx, shop: string, request: ComplianceCustomerPayload, now: Date): Promise<void> {
  const email = request.customer.email ?? undefined;
  const orderIds = request.orders_to_redact ?? [];
  // Her orders: those Shopify names, and those with her address (the ones it names are in `orderIds`
  // already). A buyer of many orders makes long lists, so each list goes a slice at a time (in-lists.ts).
  const byAddress = email
    ? await tx.order.findMany({ where: { shop, OR: [{ email }, { emailKey: normalizeEmail(email) }] }, select: { shopifyId: true } })
    : [];
  const ids = [...new Set([...orderIds, ...byAddress.map((o) => o.shopifyId)])];
  await eachSlice(ids, (slice) =>
    tx.order.updateMany({
      where: { shop, shopifyId: { in: slice } },
      data: { email: null, emailKey: null, buyerName: null, shippingAddress: null, redactedAt: now },
    }),
  );
  // Her notifications: by her orders, and by her address.
  const hers = async (write: (where: Prisma.NotificationWhereInput) => Promise<{ count: number }>) => {
    await eachSlice(ids, (slice) => write({ orderShopifyId: { in: slice } }));
    if (email) await write({ recipient: email });
  };
  await hers((where) =>
    tx.notification.updateMany({ where: { shop, status: NotificationStatus.scheduled, ...where }, data: { status: NotificationStatus.cancelled, lastError: "customer data redacted" } }),
  );
  // The mail as sent names the buyer (and their address): it goes too.
  await hers((where) => tx.notification.updateMany({ where: { shop, ...where }, data: { recipient: REDACTED, subject: null, html: null, text: null } }));
  // Messages she wrote through the contact form of a feedback request: her words about her orders.
  await eachSlice(ids, (slice) => tx.contactMessage.deleteMany({ where: { shop, orderShopifyId: { in: slice } } }));
  // Suppressions hold the address itself. The buyer's orders are redacted, so nothing will be planned
  // for them again; keeping the address to honour an old unsubscribe would keep the very data to erase.
  if (email) await tx.suppression.deleteMany({ where: { shop, email: normalizeEmail(email) } });
  // Deliveries still in the inbox (waiting, or given up on) carry her in their payloads; processed ones
  // kept none. Her orders are redacted and will not be recorded again, so these are dropped, not retried.
  const addresses = email ? [...new Set([email, normalizeEmail(email)])] : [];
  const dropReceipts = (where: Prisma.WebhookReceiptWhereInput) =>
    tx.webhookReceipt.updateMany({
      where: { shop, payload: { not: null }, ...where },
      data: { payload: null, status: "ignored", leaseUntil: null, lastError: "customer data redacted", processedAt: now },
    });
  await eachSlice(ids, (slice) => dropReceipts({ orderShopifyId: { in: slice } }));
  if (addresses.length) await dropReceipts({ OR: addresses.map((address) => ({ payload: { contains: address } })) });
  // The request itself names the buyer: keep that it happened, not who it was about.
  await tx.complianceRequest.updateMany({
    where: { shop, ...(email ? { customerEmail: email } : { customerId: request.customer.id ?? "" }) },
    data: { customerEmail: REDACTED },
  });
  await tx.complianceRequest.create({
    data: { shop, topic: "customers/redact", customerId: request.customer.id ?? null, orderIds: JSON.stringify(ids), answeredAt: now },
  });
}

export async function redactShop(tx: Tx, shop: string): Promise<void> {
  await tx.contactMessage.deleteMany({ where: { shop } });
  await tx.notification.deleteMany({ where: { shop } });
  await tx.trackingEvent.deleteMany({ where: { shop } });
  await tx.shipment.deleteMany({ where: { shop } });
  await tx.order.deleteMany({ where: { shop } });
  await tx.template.deleteMany({ where: { shop } });
  await tx.suppression.deleteMany({ where: { shop } });
  await tx.complianceRequest.deleteMany({ where: { shop } });
  await tx.historyImport.deleteMany({ where: { shop } });
  await tx.laneStat.deleteMany({ where: { shop } });
  await tx.reconciliation.deleteMany({ where: { shop } });
  await tx.feedbackClick.deleteMany({ where: { shop } });
  await tx.productCache.deleteMany({ where: { shop } });
  await tx.productSync.deleteMany({ where: { shop } });
  await tx.session.deleteMany({ where: { shop } });
  await tx.shop.deleteMany({ where: { domain: shop } });
  // Receipts other than this delivery's go too; this one is pruned with all old receipts (app/webhooks/retention.server.ts).
  await tx.webhookReceipt.deleteMany({ where: { shop, topic: { not: "shop/redact" } } });
}
