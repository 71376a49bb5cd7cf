// The demo shop: an offline session (as OAuth would leave it) and the shop's details, read through
// the same install code a real install runs, answered by the Admin API stand-in.
import type { Db } from "~/db.server";
import { recordInstall } from "~/shops/install.server";
import { redactShop } from "~/compliance/compliance.server";
import type { GraphqlFunction } from "~/shops/admin-graphql.server";

export const DEMO_ACCESS_TOKEN = "shpat_demo_offline_token";

export function standinGraphql(standinUrl: string, apiVersion = "2026-10"): GraphqlFunction {
  return (query, options) =>
    fetch(`${standinUrl}/admin/api/${apiVersion}/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": DEMO_ACCESS_TOKEN },
      body: JSON.stringify({ query, variables: options?.variables ?? {} }),
    });
}

export async function seedShop(db: Db, shop: string, standinUrl: string, scope: string): Promise<void> {
  // Start from a clean slate, so every run of the demo tells the same story.
  await db.$transaction((tx) => redactShop(tx, shop));
  await db.session.create({
    data: { id: `offline_${shop}`, shop, state: "", isOnline: false, scope, accessToken: DEMO_ACCESS_TOKEN },
  });
  await recordInstall(db, shop, standinGraphql(standinUrl));
}
