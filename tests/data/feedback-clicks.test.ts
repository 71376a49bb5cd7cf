// Following a feedback request's review links against real databases (SQLite, and PostgreSQL when
// TEST_POSTGRES_URL is set): a click counted once per message and link (repeats and simultaneous first
// clicks add to its count), a forged token counting nothing, the figures scoped to their shop.
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "~/db.server";
import { followFeedbackLink } from "~/feedback/clicks.server";
import { feedbackLinkToken } from "~/feedback/link-token";
import { clicksByMessage, feedbackFigures } from "~/admin/feedback-clicks.server";
import { ago, backends, DAY, later, NOW, useDatabase } from "./harness";

const SECRET = "data-secret";
const noProducts = async () => [];

describe.each(backends)("feedback clicks on $name", (backend) => {
  const suite = useDatabase(backend);
  let db: Db;
  beforeAll(() => {
    db = suite.db;
  });

  async function feedbackRequest(shop: string, order: string) {
    await db.order.create({ data: { shop, shopifyId: order, name: `#${order}`, email: "buyer@example.com", shopifyUpdatedAt: ago(DAY) } });
    return db.notification.create({
      data: { shop, kind: "feedback_request", planKey: `feedback_request:${order}`, orderShopifyId: order, locale: "en", recipient: "buyer@example.com", scheduledFor: ago(DAY), status: "sent", sentAt: ago(DAY) },
    });
  }

  it("counts each link of a message once, its repeats and simultaneous clicks in its count", async () => {
    const shop = await suite.newShop("clicks");
    await db.shop.update({ where: { domain: shop }, data: { reviewDestination: "custom", reviewUrlTemplate: "https://reviews.example/{{ order.number }}?rating={{ rating }}" } });
    const message = await feedbackRequest(shop, "6101");
    const token = (rating: number | null) => feedbackLinkToken(SECRET, message, rating);
    const first = await followFeedbackLink(db, SECRET, token(2), noProducts, NOW);
    expect(first).toEqual({ ok: true, shop, url: "https://reviews.example/6101?rating=2", rating: 2, fellBack: false });
    // Eight simultaneous clicks of the 5-star link (a double-clicking buyer, a mail scanner).
    const results = await Promise.all(Array.from({ length: 8 }, () => followFeedbackLink(db, SECRET, token(5), noProducts, later(1000))));
    expect(results.every((r) => r.ok && r.url === "https://reviews.example/6101?rating=5")).toBe(true);
    await followFeedbackLink(db, SECRET, token(null), noProducts, later(2000));
    const rows = await db.feedbackClick.findMany({ where: { notificationId: message.id }, orderBy: { link: "asc" } });
    expect(rows.map((r) => [r.link, r.rating, r.clicks])).toEqual([
      ["2", 2, 1],
      ["5", 5, 8],
      ["review", null, 1],
    ]);
    // The message's rating is the last star clicked (the review button carries none).
    expect((await clicksByMessage(db, shop, [message.id])).get(message.id)).toEqual({ clicked: true, clicks: 10, rating: 5 });
    expect((await db.feedbackClick.findFirstOrThrow({ where: { notificationId: message.id, link: "5" } })).lastClickedAt).toEqual(later(1000));
  });

  it("counts nothing for a forged token or another shop's, and keeps figures per shop", async () => {
    const shop = await suite.newShop("forged");
    const other = await suite.newShop("other");
    const message = await feedbackRequest(shop, "6201");
    await feedbackRequest(other, "6202");
    const forged = feedbackLinkToken("another-secret", message, 1);
    const moved = feedbackLinkToken(SECRET, { ...message, shop: other }, 1);
    for (const token of [forged, moved, "garbage", `${message.id}.9.abc`]) {
      expect((await followFeedbackLink(db, SECRET, token, noProducts, NOW)).ok).toBe(false);
    }
    expect(await db.feedbackClick.count({ where: { notificationId: message.id } })).toBe(0);
    await followFeedbackLink(db, SECRET, feedbackLinkToken(SECRET, message, 1), noProducts, NOW);
    const since = ago(30 * DAY);
    expect(await feedbackFigures(db, shop, since)).toEqual({
      sent: 1,
      clicked: 1,
      stars: [1, 2, 3, 4, 5].map((rating) => ({ rating, messages: rating === 1 ? 1 : 0, share: rating === 1 ? 1 : 0 })),
    });
    expect(await feedbackFigures(db, other, since)).toMatchObject({ sent: 1, clicked: 0 });
  });
  it("counts a month of 1,200 clicked requests: more ids than one statement takes on SQLite", async () => {
    const shop = await suite.newShop("busy");
    const sent = Array.from({ length: 1200 }, (_, i) => ({ id: `busy-${shop}-${i}`, orderShopifyId: String(70_000 + i) }));
    await db.notification.createMany({
      data: sent.map(({ id, orderShopifyId }) => ({ id, shop, kind: "feedback_request", planKey: `feedback_request:${orderShopifyId}`, orderShopifyId, locale: "en", recipient: "buyer@example.com", scheduledFor: ago(2 * DAY), status: "sent", sentAt: ago(2 * DAY) })),
    });
    // Every message clicked at 4 stars, the first 300 at 5 later.
    await db.feedbackClick.createMany({ data: sent.map(({ id }) => ({ shop, notificationId: id, link: "4", rating: 4, clickedAt: ago(DAY), lastClickedAt: ago(DAY) })) });
    await db.feedbackClick.createMany({ data: sent.slice(0, 300).map(({ id }) => ({ shop, notificationId: id, link: "5", rating: 5, clickedAt: NOW, lastClickedAt: NOW })) });
    const figures = await feedbackFigures(db, shop, ago(30 * DAY));
    expect(figures).toMatchObject({ sent: 1200, clicked: 1200 });
    expect(figures.stars.filter((s) => s.messages > 0)).toEqual([
      { rating: 4, messages: 900, share: 0.75 },
      { rating: 5, messages: 300, share: 0.25 },
    ]);
  });
});
