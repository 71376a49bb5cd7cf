// POST /apps/parcelwise/lookup on the shop's domain, proxied by Shopify to /proxy/lookup: the
// "Track your order" block asks for an order by number plus email, or by number plus a signed link's
// token. A miss is one 404 whatever its cause.
import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { clientAddress, parseTrustedProxies } from "~/tracking/client-address";
import { sharedTrackingLimits } from "~/tracking/rate-limit-store.server";
import { readLookupRequest, storefrontLookup } from "~/tracking/storefront.server";

let trusted: ReturnType<typeof parseTrustedProxies> | undefined;

export const action = async ({ request, context }: ActionFunctionArgs) => {
  // Verifies Shopify's signature of the query (400 when missing, forged or stale).
  const { session } = await authenticate.public.appProxy(request);
  const config = env();
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  const lookup = await readLookupRequest(request);
  if (!lookup) return Response.json({ error: "bad_request" }, { status: 400, headers });
  trusted ??= parseTrustedProxies(config.TRUSTED_PROXIES);
  const answer = await storefrontLookup({
    db,
    limits: sharedTrackingLimits(db, config.REDIS_URL),
    link: { secret: config.SHOPIFY_API_SECRET, maxAgeDays: config.TRACKING_LINK_MAX_AGE_DAYS },
    shop: new URL(request.url).searchParams.get("shop") ?? "",
    installed: Boolean(session),
    // The signature verified, so Shopify's proxy forwarded this: the address it reports is the buyer's.
    ip: clientAddress({ peer: context.remoteAddress, forwardedFor: request.headers.get("x-forwarded-for"), trusted, throughShopify: true }),
    request: lookup,
    now: new Date(),
  });
  if (answer.status === 429) headers["Retry-After"] = String(answer.retryAfterSeconds);
  return Response.json(answer.body, { status: answer.status, headers });
};

export const loader = () => new Response(null, { status: 405, headers: { Allow: "POST" } });
