// A local stand-in for the Shopify Admin GraphQL API, for the demo and tests: answers the queries
// Parcelwise makes (the shop, an order) from data it is given. Nothing here reaches Shopify.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface StandinShop {
  name: string;
  email: string;
  currencyCode: string;
  ianaTimezone: string;
  primaryLocale: string;
}

export interface AdminApiStandin {
  url: string;
  /** Orders by numeric id, in Admin GraphQL shape. */
  orders: Map<string, Record<string, unknown>>;
  requests: Array<{ shop: string; query: string; variables: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startAdminApiStandin(shop: StandinShop, port = 0): Promise<AdminApiStandin> {
  const orders = new Map<string, Record<string, unknown>>();
  const requests: AdminApiStandin["requests"] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const reply = (status: number, data: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(data));
      };
      if (req.method !== "POST" || !/\/admin\/api\/[^/]+\/graphql\.json$/.test(req.url ?? "")) return reply(404, { errors: "Not Found" });
      if (!req.headers["x-shopify-access-token"]) return reply(401, { errors: "[API] Invalid API key or access token" });
      const { query = "", variables = {} } = JSON.parse(body || "{}") as { query?: string; variables?: Record<string, unknown> };
      requests.push({ shop: String(req.headers.host), query, variables });
      const cost = { requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 } };
      if (query.includes("shopLocales")) {
        return reply(200, {
          data: {
            shop: { name: shop.name, email: shop.email, contactEmail: shop.email, currencyCode: shop.currencyCode, ianaTimezone: shop.ianaTimezone },
            shopLocales: [{ locale: shop.primaryLocale, primary: true }],
          },
          extensions: { cost },
        });
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
  return {
    url: `http://127.0.0.1:${address.port}`,
    orders,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
