// The Carriers page's data and CSV over HTTP through the real server with real session tokens: shop A
// sees its lanes, shop B (even naming shop A) sees none of them, on the page, in the CSV and on home.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, TEST_SECRET, type AppServer } from "../support/app-server";
import { sessionToken, TEST_APP_API_KEY } from "../support/admin-browser";
import { seedCarrierHistory } from "#tests/support/carriers-seed";
import { BRAZIL_EVIDENCE, KNOWN_LANES } from "#tests/support/carriers-lanes";
import type { CarriersReport, WorstOnTime } from "~/carriers/performance";

const A = "carriers-a.myshopify.com";
const B = "carriers-b.myshopify.com";
const BROWSER = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36" };

let app: AppServer;

function get(shop: string, path: string, route?: string) {
  const url = new URL(path, app.baseUrl);
  if (route) url.searchParams.set("_data", route);
  return fetch(url, { headers: { ...BROWSER, Authorization: `Bearer ${sessionToken(shop, TEST_APP_API_KEY, TEST_SECRET)}` }, redirect: "manual" });
}
const report = async (shop: string, query = "") => ((await (await get(shop, `/app/carriers${query}`, "routes/app.carriers")).json()) as { report: CarriersReport }).report;
const csvLines = async (shop: string, query = "") => (await (await get(shop, `/app/carriers/csv${query}`)).text()).replace(/^\uFEFF/, "").trimEnd().split("\r\n");
const home = async (shop: string) => ((await (await get(shop, "/app", "routes/app._index")).json()) as { leastOnTime: WorstOnTime | null }).leastOnTime;

beforeAll(async () => {
  app = await startAppServer({ seedShops: [A, B], worker: false });
  await seedCarrierHistory(app.db, A, KNOWN_LANES);
  // A carrier name a spreadsheet would run as a formula.
  await seedCarrierHistory(app.db, A, [{ carrierCode: null, carrierName: "=HYPERLINK(\"x\")", destination: "FR", transits: [4] }], { prefix: "formula" });
});
afterAll(async () => {
  await app?.stop();
});

describe("the Carriers page over HTTP", () => {
  it("gives shop A every destination with its carriers and the recommendation", async () => {
    const mine = await report(A);
    expect(mine.lanes.map((lane) => [lane.destination, lane.parcels, lane.regions.map((r) => r.region)])).toEqual([
      ["BR", 150, []],
      ["US", 55, ["CA"]],
      ["DE", 40, []],
      ["FR", 1, []],
    ]);
    expect(mine.lanes[0]!.recommendation?.evidence).toBe(BRAZIL_EVIDENCE);
    expect(mine.worstOnTime).toMatchObject({ destination: "BR", carrier: "correios", onTimeRate: 0.6, promisedParcels: 100 });
  });

  it("never shows shop A's lanes to shop B, even when B names A", async () => {
    for (const query of ["", "?destination=BR", `?shop=${A}`]) {
      const response = await get(B, `/app/carriers${query}`, "routes/app.carriers");
      expect(response.status).toBe(200);
      const body = await response.text();
      expect(JSON.parse(body).report.lanes).toEqual([]);
      expect(body).not.toContain("Correios");
    }
    expect(await home(B)).toBeNull();
    expect(await home(A)).toMatchObject({ destination: "BR", label: "Correios" });
  });

  it("exports shop A's lane table as CSV, formulas defused, and nothing of it to shop B", async () => {
    const mine = await csvLines(A);
    expect(mine).toHaveLength(1 + 6 + 1);
    expect(mine).toContain("BR,,DHL Express,CN,40,40,0,4,6,1.0000,40,0.0000,0.0000,0.0000,1");
    expect(mine.find((line) => line.startsWith("FR,"))).toBe(`FR,,"'=HYPERLINK(""x"")",CN,1,1,0,4,4,,0,0.0000,0.0000,,1`);
    const theirs = await csvLines(B, `?shop=${A}`);
    expect(theirs).toEqual([mine[0]]);
  });

  it("refuses a request without a session token", async () => {
    for (const path of ["/app/carriers/csv", "/app/carriers/import"]) {
      const response = await fetch(new URL(path, app.baseUrl), { headers: BROWSER, redirect: "manual" });
      expect(response.status).not.toBe(200);
      expect(await response.text()).not.toMatch(/Correios|orders imported/);
    }
  });

  it("gives the import's progress alone, of the session's shop only", async () => {
    await app.db.historyImport.create({ data: { shop: A, status: "running", since: new Date(), bulkStatus: "RUNNING", objectCount: 40, ordersImported: 3412 } });
    const progress = async (shop: string, query = "") => {
      const response = await get(shop, `/app/carriers/import${query}`, "routes/app.carriers.import");
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-store");
      return (await response.json()) as { status: string; label: string; report?: unknown };
    };
    const mine = await progress(A);
    expect(mine).toMatchObject({ status: "running", label: "3,412 orders imported" });
    expect(mine.report).toBeUndefined();
    expect(await progress(B, `?shop=${A}`)).toMatchObject({ status: "never", label: "0 orders imported" });
  });
});
