// The Admin API stand-in's `orders(first:, after:, query: "updated_at:>'…' AND updated_at:<='…'",
// sortKey: UPDATED_AT)`: the stand-in's orders in updated_at order, paged with opaque cursors, each answer
// with Shopify's cost extension from a leaky bucket. Faults can be queued for the next calls: THROTTLED
// (Shopify's 200 with a THROTTLED error and an empty bucket) or an HTTP status such as 500, with "page"
// for a call answered normally in between.

/** "page" answers normally: a fault queued after it hits the call after that one. */
export type OrdersFault = "THROTTLED" | "page" | number;

export interface OrdersSearchOptions {
  /** Consumed one per orders query, first in first out. */
  faults: OrdersFault[];
  /** The bucket: Shopify's standard plan has 2,000 points restoring 100 a second. */
  maximumAvailable: number;
  restoreRate: number;
  /** Points each page costs. */
  pageCost: number;
}

export interface OrdersSearch {
  options: OrdersSearchOptions;
  /** Every orders query, with the cursor it asked after and what it got. */
  calls: Array<{ after: string | null; answered: OrdersFault; orders: number }>;
  answer(variables: Record<string, unknown>): { status: number; body: unknown };
}

const cursorOf = (order: Record<string, unknown>) => Buffer.from(`${String(order.updatedAt)}|${String(order.id)}`).toString("base64url");

export function createOrdersSearch(orders: () => Iterable<Record<string, unknown>>): OrdersSearch {
  const options: OrdersSearchOptions = { faults: [], maximumAvailable: 2000, restoreRate: 100, pageCost: 50 };
  const calls: OrdersSearch["calls"] = [];
  let available = options.maximumAvailable;
  let lastAt = Date.now();
  const bucket = () => {
    const now = Date.now();
    available = Math.min(options.maximumAvailable, available + ((now - lastAt) / 1000) * options.restoreRate);
    lastAt = now;
    return { maximumAvailable: options.maximumAvailable, currentlyAvailable: Math.floor(available), restoreRate: options.restoreRate };
  };
  return {
    options,
    calls,
    answer(variables) {
      const after = typeof variables.after === "string" ? variables.after : null;
      const fault = options.faults.shift();
      if (typeof fault === "number") {
        calls.push({ after, answered: fault, orders: 0 });
        return { status: fault, body: { errors: "Internal Server Error" } };
      }
      if (fault === "THROTTLED") {
        calls.push({ after, answered: fault, orders: 0 });
        available = 0;
        const cost = { requestedQueryCost: options.pageCost, throttleStatus: bucket() };
        return { status: 200, body: { errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }], extensions: { cost } } };
      }
      const search = String(variables.query ?? "");
      const since = search.match(/updated_at:>'([^']+)'/)?.[1];
      const until = search.match(/updated_at:<='([^']+)'/)?.[1];
      const matching = [...orders()]
        .filter((order) => typeof order.updatedAt === "string")
        .filter((order) => {
          const at = Date.parse(order.updatedAt as string);
          return (!since || at > Date.parse(since)) && (!until || at <= Date.parse(until));
        })
        .sort((a, b) => Date.parse(a.updatedAt as string) - Date.parse(b.updatedAt as string) || String(a.id).localeCompare(String(b.id)));
      const start = after ? matching.findIndex((order) => cursorOf(order) === after) + 1 : 0;
      const first = Number(variables.first ?? 50);
      const nodes = matching.slice(start, start + first);
      const hasNextPage = start + first < matching.length;
      available = Math.max(0, bucket().currentlyAvailable - options.pageCost);
      const cost = { requestedQueryCost: options.pageCost, actualQueryCost: options.pageCost, throttleStatus: bucket() };
      calls.push({ after, answered: "page", orders: nodes.length });
      return {
        status: 200,
        body: { data: { orders: { pageInfo: { hasNextPage, endCursor: nodes.length ? cursorOf(nodes.at(-1)!) : after }, nodes } }, extensions: { cost } },
      };
    },
  };
}
