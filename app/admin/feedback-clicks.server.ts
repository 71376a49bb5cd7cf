// What the review links of feedback requests were clicked for: per message (Activity) and over the home
// page's period (requests sent, messages clicked, the share of each star). A message's rating is its most
// recently clicked star: a buyer who clicks 2 then 4 stars is counted once, at 4. Scoped by shop.
import type { Db } from "~/db.server";
import { inSlices } from "~/db/in-lists";

export interface MessageClicks {
  clicked: boolean;
  /** Every click of the message's links, repeats included. */
  clicks: number;
  /** The last star clicked; null when only the review button was. */
  rating: number | null;
}

function latestRatings(rows: { notificationId: string; rating: number | null; lastClickedAt: Date }[]): Map<string, number> {
  const latest = new Map<string, { rating: number; at: number }>();
  for (const row of rows) {
    if (row.rating === null) continue;
    const seen = latest.get(row.notificationId);
    if (!seen || row.lastClickedAt.getTime() > seen.at) latest.set(row.notificationId, { rating: row.rating, at: row.lastClickedAt.getTime() });
  }
  return new Map([...latest].map(([id, { rating }]) => [id, rating]));
}

export async function clicksByMessage(db: Db, shop: string, notificationIds: string[]): Promise<Map<string, MessageClicks>> {
  if (!notificationIds.length) return new Map();
  const rows = await db.feedbackClick.findMany({
    where: { shop, notificationId: { in: notificationIds } },
    select: { notificationId: true, rating: true, clicks: true, lastClickedAt: true },
  });
  const ratings = latestRatings(rows);
  const out = new Map<string, MessageClicks>();
  for (const row of rows) {
    const current = out.get(row.notificationId) ?? { clicked: true, clicks: 0, rating: ratings.get(row.notificationId) ?? null };
    current.clicks += row.clicks;
    out.set(row.notificationId, current);
  }
  return out;
}

export interface FeedbackFigures {
  /** Feedback requests sent in the period. */
  sent: number;
  /** Of those, messages whose review links were clicked. */
  clicked: number;
  /** Messages by the last star clicked, 1 to 5, and their share of the messages with a star (0..1). */
  stars: { rating: number; messages: number; share: number }[];
}

export async function feedbackFigures(db: Db, shop: string, since: Date): Promise<FeedbackFigures> {
  const sentWhere = { shop, kind: "feedback_request", sentAt: { gte: since } };
  const [sent, rows] = await Promise.all([
    db.notification.count({ where: sentWhere }),
    db.feedbackClick.findMany({
      where: { shop, clickedAt: { gte: since } },
      select: { notificationId: true, rating: true, lastClickedAt: true },
    }),
  ]);
  // Only clicks on requests sent in the period, so that "clicked" is a share of "sent".
  const ids = [...new Set(rows.map((row) => row.notificationId))];
  // A busy shop's month has thousands: a slice at a time (in-lists.ts).
  const inPeriod = new Set((await inSlices(ids, (slice) => db.notification.findMany({ where: { ...sentWhere, id: { in: slice } }, select: { id: true } }))).map((n) => n.id));
  const ratings = latestRatings(rows.filter((row) => inPeriod.has(row.notificationId)));
  const rated = ratings.size;
  const stars = [1, 2, 3, 4, 5].map((rating) => {
    const messages = [...ratings.values()].filter((r) => r === rating).length;
    return { rating, messages, share: rated ? messages / rated : 0 };
  });
  return { sent, clicked: inPeriod.size, stars };
}

/** One message's review links as clicked: each link (a star or the button), how often, first and last. */
export async function messageLinkClicks(db: Db, shop: string, notificationId: string) {
  const rows = await db.feedbackClick.findMany({
    where: { shop, notificationId },
    orderBy: { clickedAt: "asc" },
    select: { rating: true, clicks: true, clickedAt: true, lastClickedAt: true },
  });
  return rows.map((row) => ({ rating: row.rating, clicks: row.clicks, clickedAt: row.clickedAt.toISOString(), lastClickedAt: row.lastClickedAt.toISOString() }));
}
