// The template editor's preview on a learned lane, over HTTP against the real built server: the editor
// lists the shop's own lanes, and a chosen lane's window (range, days, source, parcels) fills
// estimated_delivery; a lane the shop does not have leaves the sample.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, TEST_SHOP, TEST_SECRET, type AppServer } from "../support/app-server";
import { ADMIN_USER_AGENT, sessionToken, TEST_APP_API_KEY } from "../support/admin-browser";
import { seedLane } from "../support/lane-seed";

const OTHER_SHOP = "parcelwise-lanes-other.myshopify.com";
const LANE = "lane:china_post|CN|BR";
const TEXT = "{{ carrier.name }} to {{ shipment.destination_country }}: {{ estimated_delivery.min_business_days }}-{{ estimated_delivery.max_business_days }} {{ estimated_delivery.source }} {{ estimated_delivery.parcels }}";
let app: AppServer;

async function admin(shop: string, path: string, form?: Record<string, string>) {
  const url = new URL(`${path}${path.includes("?") ? "&" : "?"}_data=${encodeURIComponent("routes/app.templates.$kind")}`, app.baseUrl);
  const response = await fetch(url, {
    method: form ? "POST" : "GET",
    headers: { "User-Agent": ADMIN_USER_AGENT, Authorization: `Bearer ${sessionToken(shop, TEST_APP_API_KEY, TEST_SECRET)}` },
    body: form ? new URLSearchParams(form) : undefined,
  });
  return { status: response.status, json: (await response.json()) as { lanes: unknown; scenario: unknown; preview: { text: string } } };
}

const preview = (shop: string, lane: string) =>
  admin(shop, "/app/templates/shipping_confirmation", { intent: "preview", locale: "en", subject: "s", html: "<p>h</p>", text: TEXT, carrier: "dhl_express", destination: "DE", previewLocale: "en", lane });

beforeAll(async () => {
  app = await startAppServer({ worker: false, seedShops: [TEST_SHOP, OTHER_SHOP] });
  // 60 parcels from China to Brazil by China Post, 15 to 30 days on the way.
  await seedLane(app.db, TEST_SHOP, { carrier: "China Post", origin: "CN", destination: "BR", transitDays: Array.from({ length: 60 }, (_, i) => 15 + (i % 16)) });
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

describe("the template preview on a learned lane", () => {
  it("lists the shop's lanes and previews the chosen one's learned window", async () => {
    const editor = await admin(TEST_SHOP, `/app/templates/shipping_confirmation?locale=en&lane=${encodeURIComponent(LANE)}`);
    expect(editor.status).toBe(200);
    expect(editor.json.lanes).toEqual([{ value: LANE, label: "China Post, China → Brazil (60 delivered)" }]);
    expect(editor.json.scenario).toMatchObject({ lane: LANE });

    const learned = await preview(TEST_SHOP, LANE);
    expect(learned.status).toBe(200);
    const text = learned.json.preview.text;
    const match = /^China Post to BR: (\d+)-(\d+) lane (\d+)$/.exec(text.trim());
    expect(match, text).not.toBeNull();
    const [min, max, parcels] = match!.slice(1).map(Number);
    // Business days from the hand-over, of a lane whose parcels took 15 to 30 calendar days.
    expect(min).toBeGreaterThanOrEqual(8);
    expect(max).toBeGreaterThan(min!);
    expect(parcels).toBeGreaterThan(0);
    expect(parcels).toBeLessThanOrEqual(60);

    // The default stays the sample: the carrier's typical days.
    expect((await preview(TEST_SHOP, "")).json.preview.text.trim()).toMatch(/^DHL Express to DE: \d+-\d+ registry$/);
  });

  it("does not show another shop's lane", async () => {
    const other = await admin(OTHER_SHOP, `/app/templates/shipping_confirmation?locale=en&lane=${encodeURIComponent(LANE)}`);
    expect(other.json.lanes).toEqual([]);
    expect(other.json.scenario).toMatchObject({ lane: "" });
    expect((await preview(OTHER_SHOP, LANE)).json.preview.text.trim()).toMatch(/^DHL Express to DE: \d+-\d+ registry$/);
  });
});
