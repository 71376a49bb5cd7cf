import { describe, expect, it } from "vitest";
import { feedbackLinkToken, feedbackLinkUrl, parseFeedbackLinkToken, verifyFeedbackLinkToken } from "./link-token";

const SECRET = "test-secret";
const NOTIFICATION = { shop: "kumo.myshopify.com", id: "ckabc123def456" };

const verifies = (token: string, shop = NOTIFICATION.shop) => {
  const parsed = parseFeedbackLinkToken(token);
  return !!parsed && verifyFeedbackLinkToken(SECRET, shop, parsed);
};

describe("feedback link tokens", () => {
  it("name the message and the rating, nothing personal, and verify", () => {
    const url = feedbackLinkUrl("https://app.example/", SECRET, NOTIFICATION, 4);
    expect(url).toMatch(/^https:\/\/app\.example\/r\/ckabc123def456\.4\.[A-Za-z0-9_-]{22}$/);
    expect(parseFeedbackLinkToken(feedbackLinkToken(SECRET, NOTIFICATION, null))).toMatchObject({ notificationId: NOTIFICATION.id, rating: null });
    for (const rating of [1, 2, 3, 4, 5, null]) expect(verifies(feedbackLinkToken(SECRET, NOTIFICATION, rating))).toBe(true);
  });

  it("refuse a changed rating, another shop, another secret or a garbled token", () => {
    const token = feedbackLinkToken(SECRET, NOTIFICATION, 1);
    expect(verifies(token.replace(".1.", ".5."))).toBe(false);
    expect(verifies(token, "other.myshopify.com")).toBe(false);
    expect(verifies(feedbackLinkToken("other-secret", NOTIFICATION, 1))).toBe(false);
    for (const garbled of ["", "x", `${NOTIFICATION.id}.6.abc`, `${NOTIFICATION.id}.1`, `${NOTIFICATION.id}.1.a.b`, `../${token}`]) {
      expect(parseFeedbackLinkToken(garbled)).toBeNull();
    }
    expect(verifies(token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"))).toBe(false);
  });
});
