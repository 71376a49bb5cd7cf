import { describe, expect, it } from "vitest";
import { adminQuery, AdminApiError, throttleWaitMs, type GraphqlFunction } from "./admin-graphql.server";

const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { "Content-Type": "application/json" } });
const throttled = {
  errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
  extensions: { cost: { requestedQueryCost: 250, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 50, restoreRate: 100 } } },
};

describe("adminQuery", () => {
  it("waits for the cost bucket to refill and tries again when throttled", async () => {
    const answers = [json(throttled), json({ data: { shop: { name: "A" } } })];
    const waits: number[] = [];
    const graphql: GraphqlFunction = async () => answers.shift()!;
    const data = await adminQuery<{ shop: { name: string } }>(graphql, "{ shop { name } }", {}, { wait: async (ms) => waits.push(ms) });
    expect(data.shop.name).toBe("A");
    // 200 points missing at 100 points per second.
    expect(waits).toEqual([2000]);
  });

  it("gives up after the last attempt", async () => {
    const graphql: GraphqlFunction = async () => json(throttled);
    await expect(adminQuery(graphql, "{ shop { name } }", {}, { maxAttempts: 3, wait: async () => {} })).rejects.toBeInstanceOf(AdminApiError);
  });

  it("reports GraphQL errors other than throttling at once", async () => {
    let calls = 0;
    const graphql: GraphqlFunction = async () => (calls++, json({ errors: [{ message: "Access denied for order field" }] }));
    await expect(adminQuery(graphql, "{ order }", {}, { wait: async () => {} })).rejects.toThrow(/Access denied/);
    expect(calls).toBe(1);
  });

  it("computes the wait from the throttle status", () => {
    expect(throttleWaitMs(100, { maximumAvailable: 1000, currentlyAvailable: 100, restoreRate: 50 })).toBe(0);
    expect(throttleWaitMs(150, { maximumAvailable: 1000, currentlyAvailable: 100, restoreRate: 50 })).toBe(1000);
    expect(throttleWaitMs(150, undefined)).toBe(1000);
  });
});
