import { describe, expect, it } from "vitest";
import type { ServerBuild } from "@remix-run/node";
import { webhookPaths, WEBHOOK_ROUTE_ID } from "./webhook-route.server";

const route = (id: string, parentId: string | undefined, path: string | undefined, action?: () => unknown) => ({
  [id]: { id, parentId, path, module: action ? { action } : {} },
});
const routes = (...entries: Array<Record<string, unknown>>) => Object.assign({}, ...entries) as ServerBuild["routes"];
const app = routes(
  route("root", undefined, ""),
  route(WEBHOOK_ROUTE_ID, "root", "webhooks/*", () => null),
  route("routes/webhooks.sendgrid", "root", "webhooks/sendgrid"),
  route("routes/webhooks.sendgrid.$shop", "routes/webhooks.sendgrid", ":shop"),
  route("routes/app", "root", "app"),
  route("routes/app._index", "routes/app", undefined),
);

describe("webhookPaths", () => {
  it("takes Shopify topic paths that only the webhook route matches", () => {
    const takes = webhookPaths(app)!;
    expect(takes("/webhooks/orders/paid")).toBe(true);
    expect(takes("/webhooks/fulfillment_events/create")).toBe(true);
  });

  it("leaves to Remix every path another route could match, and anything unusual", () => {
    const takes = webhookPaths(app)!;
    expect(takes("/webhooks/sendgrid/parcelwise-test.myshopify.com")).toBe(false);
    expect(takes("/webhooks/sendgrid/x")).toBe(false);
    expect(takes("/webhooks/orders/paid?index")).toBe(false);
    expect(takes("/webhooks/orders/paid.data")).toBe(false);
    expect(takes("/webhooks/orders/paid/")).toBe(false);
    expect(takes("/Webhooks/orders/paid")).toBe(false);
    expect(takes("/webhooks//paid")).toBe(false);
    expect(takes("/webhooks/orders")).toBe(false);
    expect(takes("/webhooks/orders/paid/extra")).toBe(false);
  });

  it("takes nothing when another route could match a topic path (a catch-all, a parameter, a static twin)", () => {
    expect(webhookPaths(routes(app, route("routes/$", "root", "*")))!("/webhooks/orders/paid")).toBe(false);
    expect(webhookPaths(routes(app, route("routes/webhooks.$a.$b", "root", "webhooks/:a/:b")))!("/webhooks/orders/paid")).toBe(false);
    const twin = webhookPaths(routes(app, route("routes/webhooks.orders", "root", "webhooks/orders"), route("routes/webhooks.orders.paid", "routes/webhooks.orders", "paid")))!;
    expect(twin("/webhooks/orders/paid")).toBe(false);
    expect(twin("/webhooks/orders/create")).toBe(true);
    expect(webhookPaths(routes(app, route("routes/webhooks.orders.$opt", "root", "webhooks/orders/:x?/:y?")))!("/webhooks/orders/paid")).toBe(false);
  });

  it("is off without the webhook route", () => {
    expect(webhookPaths(routes(route("root", undefined, "")))).toBeNull();
  });
});
