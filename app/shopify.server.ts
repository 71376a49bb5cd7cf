// Configures the Shopify app once; every other module imports authenticate & co. from here.
import "@shopify/shopify-app-remix/adapters/node";
import {
  ApiVersion,
  AppDistribution,
  shopifyApp,
} from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { db } from "./db.server";
import { env } from "./env.server";
import { recordInstall } from "./shops/install.server";
import { startHistoryImport } from "./history/import.server";
import { log } from "./log.server";
import { CachedSessionStorage } from "./shops/session-cache.server";

const config = env();

if (config.SHOPIFY_ADMIN_API_STANDIN) {
  // Development and tests only (env.server.ts refuses it in production): Admin API calls go to a
  // local stand-in, so nothing here ever reaches Shopify.
  const standin = new URL(config.SHOPIFY_ADMIN_API_STANDIN);
  setAbstractFetchFunc((input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    url.protocol = standin.protocol;
    url.host = standin.host;
    return fetch(url, init);
  });
}

export const API_VERSION = ApiVersion.October26;

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: API_VERSION,
  scopes: config.SCOPES.split(","),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new CachedSessionStorage(new PrismaSessionStorage(db)),
  distribution: AppDistribution.AppStore,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      const installed = await recordInstall(db, session.shop, admin.graphql);
      // History in the background: the merchant's first page must not wait for Shopify's export.
      if (installed) {
        startHistoryImport({ db, graphqlFor: async () => admin.graphql }, session.shop, new Date()).catch((error: unknown) =>
          log.error("history import could not start", { shop: session.shop, error }),
        );
      }
    },
  },
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const apiVersion = API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
