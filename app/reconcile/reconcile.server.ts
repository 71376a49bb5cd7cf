// Reconciliation: what Shopify failed to deliver (it retries a webhook 8 times over 4 hours, then gives
// up). Per shop, ask the Admin API for the orders updated since the last complete run, page by page
// within the cost limits, and record what the webhooks missed through the webhook record path: as live
// orders, so the planner plans their messages. Idempotent with the webhooks: what is already recorded at
// the same or a newer version is skipped, and recording twice changes nothing.
import type { Reconciliation } from "@prisma/client";
import type { Db } from "~/db.server";
import { log } from "~/log.server";
import { numericId } from "~/history/shopify-shapes";
import { adminQuery, throttleWaitMs, type GraphqlFunction, type ThrottleStatus } from "~/shops/admin-graphql.server";
import { recordDelivery } from "~/webhooks/record.server";
import { MalformedPayloadError } from "~/webhooks/topics";
import { eventDeliveriesOf, orderDeliveryOf } from "./deliveries";
import { RECONCILE_ORDERS_QUERY, RECONCILE_PAGE_SIZE, updatedBetween, type ReconcileOrdersPage, type ReconciledOrder } from "./orders-query";
import { MINUTE_MS } from "~/time";


export interface ReconcileDeps {
  db: Db;
  /** The shop's offline Admin GraphQL client. */
  graphqlFor: (shop: string) => Promise<GraphqlFunction>;
  /** Reread before the last sync time: Shopify's search index trails its writes by a little. */
  overlapMs?: number;
  /** Attempts per page on an HTTP or network error, and the first backoff (doubling). */
  maxAttempts?: number;
  retryBaseMs?: number;
  leaseMs?: number;
  wait?: (ms: number) => Promise<unknown>;
  /** Something was recorded (mail may be due now). */
  onRecorded?: () => void;
}

export type ReconcileOutcome = "baseline" | "complete" | "incomplete" | "busy" | "not_due";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every installed shop with an offline session; `minAgeMs` skips shops synced more recently than that. */
export async function reconcileShops(deps: ReconcileDeps, now: Date, options: { minAgeMs?: number } = {}): Promise<Map<string, ReconcileOutcome>> {
  const installed = await deps.db.shop.findMany({ where: { uninstalledAt: null }, select: { domain: true } });
  const sessions = await deps.db.session.findMany({
    where: { isOnline: false, shop: { in: installed.map((s) => s.domain) } },
    select: { shop: true },
    distinct: ["shop"],
  });
  const outcomes = new Map<string, ReconcileOutcome>();
  for (const { shop } of sessions) {
    try {
      outcomes.set(shop, await reconcileShop(deps, shop, now, options));
    } catch (error) {
      log.warn("reconciliation failed", { shop, error });
      outcomes.set(shop, "incomplete");
    }
  }
  return outcomes;
}

/**
 * One shop's run, or the rest of an interrupted one. The first run only sets the cursor: the history
 * import covers what came before the app (and plans nothing), reconciliation what came after.
 */
