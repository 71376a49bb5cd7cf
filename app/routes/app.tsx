import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { useEffect } from "react";
import { authenticate } from "~/shopify.server";
import { env } from "~/env.server";
import { appBridgeUrlOverride } from "~/admin/app-bridge.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  const config = env();
  return json({ apiKey: config.SHOPIFY_API_KEY, appBridgeUrl: appBridgeUrlOverride(config) ?? null });
};

export default function AdminLayout() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  // Browser tests wait for this before they click: a click before hydration would be a plain form post.
  useEffect(() => {
    document.documentElement.dataset.adminReady = "true";
  }, []);
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          Home
        </Link>
        <Link to="/app/shipments">Shipments</Link>
        <Link to="/app/carriers">Carriers</Link>
        <Link to="/app/templates">Templates</Link>
        <Link to="/app/settings">Timing &amp; settings</Link>
        <Link to="/app/activity">Activity</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch thrown responses so its headers reach the browser (e.g. re-auth).
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
