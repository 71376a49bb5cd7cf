// One shop cannot read or change another's shipments, messages, templates or settings: two installed
// shops, every admin route called over HTTP with shop B's session token and shop A's ids (or a forged
// `shop` parameter). Each call is first made as shop A, so a 404 for B proves scoping, not a bad request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, TEST_SECRET, type AppServer } from "../support/app-server";
import { sessionToken, TEST_APP_API_KEY } from "../support/admin-browser";
import { seedAtRiskShipment } from "#tests/support/shipments-seed";

const A = "isolation-a.myshopify.com";
const B = "isolation-b.myshopify.com";
const A_SUBJECT = "Shop A's own subject {{ order.name }}";

let app: AppServer;
let seeded: Awaited<ReturnType<typeof seedAtRiskShipment>>;
let scheduledId: string;

// The library answers bots (Node's own user agent counts as one) with 410: ask as the admin's browser does.
const BROWSER = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36" };
const as = (shop: string) => ({ ...BROWSER, Authorization: `Bearer ${sessionToken(shop, TEST_APP_API_KEY, TEST_SECRET)}` });

function url(path: string, route?: string): URL {
  const target = new URL(path, app.baseUrl);
  if (route) target.searchParams.set("_data", route);
  return target;
}
const read = (shop: string, path: string, route?: string) => fetch(url(path, route), { headers: as(shop), redirect: "manual" });
const write = (shop: string, path: string, route: string, form: Record<string, string>) =>
  fetch(url(path, route), {
    method: "POST",
    headers: { ...as(shop), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
    redirect: "manual",
  });

const notificationsOfA = () => app.db.notification.findMany({ where: { shop: A }, orderBy: { id: "asc" } });

beforeAll(async () => {
  app = await startAppServer({ seedShops: [A, B], worker: false });
  seeded = await seedAtRiskShipment(app.db, A, { n: 9, email: "a-buyer@example.test" });
  scheduledId = (
    await app.db.notification.create({
      data: {
        shop: A,
        kind: "delay_notice",
        planKey: `delay_notice:${seeded.shipmentId}`,
        orderShopifyId: seeded.orderShopifyId,
        locale: "en",
        recipient: "a-buyer@example.test",
        scheduledFor: new Date(Date.now() + 86_400_000),
      },
    })
  ).id;
  await app.db.template.create({ data: { shop: A, kind: "shipping_confirmation", locale: "en", subject: A_SUBJECT, html: "<p>A</p>", text: "A" } });
  await app.db.shop.update({ where: { domain: A }, data: { senderName: "Shop A Sender", delayGraceDays: 5 } });
});
afterAll(async () => {
  await app?.stop();
});

describe("shipments", () => {
  it("shop B gets 404 for shop A's shipment, which shop A can open", async () => {
    const path = `/app/shipments/${seeded.shipmentId}`;
    expect((await read(A, path, "routes/app.shipments.$id")).status).toBe(200);
    const response = await read(B, path, "routes/app.shipments.$id");
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("a-buyer@example.test");
  });

  it("shop B's list, filters and search never show shop A's shipments", async () => {
    for (const query of ["", "?atRisk=1", "?query=%235009", "?query=a-buyer", `?shop=${A}`]) {
      const response = await read(B, `/app/shipments${query}`, "routes/app.shipments._index");
      expect(response.status).toBe(200);
      const body = (await response.json()) as { list: { total: number }; atRiskCount: number; choices: { carriers: unknown[] } };
      expect(body.list.total).toBe(0);
      expect(body.atRiskCount).toBe(0);
      expect(body.choices.carriers).toEqual([]);
    }
    const mine = (await (await read(A, "/app/shipments?atRisk=1", "routes/app.shipments._index")).json()) as { list: { total: number } };
    expect(mine.list.total).toBe(1);
  });
});

describe("notifications", () => {
  it("shop B gets 404 for shop A's message and its rendered mail", async () => {
    const path = `/app/activity/${seeded.confirmationId}`;
    expect((await read(A, path, "routes/app.activity.$id")).status).toBe(200);
    const response = await read(B, path, "routes/app.activity.$id");
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("#5009");
  });

  it("shop B cannot resend, send now or cancel shop A's messages", async () => {
    const before = await notificationsOfA();
    for (const [id, intent] of [
      [seeded.confirmationId, "resend"],
      [scheduledId, "send_now"],
      [scheduledId, "cancel"],
    ] as const) {
      const response = await write(B, `/app/activity/${id}`, "routes/app.activity.$id", { intent, shop: A });
      expect(response.status).toBe(404);
    }
    expect(await notificationsOfA()).toEqual(before);
    expect(await app.db.notification.count({ where: { shop: B } })).toBe(0);
  });

  it("shop B's log and CSV export never show shop A's messages", async () => {
    const log = (await (await read(B, `/app/activity?shop=${A}`, "routes/app.activity._index")).json()) as { list: { total: number } };
    expect(log.list.total).toBe(0);
    const csv = await read(B, `/app/activity/csv?shop=${A}`);
    expect(csv.status).toBe(200);
    const text = await csv.text();
    expect(text.trimEnd().split("\r\n")).toHaveLength(1);
    expect(text).not.toContain("a-buyer@example.test");
    const theirs = await (await read(A, "/app/activity/csv")).text();
    expect(theirs).toContain("a-buyer@example.test");
  });
});

describe("templates", () => {
  it("shop B reads and saves its own template, never shop A's", async () => {
    const path = "/app/templates/shipping_confirmation?locale=en";
    const mine = (await (await read(A, path, "routes/app.templates.$kind")).json()) as { template: { source: { subject: string } } };
    expect(mine.template.source.subject).toBe(A_SUBJECT);
    const theirs = (await (await read(B, `${path}&shop=${A}`, "routes/app.templates.$kind")).json()) as { template: { source: { subject: string } } };
    expect(theirs.template.source.subject).not.toBe(A_SUBJECT);

    const saved = await write(B, "/app/templates/shipping_confirmation", "routes/app.templates.$kind", {
      intent: "save",
      locale: "en",
      shop: A,
      subject: "B was here {{ order.name }}",
      html: "<p>B</p>",
      text: "B",
    });
    expect(saved.status).toBe(200);
    expect((await app.db.template.findUniqueOrThrow({ where: { shop_kind_locale: { shop: B, kind: "shipping_confirmation", locale: "en" } } })).subject).toMatch(/^B was here/);
    const reset = await write(B, "/app/templates/shipping_confirmation", "routes/app.templates.$kind", { intent: "reset", locale: "en", shop: A });
    expect(reset.status).toBe(200);
    const a = await app.db.template.findUniqueOrThrow({ where: { shop_kind_locale: { shop: A, kind: "shipping_confirmation", locale: "en" } } });
    expect(a.subject).toBe(A_SUBJECT);
  });
});

describe("settings", () => {
  it("shop B reads and saves its own settings, never shop A's", async () => {
    const theirs = (await (await read(B, `/app/settings?shop=${A}`, "routes/app.settings")).json()) as {
      sender: { senderName: string | null };
      timing: { delayGraceDays: number };
    };
    expect(theirs.sender.senderName).not.toBe("Shop A Sender");
    expect(theirs.timing.delayGraceDays).toBe(3);

    const before = await app.db.shop.findUniqueOrThrow({ where: { domain: A } });
    const saved = await write(B, "/app/settings", "routes/app.settings", {
      intent: "sender",
      shop: A,
      domain: A,
      senderName: "Shop B Sender",
      senderEmail: "",
      replyToEmail: "",
      reviewUrl: "",
    });
    expect(saved.status).toBe(200);
    expect((await app.db.shop.findUniqueOrThrow({ where: { domain: B } })).senderName).toBe("Shop B Sender");
    const after = await app.db.shop.findUniqueOrThrow({ where: { domain: A } });
    expect({ ...after, updatedAt: null }).toEqual({ ...before, updatedAt: null });
  });
});
