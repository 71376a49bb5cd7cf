// GET /apps/parcelwise/track on the shop's domain, proxied by Shopify to /proxy/track: the tracking
// page the shipping confirmation and delay notice link to (?order=…&t=…). It is the "Track your order"
// block, returned as Liquid so that Shopify wraps it in the shop's theme.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { acceptedLanguages, pickLocale, trackingPageLiquid } from "~/tracking/storefront-page.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { liquid } = await authenticate.public.appProxy(request);
  const locale = pickLocale([new URL(request.url).searchParams.get("locale"), ...acceptedLanguages(request.headers.get("accept-language"))]);
  return liquid(trackingPageLiquid(locale), { headers: { "Cache-Control": "no-store" } });
};

// Without JavaScript the block's form posts back to this page; the page is all it can answer.
export const action = async (args: ActionFunctionArgs) => loader(args);
