// POST /apps/parcelwise/lookup on the shop's domain, proxied by Shopify to /proxy/lookup: the
// "Track your order" block asks for an order by number plus email, or by number plus a signed link's
// token. A miss is one 404 whatever its cause.
import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { trackingRateLimits } from "~/tracking/rate-limit";
import { clientIp, readLookupRequest, storefrontLookup } from "~/tracking/storefront.server";

const limits = trackingRateLimits();

export const action = async ({ request }: ActionFunctionArgs) => {
  // Verifies Shopify's signature of the query (400 when missing, forged or stale).
  const { session } = await authenticate.public.appProxy(request);
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  const lookup = await readLookupRequest(request);
  if (!lookup) return Response.json({ error: "bad_request" }, { status: 400, headers });
  const answer = await storefrontLookup({
    db,
    limits,
    secret: env().SHOPIFY_API_SECRET,
    shop: new URL(request.url).searchParams.get("shop") ?? "",
    installed: Boolean(session),
    ip: clientIp(request.headers),
    request: lookup,
    now: new Date(),
  });
  if (answer.status === 429) headers["Retry-After"] = String(answer.retryAfterSeconds);
  return Response.json(answer.body, { status: answer.status, headers });
};

export const loader = () => new Response(null, { status: 405, headers: { Allow: "POST" } });
