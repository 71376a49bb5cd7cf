// GET /apps/parcelwise/track on the shop's domain, proxied by Shopify to /proxy/track: the tracking
// page the shipping confirmation and delay notice link to (?order=…&t=…). It is the "Track your order"
// block, returned as Liquid so that Shopify wraps it in the shop's theme. A link past its age says so
// at once and asks for the email instead.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { env } from "~/env.server";
import { trackingLinkLooksExpired } from "~/tracking/link";
import { acceptedLanguages, pickLocale, trackingPageLiquid } from "~/tracking/storefront-page.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { liquid } = await authenticate.public.appProxy(request);
  const params = new URL(request.url).searchParams;
  const locale = pickLocale([params.get("locale"), ...acceptedLanguages(request.headers.get("accept-language"))]);
  // The time a link was made is in the link itself: an old one needs no lookup (nor a signature check) to be refused.
  const expired = trackingLinkLooksExpired(params.get("t") ?? "", new Date(), env().TRACKING_LINK_MAX_AGE_DAYS);
  return liquid(trackingPageLiquid(locale, expired ? "link_expired" : undefined), { headers: { "Cache-Control": "no-store" } });
};

// Without JavaScript the block's form posts back to this page; the page is all it can answer.
export const action = async (args: ActionFunctionArgs) => loader(args);
