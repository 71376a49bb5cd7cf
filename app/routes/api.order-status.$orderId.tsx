// GET /api/order-status/:orderId — the order status page extension asks for one order's tracking.
// The session token must be Shopify's for this app; its customer must be the order's customer, or the
// answer is a 404 that says nothing about the order.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticate, unauthenticated } from "~/shopify.server";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { log } from "~/log.server";
import { customerIdFromSub, customerOwnsOrder, orderIdFromParam, shopFromDest } from "~/tracking/customer-order.server";
import { loadTrackingView } from "~/tracking/lookup.server";
import { extensionError } from "~/tracking/extension-response.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { sessionToken, cors } = await authenticate.public.customerAccount(request).catch(extensionError);
  const reply = (status: number, body: unknown) =>
    cors(Response.json(body, { status, headers: { "Cache-Control": "private, no-store" } }));

  // Extension tokens may omit aud; when present it must name this app.
  if (sessionToken.aud && sessionToken.aud !== env().SHOPIFY_API_KEY) return reply(401, { error: "unauthorized" });
  const shop = shopFromDest(sessionToken.dest);
  if (!shop) return reply(401, { error: "unauthorized" });
  const customerId = customerIdFromSub(sessionToken.sub);
  if (!customerId) return reply(403, { error: "sign_in_required" });
  const orderId = orderIdFromParam(params.orderId);
  if (!orderId) return reply(404, { error: "not_found" });

  let admin;
  try {
    ({ admin } = await unauthenticated.admin(shop));
  } catch {
    // No offline session: the shop never installed the app or has uninstalled it.
    return reply(404, { error: "not_found" });
  }
  try {
    if (!(await customerOwnsOrder(admin.graphql, orderId, customerId))) return reply(404, { error: "not_found" });
  } catch (error) {
    log.warn("order status: could not confirm the order's customer", { shop, error });
    return reply(502, { error: "unavailable" });
  }
  const result = await loadTrackingView(db, shop, orderId, new Date());
  return result.found ? reply(200, { tracking: result.view }) : reply(404, { error: "not_found" });
};

// Browsers send a CORS preflight (OPTIONS) first; Remix routes every non-GET method to the action.
export const action = async ({ request }: ActionFunctionArgs) => {
  await authenticate.public.customerAccount(request).catch(extensionError);
  return new Response(null, { status: 405, headers: { Allow: "GET, OPTIONS" } });
};
