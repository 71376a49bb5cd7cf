// Where the admin layout loads App Bridge from. Shopify's CDN, except in the demo, whose admin frame
// stand-in (tests/standins/admin-frame-standin.ts) serves a replacement: honoured only together with the Admin
// API stand-in, which env.server.ts refuses in production.
import type { Env } from "~/env.server";

export function appBridgeUrlOverride(
  config: Pick<Env, "NODE_ENV" | "SHOPIFY_ADMIN_API_STANDIN">,
  appBridgeUrl: string | undefined = process.env.APP_BRIDGE_URL,
): string | undefined {
  if (!appBridgeUrl || config.NODE_ENV === "production" || !config.SHOPIFY_ADMIN_API_STANDIN) return undefined;
  return appBridgeUrl;
}
