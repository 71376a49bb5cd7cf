// On install (and re-install), record the shop's identity and preferences from the Admin API.
import type { Db } from "~/db.server";
import { adminQuery, type GraphqlFunction } from "./admin-graphql.server";

const SHOP_QUERY = `#graphql
  query ParcelwiseShop {
    shop { name email contactEmail currencyCode ianaTimezone }
    shopLocales(published: true) { locale primary }
  }`;

interface ShopQuery {
  shop: { name: string; email: string | null; contactEmail: string | null; currencyCode: string; ianaTimezone: string };
  shopLocales: Array<{ locale: string; primary: boolean }>;
}

export async function recordInstall(db: Db, domain: string, graphql: GraphqlFunction): Promise<void> {
  const { shop, shopLocales } = await adminQuery<ShopQuery>(graphql, SHOP_QUERY);
  const details = {
    name: shop.name,
    contactEmail: shop.contactEmail ?? shop.email,
    currency: shop.currencyCode,
    timezone: shop.ianaTimezone,
    primaryLocale: shopLocales.find((locale) => locale.primary)?.locale ?? "en",
    uninstalledAt: null,
  };
  await db.shop.upsert({ where: { domain }, create: { domain, ...details }, update: details });
}