export async function reconcileShop(deps: ReconcileDeps, shop: string, now: Date, options: { minAgeMs?: number } = {}): Promise<ReconcileOutcome> {
  const { db } = deps;
  const known = await db.reconciliation.findUnique({ where: { shop } });
  if (!known) {
    try {
      await db.reconciliation.create({ data: { shop, syncedUntil: now, finishedAt: now } });
    } catch (error) {
      // Another worker set the cursor first.
      if ((error as { code?: string }).code === "P2002") return "busy";
      throw error;
    }
    return "baseline";
  }
  if (!known.runUntil && options.minAgeMs && known.syncedUntil.getTime() > now.getTime() - options.minAgeMs) return "not_due";
  const { count } = await db.reconciliation.updateMany({
    where: { shop, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: { leaseUntil: new Date(now.getTime() + (deps.leaseMs ?? 60 * MINUTE_MS)) },
  });
  if (count !== 1) return "busy";
  const run = known.runUntil ? known : await startRun(deps, known, now);
  const counts = { ordersSeen: run.ordersSeen, ordersRecorded: run.ordersRecorded, retries: run.retries };
  let cursor = run.pageCursor;
  try {
    const graphql = await deps.graphqlFor(shop);
    const search = updatedBetween(run.runSince!, run.runUntil!);
    for (;;) {
      const { page, cost } = await fetchPage(deps, graphql, search, cursor, counts);
      for (const order of page.nodes) {
        counts.ordersSeen++;
        if (await recordReconciledOrder(deps, shop, order, now)) counts.ordersRecorded++;
      }
      cursor = page.pageInfo.endCursor ?? cursor;
      if (!page.pageInfo.hasNextPage) break;
      // The cursor after each recorded page: a crash from here on resumes with the next one.
      await db.reconciliation.update({ where: { shop }, data: { pageCursor: cursor, ...counts } });
      if (cost && cost.throttleStatus && cost.throttleStatus.currentlyAvailable < cost.requestedQueryCost) {
        await (deps.wait ?? sleep)(throttleWaitMs(cost.requestedQueryCost, cost.throttleStatus));
      }
    }
  } catch (error) {
    log.warn("reconciliation stopped; the next run resumes from the last recorded page", { shop, ...counts, error });
    await db.reconciliation.update({ where: { shop }, data: { ...counts, lastError: messageOf(error), leaseUntil: null } });
    return "incomplete";
  }
  await db.reconciliation.update({
    where: { shop },
    data: { ...counts, syncedUntil: run.runUntil!, runSince: null, runUntil: null, pageCursor: null, lastError: null, finishedAt: now, leaseUntil: null },
  });
  log.info("reconciliation run", { shop, ...counts });
  if (counts.ordersRecorded > 0) deps.onRecorded?.();
  return "complete";
}

function startRun(deps: ReconcileDeps, row: Reconciliation, now: Date): Promise<Reconciliation> {
  const since = new Date(row.syncedUntil.getTime() - (deps.overlapMs ?? 10 * MINUTE_MS));
  return deps.db.reconciliation.update({
    where: { shop: row.shop },
    data: { runSince: since, runUntil: now, pageCursor: null, ordersSeen: 0, ordersRecorded: 0, retries: 0, lastError: null },
  });
}

interface Cost {
  requestedQueryCost: number;
  throttleStatus: ThrottleStatus | undefined;
}

/** One page; THROTTLED waits for the bucket (adminQuery), HTTP and network errors back off and retry. */
async function fetchPage(deps: ReconcileDeps, graphql: GraphqlFunction, search: string, after: string | null, counts: { retries: number }) {
  const attempts = deps.maxAttempts ?? 4;
  const wait = deps.wait ?? sleep;
  let cost: Cost | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      const data = await adminQuery<ReconcileOrdersPage>(
        graphql,
        RECONCILE_ORDERS_QUERY,
        { first: RECONCILE_PAGE_SIZE, after, query: search },
        { wait, onCost: (c) => (cost = c), onThrottled: () => counts.retries++ },
      );
      return { page: data.orders, cost };
    } catch (error) {
      if (attempt >= attempts) throw error;
      counts.retries++;
      await wait((deps.retryBaseMs ?? 1000) * 2 ** (attempt - 1));
    }
  }
}

/** Records what the webhooks missed of one order; false when they had brought all of it. */
export async function recordReconciledOrder(deps: Pick<ReconcileDeps, "db">, shop: string, order: ReconciledOrder, now: Date): Promise<boolean> {
  const { db } = deps;
  const orderShopifyId = numericId(order.id);
  const fulfillments = order.fulfillments ?? [];
  const events = eventDeliveriesOf(order);
  const [stored, shipments, knownEvents] = await Promise.all([
    db.order.findUnique({ where: { shop_shopifyId: { shop, shopifyId: orderShopifyId } }, select: { shopifyUpdatedAt: true } }),
    db.shipment.findMany({ where: { shop, shopifyId: { in: fulfillments.map((f) => numericId(f.id)) } }, select: { shopifyId: true, shopifyUpdatedAt: true } }),
    db.trackingEvent.findMany({ where: { shop, shopifyId: { in: events.map((e) => String(e.payload.id)) } }, select: { shopifyId: true } }),
  ]);
  const shipmentVersion = new Map(shipments.map((s) => [s.shopifyId, s.shopifyUpdatedAt.getTime()]));
  const eventKnown = new Set(knownEvents.map((e) => e.shopifyId));
  const missingEvents = events.filter((e) => !eventKnown.has(String(e.payload.id)));
  const orderMissed =
    !stored ||
    stored.shopifyUpdatedAt.getTime() < Date.parse(order.updatedAt) ||
    fulfillments.some((f) => (shipmentVersion.get(numericId(f.id)) ?? -Infinity) < Date.parse(f.updatedAt));
  if (!orderMissed && missingEvents.length === 0) return false;
  try {
    for (const event of missingEvents) await recordDelivery({ db }, { shop, ...event }, { now });
    if (orderMissed) await recordDelivery({ db }, { shop, ...orderDeliveryOf(order) }, { now });
  } catch (error) {
    if (!(error instanceof MalformedPayloadError)) throw error;
    // One order Shopify describes oddly must not hold up the shop's others.
    log.warn("reconciliation skipped an order it cannot read", { shop, orderShopifyId, error });
    return false;
  }
  return true;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
