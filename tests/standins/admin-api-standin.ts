// A local stand-in for the Shopify Admin GraphQL API, for the demo and tests: answers the queries
// Parcelwise makes (the shop, an order, reconciliation's orders search, the history bulk operation and
// its file, the feedback request's products, the token exchange of an install) from data it is given. Nothing here reaches Shopify.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createBulkOperations, type BulkOperations } from "./bulk-operations";
import { createOrdersSearch, type OrdersSearch } from "./orders-search";
import { createProductsCatalog, type ProductsCatalog } from "./products";

/** The scopes the stand-in grants (and the tests' offline sessions hold). */
export const STANDIN_SCOPES = "read_orders,read_fulfillments,read_customers,read_products,read_translations";

export interface StandinShop {
  name: string;
  email: string;
  currencyCode: string;
  ianaTimezone: string;
  primaryLocale: string;
  /** The shop's own country (its billing address in Shopify). */
  countryCode?: string;
}

export interface AdminApiStandin {
  url: string;
  /** Orders by numeric id, in Admin GraphQL shape (fulfillments inline, each one's events as `events.nodes`). */
  orders: Map<string, Record<string, unknown>>;
  /** The orders search reconciliation pages through: its faults, its cost bucket and its calls. */
  search: OrdersSearch;
  requests: Array<{ shop: string; query: string; variables: Record<string, unknown> }>;
  /** Bulk operations: `bulk.history` holds the orders an export returns, `bulk.options` how it ends. */
  bulk: BulkOperations;
  /** Products by numeric id for `nodes(ids:)`: their handles, URLs, images, translations, and faults. */
  catalog: ProductsCatalog;
  /** Shops that exchanged a session token for an offline token (an install). */
  tokenExchanges: string[];
  close(): Promise<void>;
}

export async function startAdminApiStandin(shop: StandinShop, port = 0): Promise<AdminApiStandin> {
  const orders = new Map<string, Record<string, unknown>>();
  const requests: AdminApiStandin["requests"] = [];
  const tokenExchanges: string[] = [];
  let url = "";
  const bulk = createBulkOperations(() => url);
  const search = createOrdersSearch(() => orders.values());
  const catalog = createProductsCatalog("https://parcelwise-standin-shop.example");
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const reply = (status: number, data: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(data));
      };
      const file = req.method === "GET" ? req.url?.match(/^\/bulk\/(\d+)\.jsonl$/) : null;
      if (file) return serveFile(res, bulk.file(file[1]!));
      if (req.method === "POST" && req.url === "/admin/oauth/access_token") {
        // Token exchange: the library trades the admin's session token for an offline access token.
        tokenExchanges.push(String(req.headers.host));
        return reply(200, { access_token: `shpat_standin_${tokenExchanges.length}`, scope: STANDIN_SCOPES, expires_in: 86_400, refresh_token: `shprt_standin_${tokenExchanges.length}`, refresh_token_expires_in: 7_776_000 });
      }
      if (req.method !== "POST" || !/\/admin\/api\/[^/]+\/graphql\.json$/.test(req.url ?? "")) return reply(404, { errors: "Not Found" });
      if (!req.headers["x-shopify-access-token"]) return reply(401, { errors: "[API] Invalid API key or access token" });
      const { query = "", variables = {} } = JSON.parse(body || "{}") as { query?: string; variables?: Record<string, unknown> };
      requests.push({ shop: String(req.headers.host), query, variables });
      const cost = { requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 } };
      if (query.includes("shopLocales")) {
        return reply(200, {
          data: {
            shop: { name: shop.name, email: shop.email, contactEmail: shop.email, currencyCode: shop.currencyCode, ianaTimezone: shop.ianaTimezone, billingAddress: { countryCodeV2: shop.countryCode ?? "CN" } },
            shopLocales: [{ locale: shop.primaryLocale, primary: true }],
          },
          extensions: { cost },
        });
      }
      if (query.includes("bulkOperationRunQuery")) {
        return reply(200, { data: { bulkOperationRunQuery: bulk.run(String(variables.query ?? "")) }, extensions: { cost } });
      }
      if (query.includes("bulkOperation(id:") || query.includes("currentBulkOperation")) {
        const op = bulk.look(typeof variables.id === "string" ? variables.id : null);
        return reply(200, { data: query.includes("currentBulkOperation") ? { currentBulkOperation: op } : { bulkOperation: op }, extensions: { cost } });
      }
      if (query.includes("nodes(ids:")) {
        const answer = catalog.answer(variables);
        // A hanging Admin API: the request is left open until the stand-in closes.
        if (answer === "hang") return;
        return reply(answer.status, answer.body);
      }
      if (/\borders\(/.test(query)) {
        const answer = search.answer(variables);
        return reply(answer.status, answer.body);
      }
      if (query.includes("order(id:")) {
        const id = String(variables.id ?? "").split("/").pop() ?? "";
        return reply(200, { data: { order: orders.get(id) ?? null }, extensions: { cost } });
      }
      return reply(200, { errors: [{ message: "the stand-in does not know this query" }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    orders,
    search,
    requests,
    bulk,
    catalog,
    tokenExchanges,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Writes the file chunk by chunk, as a download arrives. */
function serveFile(res: http.ServerResponse, chunks: string[] | null): void {
  if (!chunks) {
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("no such file");
    return;
  }
  res.writeHead(200, { "Content-Type": "application/jsonl" });
  for (const chunk of chunks) res.write(chunk);
  res.end();
}
