// GET /api/order-status/commitment — the thank-you page extension asks for the shop's handling
// commitment. A checkout session token identifies the shop; no order data is read or returned.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { shopFromDest } from "~/tracking/customer-order.server";
import { loadCommitment } from "~/tracking/lookup.server";
import { extensionError } from "~/tracking/extension-response.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { sessionToken, cors } = await authenticate.public.checkout(request).catch(extensionError);
  const shop = shopFromDest(sessionToken.dest);
  if (!shop || (sessionToken.aud && sessionToken.aud !== env().SHOPIFY_API_KEY)) {
    return cors(Response.json({ error: "unauthorized" }, { status: 401 }));
  }
  const commitment = await loadCommitment(db, shop, new Date());
  return cors(Response.json({ commitment }, { headers: { "Cache-Control": "private, max-age=300" } }));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  await authenticate.public.checkout(request).catch(extensionError);
  return new Response(null, { status: 405, headers: { Allow: "GET, OPTIONS" } });
};
