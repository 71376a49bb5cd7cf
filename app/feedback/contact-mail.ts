// The mail a buyer's contact-form message becomes: to the address the shop's buyer mail sends replies
// to, from the sender the shop's buyer mail uses, with Reply-To the buyer, so the merchant answers it
// as they would a reply to the feedback request. Written for the merchant (English, like the admin).
// Pure: the records are parameters.
import type { ContactMessage, Notification, Order, Shop } from "@prisma/client";
import type { OutgoingMail } from "~/mail/sendgrid.server";
import { escapeHtml } from "~/templates/escape";

type MailShop = Pick<Shop, "domain" | "name" | "contactEmail" | "replyToEmail" | "senderEmail" | "senderName" | "senderVerifiedAt">;

/** Where replies to the shop's buyer mail go (the envelope's Reply-To in app/notifications/compose.ts). */
export function merchantAddress(shop: Pick<Shop, "replyToEmail" | "contactEmail">): string | null {
  return shop.replyToEmail || shop.contactEmail || null;
}

/** The order in the Shopify admin: admin.shopify.com/store/<handle>/orders/<id>. */
export function adminOrderUrl(shopDomain: string, orderShopifyId: string): string {
  return `https://admin.shopify.com/store/${encodeURIComponent(shopDomain.replace(/\.myshopify\.com$/i, ""))}/orders/${encodeURIComponent(orderShopifyId)}`;
}

/** "Re: How was your order #1001?": the feedback request's subject as sent, else the order. */
export function contactSubject(notification: Pick<Notification, "subject"> | null, orderName: string): string {
  const subject = (notification?.subject ?? "").replace(/\s+/g, " ").trim() || `Your order ${orderName}`;
  return /^re:/i.test(subject) ? subject : `Re: ${subject}`;
}

export function contactMail(input: {
  shop: MailShop;
  order: Pick<Order, "shopifyId" | "name" | "email" | "buyerName">;
  notification: Pick<Notification, "subject" | "recipient"> | null;
  message: Pick<ContactMessage, "id" | "message" | "rating">;
  appSender: { email: string; name: string };
  /** Send from the app's default address even if the shop's own is verified (SendGrid refused the shop's). */
  appSenderOnly?: boolean;
}): OutgoingMail | { error: string } {
  const { shop, order, notification, message, appSender } = input;
  const to = merchantAddress(shop);
  if (!to) return { error: "the shop has no contact or reply-to address" };
  const buyerEmail = order.email ?? (notification?.recipient.includes("@") ? notification.recipient : null);
  const buyer = [order.buyerName, buyerEmail && `<${buyerEmail}>`].filter(Boolean).join(" ") || "The buyer";
  const adminUrl = adminOrderUrl(shop.domain, order.shopifyId);
  const rating = message.rating ? `${message.rating} of 5 stars` : null;
  const intro = `${buyer} wrote about order ${order.name} through the contact link in your feedback request.`;
  const replyNote = buyerEmail ? "Reply to this email to answer them directly." : "The order has no email address to reply to.";
  const text = [
    intro,
    ...(rating ? [`Rating they came with: ${rating}`] : []),
    "",
    message.message,
    "",
    "--",
    replyNote,
    `Order ${order.name} in Shopify: ${adminUrl}`,
  ].join("\n");
  const paragraphs = escapeHtml(message.message).split(/\n{2,}/).map((p) => `<p style="margin:0 0 12px">${p.replace(/\n/g, "<br>")}</p>`);
  const html = [
    `<div style="font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a">`,
    `<p style="margin:0 0 12px">${escapeHtml(intro)}</p>`,
    ...(rating ? [`<p style="margin:0 0 12px">Rating they came with: <strong>${escapeHtml(rating)}</strong></p>`] : []),
    `<blockquote style="margin:0 0 16px;padding:8px 16px;border-left:4px solid #d0d5dd">${paragraphs.join("")}</blockquote>`,
    `<p style="margin:0 0 12px;color:#475467">${escapeHtml(replyNote)}</p>`,
    `<p style="margin:0"><a href="${escapeHtml(adminUrl)}">View order ${escapeHtml(order.name)} in Shopify</a></p>`,
    `</div>`,
  ].join("\n");
  return {
    to,
    // The sender rule of every buyer mail: the shop's own address once SendGrid accepted it, else the app's.
    from: {
      email: shop.senderEmail && shop.senderVerifiedAt && !input.appSenderOnly ? shop.senderEmail : appSender.email,
      name: shop.senderName ?? (shop.name || appSender.name),
    },
    replyTo: buyerEmail,
    subject: contactSubject(notification, order.name),
    html,
    text,
    // Non-personal data only: SendGrid keeps categories and custom args in plain sight.
    categories: ["parcelwise", "contact_message"],
    customArgs: { contact_message_id: message.id, shop: shop.domain },
  };
}
