import { describe, expect, it } from "vitest";
import type { ServerBuild } from "@remix-run/node";
import { webhookPaths, WEBHOOK_ROUTE_ID } from "./webhook-route.server";

const route = (id: string, parentId: string | undefined, path: string | undefined, action?: (args: never) => unknown) => ({
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

describe("webhookRouteHandler", () => {
  const serve = async (action: (args: { request: Request; params: Record<string, string> }) => unknown) => {
    const express = (await import("express")).default;
    const { webhookRouteHandler } = await import("./webhook-route.server");
    const { limitBody } = await import("./body-limit.server");
    const errors: unknown[] = [];
    const build = {
      routes: routes(app, route(WEBHOOK_ROUTE_ID, "root", "webhooks/*", action)),
      entry: { module: { handleError: (error: unknown) => errors.push(error) } },
    } as unknown as ServerBuild;
    const server = express();
    server.post("/webhooks/*", limitBody(65_536), webhookRouteHandler(build, () => ({})));
    server.all("*", limitBody(65_536), (req, res) => void res.status(299).send(`remix ${req.method} ${req.originalUrl} ${req.readableEnded}`));
    const listening = await new Promise<import("node:http").Server>((resolve) => {
      const s = server.listen(0, "127.0.0.1", () => resolve(s));
    });
    const base = `http://127.0.0.1:${(listening.address() as { port: number }).port}`;
    return { base, errors, close: () => new Promise((resolve) => listening.close(resolve)) };
  };

  it("answers with the action's Response, its params and body as Remix passes them", async () => {
    const { base, close } = await serve(async ({ request, params }) => new Response(`${params["*"]} ${await request.text()}`, { status: 201 }));
    try {
      const answer = await fetch(`${base}/webhooks/orders/paid`, { method: "POST", body: "{}" });
      expect([answer.status, await answer.text()]).toEqual([201, "orders/paid {}"]);
      // Everything else reaches the next handler (Remix), its body already read once.
      const other = await fetch(`${base}/webhooks/sendgrid/x`, { method: "POST", body: "{}" });
      expect([other.status, await other.text()]).toEqual([299, "remix POST /webhooks/sendgrid/x true"]);
    } finally {
      await close();
    }
  });

  it("answers a thrown Response as Remix does, and anything else thrown with handleError and Remix's 500", async () => {
    let mode = "response";
    const { base, errors, close } = await serve(() => {
      if (mode === "response") throw new Response("no", { status: 401 });
      throw new Error("boom");
    });
    try {
      const thrown = await fetch(`${base}/webhooks/orders/paid`, { method: "POST", body: "{}" });
      expect([thrown.status, thrown.headers.get("x-remix-catch"), await thrown.text()]).toEqual([401, "yes", "no"]);
      mode = "error";
      const failed = await fetch(`${base}/webhooks/orders/paid`, { method: "POST", body: "{}" });
      expect([failed.status, await failed.text()]).toEqual([500, "Unexpected Server Error"]);
      expect(failed.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(errors).toEqual([new Error("boom")]);
    } finally {
      await close();
    }
  });
});
