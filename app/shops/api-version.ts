import { ApiVersion } from "@shopify/shopify-api";

/** The Admin API version the app calls, and whose schema types its queries (.graphqlrc.ts). */
export const API_VERSION = ApiVersion.October26;
