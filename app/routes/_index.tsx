import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

// Opened from the Shopify admin the request carries ?shop=: send it into the embedded app.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return new Response(
    "<!doctype html><title>Parcelwise</title><h1>Parcelwise</h1><p>Install Parcelwise from the Shopify App Store, then open it from your store's admin.</p>",
    { headers: { "Content-Type": "text/html; charset=utf-8" } },
  );
};
