// The feedback request's product links as a job: every PRODUCTS_POLL_MS, the products of orders recorded
// since each shop's cursor, read through the Admin API into the product cache (app/feedback/). Runs again
// at once while a shop has more orders waiting.
import { syncProducts, type ProductSyncDeps } from "~/feedback/product-sync.server";
import type { Job } from "./runner.server";

export function productsJob(deps: ProductSyncDeps): Job {
  return {
    name: "products",
    run: (now) => syncProducts(deps, now),
  };
}
