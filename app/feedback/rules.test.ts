import { describe, expect, it } from "vitest";
import { DAY_MS } from "~/time";
import { arrivedLate, buyerConflict, checkBeforeSending, planVerdict, wasDelayed, type BuyerRequest, type FeedbackFacts } from "./rules";

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const at = (iso: string) => new Date(iso);

const facts = (overrides: Partial<FeedbackFacts> = {}): FeedbackFacts => ({
  delayNoticeSent: false,
  parcels: [{ deliveredAt: at("2026-12-03T15:00:00Z"), promisedDeliveryTo: day("2026-12-04") }],
  refundedAt: null,
  returnStatus: null,
  unfulfilledQuantity: 0,
  buyerRequests: [],
  ...overrides,
});

const request = (overrides: Partial<BuyerRequest>): BuyerRequest => ({
  orderShopifyId: "2001",
  orderName: "#2001",
  status: "scheduled",
  scheduledFor: at("2026-12-10T10:00:00Z"),
  sentAt: null,
  ...overrides,
});

const own = { orderShopifyId: "1001", due: at("2026-12-10T10:00:00Z") };

describe("after a delay", () => {
  it("a parcel is late from the day after the printed window's last day, not on it", () => {
    expect(arrivedLate({ deliveredAt: at("2026-12-04T23:59:00Z"), promisedDeliveryTo: day("2026-12-04") })).toBe(false);
    expect(arrivedLate({ deliveredAt: at("2026-12-05T00:00:00Z"), promisedDeliveryTo: day("2026-12-04") })).toBe(true);
    // No window was printed (no shipping confirmation went out), or not delivered yet: never late.
    expect(arrivedLate({ deliveredAt: at("2026-12-20T00:00:00Z"), promisedDeliveryTo: null })).toBe(false);
    expect(arrivedLate({ deliveredAt: null, promisedDeliveryTo: day("2026-12-04") })).toBe(false);
  });

  it("counts a delay notice, or any one parcel of several arriving late", () => {
    expect(wasDelayed(facts())).toBe(false);
    expect(wasDelayed(facts({ delayNoticeSent: true }))).toBe(true);
    expect(wasDelayed(facts({ parcels: [facts().parcels[0]!, { deliveredAt: at("2026-12-09T10:00:00Z"), promisedDeliveryTo: day("2026-12-06") }] }))).toBe(true);
    expect(wasDelayed(undefined)).toBe(false);
  });

  it("rewords by default and skips when the merchant chose skip", () => {
    expect(planVerdict(facts({ delayNoticeSent: true }), {}, own)).toEqual({ send: true, afterDelay: true });
    expect(planVerdict(facts({ delayNoticeSent: true }), { feedbackAfterDelay: "reword" }, own)).toEqual({ send: true, afterDelay: true });
    expect(planVerdict(facts({ delayNoticeSent: true }), { feedbackAfterDelay: "skip" }, own)).toMatchObject({ send: false, reason: expect.stringContaining("late") });
    expect(planVerdict(facts(), { feedbackAfterDelay: "skip" }, own)).toEqual({ send: true, afterDelay: false });
  });
});

describe("refunds and returns", () => {
  it("never plans a request for an order with a refund of a line", () => {
    expect(planVerdict(facts({ refundedAt: at("2026-12-05T00:00:00Z") }), {}, own)).toEqual({ send: false, reason: "not sent: the order has a refund" });
  });

  it("never plans one while a return is requested or in progress; a declined, cancelled or closed return does not stop it", () => {
    for (const status of ["RETURN_REQUESTED", "IN_PROGRESS"]) {
      expect(planVerdict(facts({ returnStatus: status }), {}, own)).toEqual({ send: false, reason: "not sent: the order has an open return" });
    }
    for (const status of ["NO_RETURN", "RETURNED", null]) expect(planVerdict(facts({ returnStatus: status }), {}, own).send).toBe(true);
  });

  it("stops a request at send time too", () => {
    expect(checkBeforeSending(facts({ refundedAt: at("2026-12-05T00:00:00Z") }), {}, { orderShopifyId: "1001", now: own.due })).toBe("not sent: the order has a refund");
    expect(checkBeforeSending(facts({ returnStatus: "RETURN_REQUESTED" }), {}, { orderShopifyId: "1001", now: own.due })).toBe("not sent: the order has an open return");
    expect(checkBeforeSending(facts(), {}, { orderShopifyId: "1001", now: own.due })).toBeNull();
  });
});

