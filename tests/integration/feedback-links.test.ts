// The feedback request's review links over the real server: signed webhooks in, the in-process worker
// sending to the SendGrid capture server, and the links in the captured mail followed over HTTP. The five
// star links redirect (302) to the merchant's review destination, with the rating where the URL template
// takes one; a one-star click lands where a five-star click does; each click is counted for its message
// and shown in Activity and on the home page; a forged link is refused and counts nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, TEST_SECRET, TEST_SHOP, type AppServer } from "../support/app-server";
import { sessionToken, TEST_APP_API_KEY } from "../support/admin-browser";
import { deliveredOrderFeedbackMail } from "../support/feedback-request";
import type { Buyer } from "#tests/demo/scenario";
import type { CapturedMail } from "#tests/standins/capture-server";

const TEMPLATE = "https://reviews.example/write?order={{ order.name }}&product={{ product.handle }}&rating={{ rating }}";
const BROWSER = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36" };
let app: AppServer;

const buyer = (n: number): Buyer => ({ first: `Review${n}`, last: "Tester", email: `review${n}@example.test`, locale: "en", country: "DE", city: "Berlin", zip: "10115", address1: "Street 1" });

const feedbackMailFor = (n: number) => deliveredOrderFeedbackMail(app, 7300 + n, buyer(n));

const starLinks = (html: string) => [...html.matchAll(/href="(http:\/\/127\.0\.0\.1:\d+\/r\/[a-z0-9]+\.([1-5r])\.[A-Za-z0-9_-]+)"/g)].map((m) => ({ url: m[1], link: m[2] }));
const follow = (url: string) => fetch(url, { redirect: "manual", headers: BROWSER });
const admin = (path: string, route: string) =>
  fetch(new URL(`${path}${path.includes("?") ? "&" : "?"}_data=${encodeURIComponent(route)}`, app.baseUrl), {
    headers: { ...BROWSER, Authorization: `Bearer ${sessionToken(TEST_SHOP, TEST_APP_API_KEY, TEST_SECRET)}` },
  });

