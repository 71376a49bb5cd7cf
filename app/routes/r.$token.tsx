// /r/<token>: a review link in a feedback request (a star or the review button). Counts the click for its
// message and redirects to the shop's review destination; every rating goes to the same place. A forged
// or garbled link gets a plain page and counts nothing.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { log } from "~/log.server";
import { followFeedbackLink } from "~/feedback/clicks.server";
import { orderProductLinks } from "~/feedback/product-links.server";
import { plainPage } from "~/http/plain-page";

const HEADERS = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex" };

export const loader = async ({ params }: LoaderFunctionArgs) => {
  const followed = await followFeedbackLink(db, env().SHOPIFY_API_SECRET, params.token ?? "", orderProductLinks, new Date());
  if (!followed.ok) {
    log.warn("feedback link refused", { reason: followed.reason });
    return invalidLink(followed.reason === "malformed" ? 400 : 404);
  }
  if (followed.fellBack) log.warn("review URL template failed at click time; sent to the product page", { shop: followed.shop });
  return new Response(null, { status: 302, headers: { ...HEADERS, Location: followed.url } });
};

function invalidLink(status: number): Response {
  return plainPage(status, "Invalid link", "<p>This review link is invalid. Please use the link from the email exactly as it arrived.</p>");
}
