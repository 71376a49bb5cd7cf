// The Shipments pages over HTTP against the real built server, authenticated as the Shopify admin
// authenticates an embedded app's data requests (a session token in Authorization).
import { refreshAtRisk } from "~/shipments/record.server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { sessionToken, TEST_APP_API_KEY } from "../support/admin-browser";
import { seedAtRiskShipment } from "#tests/support/shipments-seed";

const DAY = 86_400_000;
let app: AppServer;
let late: Awaited<ReturnType<typeof seedAtRiskShipment>>;

// The library answers bots (Node's own user agent counts as one) with 410: ask as the admin's browser does.
const BROWSER = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36" };
const bearer = () => ({ ...BROWSER, Authorization: `Bearer ${sessionToken(TEST_SHOP, TEST_APP_API_KEY, TEST_SECRET)}` });
const data = (path: string, route: string) => {
  const url = new URL(path, app.baseUrl);
  url.searchParams.set("_data", route);
  return fetch(url, { headers: bearer() });
};
const post = (path: string, route: string, form: Record<string, string>) => {
  const url = new URL(path, app.baseUrl);
  url.searchParams.set("_data", route);
  return fetch(url, { method: "POST", headers: { ...bearer(), "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form) });
};

interface ListItem {
  id: string;
  name: string;
  atRisk: string | null;
  carrier: string | null;
  destinationCountry: string | null;
}
interface ListData {
  list: { total: number; page: { items: ListItem[]; next: string | null; previous: string | null } };
  atRiskCount: number;
  choices: { carriers: Array<{ value: string }>; countries: Array<{ value: string }> };
}

beforeAll(async () => {
  app = await startAppServer();
  late = await seedAtRiskShipment(app.db, TEST_SHOP, { n: 1, email: "late-buyer@example.test" });
  const now = Date.now();
  // 60 parcels on time, delivered or moving, to page through.
  await app.db.shipment.createMany({
    data: Array.from({ length: 60 }, (_, i) => ({
      shop: TEST_SHOP,
      shopifyId: `ontime-${i}`,
      orderShopifyId: `ontime-order-${i}`,
      name: `#${7000 + i}.1`,
      status: "success",
      shipmentStatus: i % 2 ? "delivered" : "in_transit",
      carrierName: "Local Post",
      trackingNumbers: JSON.stringify([`LP${i}`]),
      destinationCountry: i % 3 ? "FR" : "US",
      shippedAt: new Date(now - 2 * DAY),
      estimatedDeliveryTo: new Date(now + 5 * DAY),
      lastEventAt: new Date(now - DAY),
      deliveredAt: i % 2 ? new Date(now - DAY) : null,
      shopifyUpdatedAt: new Date(now - DAY),
      createdAt: new Date(now - i * 60_000),
    })),
  });
  // Seeded rows get the at-risk time a refresh would store.
  await refreshAtRisk(app.db, TEST_SHOP, new Date());
});
afterAll(async () => {
  await app?.stop();
});

describe("the shipment list", () => {
  it("refuses a request without a session token", async () => {
    const response = await fetch(`${app.baseUrl}/app/shipments?_data=routes%2Fapp.shipments._index`, { headers: BROWSER, redirect: "manual" });
    // A data request is redirected (Remix's 204 + X-Remix-Redirect) to the login, with no data.
    expect(response.status).toBe(204);
    expect(response.headers.get("X-Remix-Redirect")).toMatch(/^\/auth\/login/);
    const forged = await fetch(`${app.baseUrl}/app/shipments?_data=routes%2Fapp.shipments._index`, {
      headers: { ...BROWSER, Authorization: `Bearer ${sessionToken(TEST_SHOP, TEST_APP_API_KEY, "not-the-secret")}` },
      redirect: "manual",
    });
    expect(forged.status).toBe(401);
  });

  it("pages on the server and finds the late parcel under At risk", async () => {
    const first = (await (await data("/app/shipments", "routes/app.shipments._index")).json()) as ListData;
    expect(first.list.total).toBe(61);
    expect(first.list.page.items).toHaveLength(50);
    expect(first.atRiskCount).toBe(1);
    const second = (await (await data(`/app/shipments?after=${first.list.page.next}`, "routes/app.shipments._index")).json()) as ListData;
    expect(second.list.page.items).toHaveLength(11);
    expect(second.list.page.next).toBeNull();
    expect(new Set([...first.list.page.items, ...second.list.page.items].map((item) => item.id)).size).toBe(61);

    const atRisk = (await (await data("/app/shipments?atRisk=1", "routes/app.shipments._index")).json()) as ListData;
    expect(atRisk.list.page.items.map((item) => [item.id, item.atRisk])).toEqual([[late.shipmentId, "overdue"]]);
  });

  it("filters by status, carrier, destination and search", async () => {
    const count = async (query: string) =>
      ((await (await data(`/app/shipments?${query}`, "routes/app.shipments._index")).json()) as ListData).list.total;
    expect(await count("status=delivered")).toBe(30);
    expect(await count("status=in_transit")).toBe(31);
    expect(await count("carrier=dhl_express")).toBe(1);
    expect(await count("carrier=Local%20Post&country=US")).toBe(20);
    expect(await count("query=JD014600000001")).toBe(1);
    expect(await count("query=%235001")).toBe(1);
    expect(await count("query=late-buyer%40example.test")).toBe(1);
    const choices = ((await (await data("/app/shipments", "routes/app.shipments._index")).json()) as ListData).choices;
    expect(choices.carriers.map((c) => c.value)).toEqual(["dhl_express", "Local Post"]);
    expect(choices.countries.map((c) => c.value)).toEqual(["DE", "FR", "US"]);
  });
});

describe("a shipment", () => {
  it("shows its order, tracking link, carrier events, estimated window and messages", async () => {
    const response = await data(`/app/shipments/${late.shipmentId}`, "routes/app.shipments.$id");
    expect(response.status).toBe(200);
    const detail = (await response.json()) as {
      shipment: { atRisk: string; tracking: Array<{ number: string; url: string }>; estimatedDeliveryFrom: string; estimatedDeliveryTo: string };
      order: { name: string; email: string };
      events: Array<{ status: string; city: string }>;
      notifications: Array<{ id: string; kind: string; status: string }>;
    };
    expect(detail.shipment.atRisk).toBe("overdue");
    expect(detail.shipment.tracking[0]!.url).toMatch(/^https:\/\/www\.dhl\.com\//);
    expect(new Date(detail.shipment.estimatedDeliveryTo).getTime()).toBeGreaterThan(new Date(detail.shipment.estimatedDeliveryFrom).getTime());
    expect(detail.order).toMatchObject({ name: "#5001", email: "late-buyer@example.test" });
    expect(detail.events.map((event) => event.city)).toEqual(["Leipzig", "Shenzhen"]);
    expect(detail.notifications.map((n) => [n.kind, n.status])).toEqual([["shipping_confirmation", "sent"]]);
  });

  it("answers 404 for an id that is not a shipment", async () => {
    expect((await data("/app/shipments/nope", "routes/app.shipments.$id")).status).toBe(404);
  });

  it("resends its shipping confirmation: a new message the worker hands to SendGrid", async () => {
    const before = app.capture.count;
    const response = await post(`/app/activity/${late.confirmationId}`, "routes/app.activity.$id", { intent: "resend" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ok: boolean; toast: string; notificationId: string };
    expect(body).toMatchObject({ ok: true, toast: "Message will be sent again" });
    await app.capture.waitForCount(before + 1, 15_000);
    const mail = app.capture.mails.at(-1)!;
    expect(mail.to).toEqual(["late-buyer@example.test"]);
    expect(mail.customArgs.notification_id).toBe(body.notificationId);
    const copy = await eventually(() => app.db.notification.findFirst({ where: { id: body.notificationId, status: "sent" } }));
    expect(copy).toMatchObject({ planKey: `resend:${late.confirmationId}:1`, kind: "shipping_confirmation", providerMessageId: mail.id });

    const detail = (await (await data(`/app/shipments/${late.shipmentId}`, "routes/app.shipments.$id")).json()) as {
      notifications: Array<{ id: string; planKey: string }>;
    };
    expect(detail.notifications.map((n) => n.id)).toEqual([late.confirmationId, body.notificationId]);
  });

  it("says why an action cannot be done", async () => {
    const response = await post(`/app/activity/${late.confirmationId}`, "routes/app.activity.$id", { intent: "cancel" });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ ok: false, error: expect.stringMatching(/now sent/) });
    const bad = await post(`/app/activity/${late.confirmationId}`, "routes/app.activity.$id", { intent: "delete" });
    expect(bad.status).toBe(400);
  });
});