beforeAll(async () => {
  app = await startAppServer();
  await app.db.shop.update({ where: { domain: TEST_SHOP }, data: { reviewDestination: "custom", reviewUrlTemplate: TEMPLATE } });
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

describe("feedback review links", { timeout: 120_000 }, () => {
  let mail: CapturedMail;
  let links: { url: string; link: string }[];

  it("mails five star links and a review button, all signed redirects through the app", async () => {
    mail = await feedbackMailFor(1);
    links = starLinks(mail.html ?? "");
    expect(links.map((l) => l.link)).toEqual(["1", "2", "3", "4", "5", "r"]);
    // No personal data in any link.
    for (const { url } of links) expect(url).not.toMatch(/review1|example\.test|Tester|%40/i);
    expect(mail.text).toContain(links[0].url);
    expect(mail.html).toContain("1 star");
    expect(mail.html).toContain("5 stars");
  });

  it("redirects each star to the merchant's review app pattern with the rating, and a low star to the same destination", async () => {
    const locations: string[] = [];
    for (const { url } of links) {
      const response = await follow(url);
      expect(response.status).toBe(302);
      expect(response.headers.get("cache-control")).toContain("no-store");
      locations.push(response.headers.get("location") ?? "");
    }
    // Order #1301 has no cached product pages on this branch, so product.handle is empty.
    expect(locations.slice(0, 5)).toEqual([1, 2, 3, 4, 5].map((rating) => expect.stringMatching(new RegExp(`^https://reviews\\.example/write\\?order=%23\\d+&product=&rating=${rating}$`))));
    expect(locations[5]).toMatch(/&rating=$/);
    // One star and five stars: the same page, only the rating parameter differs.
    const without = (location: string) => location.replace(/rating=\d?$/, "rating=");
    expect(without(locations[0])).toBe(without(locations[4]));
    expect(new Set(locations.map(without)).size).toBe(1);
  });

  it("counts the clicks per message, a repeated click on the same link once as a link and twice as clicks", async () => {
    const notification = await app.db.notification.findFirstOrThrow({ where: { shop: TEST_SHOP, providerMessageId: mail.id } });
    await follow(links[3].url);
    const rows = await app.db.feedbackClick.findMany({ where: { notificationId: notification.id }, orderBy: { link: "asc" } });
    expect(rows.map((r) => [r.link, r.rating, r.clicks, r.shop])).toEqual([
      ["1", 1, 1, TEST_SHOP],
      ["2", 2, 1, TEST_SHOP],
      ["3", 3, 1, TEST_SHOP],
      ["4", 4, 2, TEST_SHOP],
      ["5", 5, 1, TEST_SHOP],
      ["review", null, 1, TEST_SHOP],
    ]);
  });

  it("refuses a forged, changed or garbled link with a plain page and counts nothing", async () => {
    const before = await app.db.feedbackClick.aggregate({ _sum: { clicks: true } });
    const one = links[0].url;
    const forged = [
      one.replace(/\.1\./, ".5."), // the rating changed
      one.slice(0, -2) + (one.endsWith("AA") ? "BB" : "AA"), // the signature changed
      one.replace(/\/r\/[a-z0-9]+\./, "/r/cknotamessage0000."), // another message
      `${app.baseUrl}/r/not-a-token`,
    ];
    for (const url of forged) {
      const response = await follow(url);
      expect([400, 404]).toContain(response.status);
      expect(response.headers.get("location")).toBeNull();
      expect(response.headers.get("content-type")).toContain("text/html");
      expect(await response.text()).toContain("This review link is invalid");
    }
    expect(await app.db.feedbackClick.aggregate({ _sum: { clicks: true } })).toEqual(before);
    expect(app.logs.join("\n")).toContain("feedback link refused");
  });

  it("shows the message as clicked with its star in Activity, and the figures on the home page", async () => {
    const activity = (await (await admin("/app/activity?kind=feedback_request", "routes/app.activity._index")).json()) as {
      list: { page: { items: { providerMessageId: string | null; feedback: { clicked: boolean; rating: number | null; clicks: number } | null }[] } };
    };
    const item = activity.list.page.items.find((i) => i.providerMessageId === mail.id);
    // The last star clicked was 4 (clicked again above).
    expect(item?.feedback).toEqual({ clicked: true, rating: 4, clicks: 7 });
    const notification = await app.db.notification.findFirstOrThrow({ where: { shop: TEST_SHOP, providerMessageId: mail.id } });
    const detail = (await (await admin(`/app/activity/${notification.id}`, "routes/app.activity.$id")).json()) as { reviewClicks: { rating: number | null; clicks: number }[] };
    expect(detail.reviewClicks.map((c) => [c.rating, c.clicks])).toEqual(expect.arrayContaining([[1, 1], [4, 2], [5, 1], [null, 1]]));
    expect(detail.reviewClicks).toHaveLength(6);
    const home = (await (await admin("/app", "routes/app._index")).json()) as { feedback: { sent: number; clicked: number; stars: { rating: number; messages: number; share: number }[] } };
    expect(home.feedback.sent).toBeGreaterThanOrEqual(1);
    expect(home.feedback.clicked).toBe(1);
    expect(home.feedback.stars.find((s) => s.rating === 4)).toEqual({ rating: 4, messages: 1, share: 1 });
  });

  it("follows a changed destination at click time: a review app on the product page, or the storefront without product pages", async () => {
    await app.db.shop.update({ where: { domain: TEST_SHOP }, data: { reviewDestination: "judgeme", reviewUrlTemplate: null } });
    const low = await follow(links[0].url);
    const high = await follow(links[4].url);
    // No product pages known for the order here: both go to the storefront, the same place.
    expect(low.headers.get("location")).toBe(`https://${TEST_SHOP}/`);
    expect(high.headers.get("location")).toBe(low.headers.get("location"));
  });
});
