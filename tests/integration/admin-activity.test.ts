// The Activity pages and the CSV export over HTTP against the real built server (worker off, so the
// messages stay as the test leaves them).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { sessionToken, TEST_APP_API_KEY } from "../support/admin-browser";
import { seedAtRiskShipment } from "#tests/support/shipments-seed";

const HOUR = 3_600_000;
let app: AppServer;
let late: Awaited<ReturnType<typeof seedAtRiskShipment>>;

// The library answers bots (Node's own user agent counts as one) with 410: ask as the admin's browser does.
const BROWSER = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36" };
const headers = () => ({ ...BROWSER, Authorization: `Bearer ${sessionToken(TEST_SHOP, TEST_APP_API_KEY, TEST_SECRET)}` });
const get = (path: string, route?: string) => {
  const url = new URL(path, app.baseUrl);
  if (route) url.searchParams.set("_data", route);
  return fetch(url, { headers: headers() });
};
const post = (id: string, intent: string) =>
  fetch(`${app.baseUrl}/app/activity/${id}?_data=routes%2Fapp.activity.%24id`, {
    method: "POST",
    headers: { ...headers(), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent }),
  });

interface ActivityData {
  errors: { from?: string; to?: string };
  dates: { from: string; to: string };
  list: { total: number; page: { items: Array<{ id: string; status: string; kind: string; orderName: string | null }>; next: string | null } };
}
const list = async (query = "") => (await (await get(`/app/activity?${query}`, "routes/app.activity._index")).json()) as ActivityData;

let waiting: string;
let failed: string;

beforeAll(async () => {
  app = await startAppServer({ worker: false });
  late = await seedAtRiskShipment(app.db, TEST_SHOP, { n: 2, email: "activity-buyer@example.test" });
  const base = { shop: TEST_SHOP, orderShopifyId: late.orderShopifyId, locale: "en", recipient: "activity-buyer@example.test" };
  waiting = (
    await app.db.notification.create({
      data: { ...base, kind: "feedback_request", planKey: "feedback_request:x", scheduledFor: new Date(Date.now() + 48 * HOUR) },
    })
  ).id;
  failed = (
    await app.db.notification.create({
      data: {
        ...base,
        kind: "delay_notice",
        planKey: "delay_notice:x",
        scheduledFor: new Date(Date.now() - HOUR),
        status: "failed",
        attempts: 8,
        lastError: '=HYPERLINK("http://evil.example","550, mailbox full")',
      },
    })
  ).id;
  // Enough to need a second page.
  await app.db.notification.createMany({
    data: Array.from({ length: 70 }, (_, i) => ({
      ...base,
      orderShopifyId: `bulk-${i}`,
      recipient: `bulk-${i}@example.test`,
      kind: "shipping_confirmation",
      planKey: `bulk:${i}`,
      scheduledFor: new Date(Date.now() - 72 * HOUR),
      status: "sent",
      sentAt: new Date(Date.now() - 72 * HOUR),
      providerMessageId: `bulk-pm-${i}`,
      createdAt: new Date(Date.now() - 72 * HOUR - i * 1000),
    })),
  });
});
afterAll(async () => {
  await app?.stop();
});

describe("the activity log", () => {
  it("pages on the server and filters by status, message and search", async () => {
    const all = await list();
    expect(all.list.total).toBe(73);
    expect(all.list.page.items).toHaveLength(50);
    const next = await list(`after=${all.list.page.next}`);
    expect(next.list.page.items).toHaveLength(23);
    expect((await list("status=failed")).list.page.items.map((item) => item.id)).toEqual([failed]);
    expect((await list("kind=feedback_request")).list.page.items.map((item) => item.id)).toEqual([waiting]);
    expect((await list("query=bulk-pm-7")).list.total).toBe(1);
    // By order number, through the order lookup.
    expect((await list("query=%235002")).list.total).toBe(3);
  });

  it("validates dates on the server and says which field is wrong", async () => {
    const reversed = await list("from=2026-05-10&to=2026-05-01");
    expect(reversed.errors).toEqual({ to: "The end date is before the start date" });
    expect(reversed.dates).toEqual({ from: "2026-05-10", to: "2026-05-01" });
    // The bad range is not applied.
    expect(reversed.list.total).toBe(73);
    expect((await list("from=soon")).errors.from).toMatch(/YYYY-MM-DD/);
    const today = new Date().toISOString().slice(0, 10);
    expect((await list(`from=${today}`)).list.total).toBeGreaterThanOrEqual(2);
  });

  it("shows one message as it was sent", async () => {
    const response = await get(`/app/activity/${late.confirmationId}`, "routes/app.activity.$id");
    expect(response.status).toBe(200);
    const detail = (await response.json()) as { notification: { html: string; text: string; providerMessageId: string; shop?: string }; shipment: { id: string } };
    expect(detail.notification.html).toContain("<strong>#5002</strong>");
    expect(detail.notification.text).toContain("JD0146000");
    expect(detail.notification.providerMessageId).toBe("seeded-2");
    expect(detail.notification.shop).toBeUndefined();
    expect(detail.shipment.id).toBe(late.shipmentId);
  });
});

describe("actions on a message", () => {
  it("sends a waiting message now, or cancels it only while it waits", async () => {
    const now = await post(waiting, "send_now");
    expect(await now.json()).toMatchObject({ ok: true, toast: "Message will be sent now" });
    const moved = await app.db.notification.findUniqueOrThrow({ where: { id: waiting } });
    expect(moved.status).toBe("scheduled");
    expect(moved.scheduledFor.getTime()).toBeLessThanOrEqual(Date.now());

    expect(await (await post(waiting, "cancel")).json()).toMatchObject({ ok: true, toast: "Message cancelled" });
    expect((await app.db.notification.findUniqueOrThrow({ where: { id: waiting } })).status).toBe("cancelled");
    const again = await post(waiting, "cancel");
    expect(again.status).toBe(409);
  });

  it("retries a failed message with a fresh set of attempts", async () => {
    expect(await (await post(failed, "send_now")).json()).toMatchObject({ ok: true });
    expect(await app.db.notification.findUniqueOrThrow({ where: { id: failed } })).toMatchObject({ status: "scheduled", attempts: 0 });
  });
});

describe("CSV export", () => {
  it("downloads every message of the filter, escaped, as an attachment", async () => {
    const response = await get("/app/activity/csv?status=scheduled");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="parcelwise-activity-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    // A UTF-8 byte order mark, so spreadsheet programs read the file as UTF-8 (TextDecoder drops it).
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "id,created_at,scheduled_for,sent_at,kind,status,recipient,locale,order_id,fulfillment_id,tracking_number,subject,provider_message_id,provider_event,provider_event_at,attempts,error,merchant_action",
    );
    // The retried message: its error cell defused and quoted, whole.
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,"'=HYPERLINK(""http://evil.example"",""550, mailbox full"")"`);
    expect(lines[1]!.startsWith(`${failed},`)).toBe(true);

    const everything = new TextDecoder().decode(await (await get("/app/activity/csv")).arrayBuffer());
    expect(everything.trimEnd().split("\r\n")).toHaveLength(1 + 73);
  });

  it("is refused without a session token", async () => {
    const response = await fetch(`${app.baseUrl}/app/activity/csv`, { headers: BROWSER, redirect: "manual" });
    expect(response.status).not.toBe(200);
    expect(await response.text()).not.toContain("activity-buyer@example.test");
  });
});
