// /unsubscribe/<token>: the link in every buyer email. GET only asks for confirmation (mail scanners
// prefetch links); POST, from the page's button or a mailbox's one-click unsubscribe (RFC 8058),
// suppresses the address for the shop. A plain page: no app chrome, no scripts.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { log } from "~/log.server";
import { unsubscribeBuyer } from "~/mail/events.server";
import { resolveUnsubscribeToken } from "~/mail/unsubscribe";
import { plainPage } from "~/http/plain-page";
import { escapeHtml } from "~/templates/escape";

export const loader = async ({ params }: LoaderFunctionArgs) => {
  const buyer = await resolveUnsubscribeToken(db, env().SHOPIFY_API_SECRET, params.token ?? "");
  if (!buyer) return invalidLink();
  const shopName = await displayName(buyer.shop);
  return plainPage(
    200,
    "Unsubscribe",
    `<p>You will no longer receive these emails from ${escapeHtml(shopName)}.</p>
<form method="post"><button type="submit" name="List-Unsubscribe" value="One-Click">Unsubscribe</button></form>`,
  );
};

export const action = async ({ params }: ActionFunctionArgs) => {
  const buyer = await resolveUnsubscribeToken(db, env().SHOPIFY_API_SECRET, params.token ?? "");
  if (!buyer) return invalidLink();
  // An erased buyer's address is gone: nothing is planned for them, so there is nothing left to stop.
  const { cancelled } = buyer.email ? await unsubscribeBuyer(db, buyer.shop, buyer.email) : { cancelled: 0 };
  log.info("buyer unsubscribed", { shop: buyer.shop, cancelled });
  const shopName = await displayName(buyer.shop);
  return plainPage(200, "Unsubscribed", `<p>You are unsubscribed. You will no longer receive these emails from ${escapeHtml(shopName)}.</p>`);
};

async function displayName(shop: string): Promise<string> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { name: true } });
  return row?.name || shop;
}

function invalidLink(): Response {
  return plainPage(400, "Invalid link", "<p>This unsubscribe link is invalid. Please use the link from the email exactly as it arrived.</p>");
}
