// /r/<token>: a review link in a feedback request (a star or the review button). Counts the click for its
// message and redirects to the shop's review destination; every rating goes to the same place. A forged
// or garbled link gets a plain page and counts nothing.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { log } from "~/log.server";
import { followFeedbackLink } from "~/feedback/clicks.server";
import { orderProductLinks } from "~/feedback/product-links.server";
import { escapeHtml } from "~/templates/escape";

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
  const title = "Invalid link";
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}</style>
</head><body><h1>${escapeHtml(title)}</h1>
<p>This review link is invalid. Please use the link from the email exactly as it arrived.</p>
</body></html>
`;
  return new Response(html, {
    status,
    headers: {
      ...HEADERS,
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
    },
  });
}
