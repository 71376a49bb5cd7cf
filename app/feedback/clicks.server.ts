// A click on a feedback request's review link: verify the signed token, count the click for its message,
// and find where it leads now (the destination is resolved at click time, so a changed setting applies to
// mails already sent). A forged or garbled token counts nothing.
import type { Db } from "~/db.server";
import { resolveDestination } from "./destinations";
import { linkKey, parseFeedbackLinkToken, verifyFeedbackLinkToken } from "./link-token";
import type { OrderProductLinks } from "./product-links.server";

export type FeedbackClickResult =
  | { ok: true; shop: string; url: string; rating: number | null; fellBack: boolean }
  | { ok: false; reason: "malformed" | "unknown" | "signature" };

export async function followFeedbackLink(
  db: Db,
  secret: string,
  token: string,
  productLinks: OrderProductLinks,
  now: Date,
): Promise<FeedbackClickResult> {
  const parsed = parseFeedbackLinkToken(token);
  if (!parsed) return { ok: false, reason: "malformed" };
  const notification = await db.notification.findUnique({
    where: { id: parsed.notificationId },
    select: { id: true, shop: true, kind: true, orderShopifyId: true },
  });
  if (!notification || notification.kind !== "feedback_request") return { ok: false, reason: "unknown" };
  if (!verifyFeedbackLinkToken(secret, notification.shop, parsed)) return { ok: false, reason: "signature" };
  const { shop } = notification;
  await recordClick(db, shop, notification.id, parsed.rating, now);
  const [shopRow, order, products] = await Promise.all([
    db.shop.findUnique({ where: { domain: shop }, select: { reviewDestination: true, reviewUrl: true, reviewUrlTemplate: true } }),
    db.order.findFirst({ where: { shop, shopifyId: notification.orderShopifyId }, select: { name: true } }),
    productLinks(db, shop, notification.orderShopifyId),
  ]);
  const settings = shopRow ?? { reviewDestination: "products", reviewUrl: null, reviewUrlTemplate: null };
  const { url, fellBack } = resolveDestination({ settings, shopDomain: shop, orderName: order?.name ?? "", products, rating: parsed.rating });
  return { ok: true, shop, url, rating: parsed.rating, fellBack };
}

/** One row per message and link; a repeated click of the same link adds to its count. */
export async function recordClick(db: Db, shop: string, notificationId: string, rating: number | null, now: Date): Promise<void> {
  const link = linkKey(rating);
  const where = { notificationId_link: { notificationId, link } };
  const increment = { clicks: { increment: 1 }, lastClickedAt: now };
  try {
    await db.feedbackClick.upsert({ where, create: { shop, notificationId, link, rating, clickedAt: now, lastClickedAt: now }, update: increment });
  } catch (error) {
    // Two first clicks at once: the other created the row; count this one on it.
    if ((error as { code?: string }).code !== "P2002") throw error;
    await db.feedbackClick.update({ where, data: increment });
  }
}