describe("the last parcel", () => {
  it("waits while line items are still to be fulfilled", () => {
    expect(planVerdict(facts({ unfulfilledQuantity: 2 }), {}, own)).toMatchObject({ send: false, reason: expect.stringContaining("not fulfilled") });
    expect(planVerdict(facts({ unfulfilledQuantity: null }), {}, own).send).toBe(true);
  });
});

describe("once per buyer within the shop's days", () => {
  it("at plan time: another order's request sent within the days, on either side, rules it out", () => {
    const sent = request({ status: "sent", scheduledFor: at("2026-11-20T10:00:00Z"), sentAt: at("2026-11-20T10:00:05Z") });
    expect(planVerdict(facts({ buyerRequests: [sent] }), {}, own)).toEqual({ send: false, reason: "not sent: the buyer had a feedback request for order #2001 within 30 days" });
    // 31 days before: long enough ago.
    const longAgo = request({ status: "delivered", sentAt: new Date(own.due.getTime() - 31 * DAY_MS) });
    expect(planVerdict(facts({ buyerRequests: [longAgo] }), {}, own).send).toBe(true);
    // The shop's own number of days.
    expect(planVerdict(facts({ buyerRequests: [longAgo] }), { feedbackBuyerGapDays: 45 }, own).send).toBe(false);
    expect(planVerdict(facts({ buyerRequests: [sent] }), { feedbackBuyerGapDays: 0 }, own).send).toBe(true);
  });

  it("at plan time: one still scheduled earlier rules it out; one scheduled later does not (this one goes first)", () => {
    const earlier = request({ scheduledFor: at("2026-12-08T10:00:00Z") });
    const later = request({ scheduledFor: at("2026-12-12T10:00:00Z") });
    expect(planVerdict(facts({ buyerRequests: [earlier] }), {}, own).send).toBe(false);
    expect(planVerdict(facts({ buyerRequests: [later] }), {}, own).send).toBe(true);
    // Due at the same moment: the order with the smaller id goes, the other waits for nothing.
    const same = request({ scheduledFor: own.due });
    expect(planVerdict(facts({ buyerRequests: [same] }), {}, own).send).toBe(true);
    expect(planVerdict(facts({ buyerRequests: [{ ...same, orderShopifyId: "0999" }] }), {}, own).send).toBe(false);
  });

  it("a request that never reached the buyer (bounced, dropped, failed, cancelled) is not in the way", () => {
    for (const status of ["bounced", "dropped", "failed", "cancelled"]) {
      expect(planVerdict(facts({ buyerRequests: [request({ status, sentAt: at("2026-12-09T10:00:00Z") })] }), {}, own).send).toBe(true);
    }
  });

  it("at send time: two orders due the same week, only one goes", () => {
    const now = at("2026-12-12T10:00:00Z");
    // The other went out on Thursday: this one is cancelled with the reason.
    const sent = request({ status: "sent", sentAt: at("2026-12-10T10:00:00Z") });
    expect(checkBeforeSending(facts({ buyerRequests: [sent] }), {}, { orderShopifyId: "1001", now })).toBe("not sent: the buyer had a feedback request for order #2001 within 30 days");
    // The other is still waiting for later: this one goes (that one will be stopped when its turn comes).
    expect(checkBeforeSending(facts({ buyerRequests: [request({ scheduledFor: at("2026-12-14T10:00:00Z") })] }), {}, { orderShopifyId: "1001", now })).toBeNull();
  });

  it("at send time: of two claimed together, the one due first goes", () => {
    const now = at("2026-12-12T10:00:00Z");
    const a = { orderShopifyId: "1001", scheduledFor: at("2026-12-11T09:00:00Z") };
    const b = { orderShopifyId: "2001", scheduledFor: at("2026-12-11T18:00:00Z") };
    const sending = (r: typeof a) => request({ ...r, orderName: `#${r.orderShopifyId}`, status: "sending" });
    expect(checkBeforeSending(facts({ buyerRequests: [sending(b)] }), {}, { ...a, now })).toBeNull();
    expect(checkBeforeSending(facts({ buyerRequests: [sending(a)] }), {}, { ...b, now })).toContain("order #1001");
  });

  it("never counts the order's own request", () => {
    const mine = request({ orderShopifyId: "1001", status: "sent", sentAt: at("2026-12-09T10:00:00Z") });
    expect(buyerConflict(facts({ buyerRequests: [mine] }), {}, { orderShopifyId: "1001", at: own.due }, true)).toBeNull();
  });
});
