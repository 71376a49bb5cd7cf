import { describe, expect, it } from "vitest";
import { firstRunChecklist, sendingBlockers, type HomeShop } from "./home";

const shop = (overrides: Partial<HomeShop> = {}): HomeShop => ({
  senderEmail: null,
  senderVerifiedAt: null,
  sendgridApiKeyEncrypted: null,
  sendingBlockedReason: null,
  templatesReviewedAt: null,
  timingReviewedAt: null,
  ...overrides,
});
const context = { appKeyConfigured: true, buyerEmailsWithheld: false };

describe("sendingBlockers", () => {
  it("is empty for a shop sending through the app's key and sender", () => {
    expect(sendingBlockers(shop(), context)).toEqual([]);
  });

  it("blocks without any SendGrid key", () => {
    expect(sendingBlockers(shop(), { ...context, appKeyConfigured: false }).map((b) => b.id)).toEqual(["no_api_key"]);
  });

  it("blocks an own SendGrid key until SendGrid has accepted the sender; an own address alone only waits", () => {
    // Through the app's account, mail goes from the app's default address until the shop's is verified.
    expect(sendingBlockers(shop({ senderEmail: "hi@kumo.example" }), context)).toEqual([]);
    expect(sendingBlockers(shop({ sendgridApiKeyEncrypted: "v1.x.y.z" }), context).map((b) => b.id)).toEqual(["sender_unverified"]);
    expect(sendingBlockers(shop({ senderEmail: "hi@kumo.example", senderVerifiedAt: new Date() }), context)).toEqual([]);
  });

  it("blocks when Shopify withholds buyers' emails (protected customer data)", () => {
    expect(sendingBlockers(shop(), { ...context, buyerEmailsWithheld: true }).map((b) => b.id)).toEqual(["protected_customer_data"]);
  });

  it("passes on the reason the sender recorded", () => {
    const [blocker] = sendingBlockers(shop({ sendingBlockedReason: "SendGrid refused the sender: 403" }), context);
    expect(blocker).toMatchObject({ id: "provider", action: "SendGrid refused the sender: 403" });
  });
});

describe("firstRunChecklist", () => {
  it("ticks what the shop has done", () => {
    const items = firstRunChecklist(shop({ templatesReviewedAt: "2026-11-01T00:00:00.000Z" }));
    expect(items.map((i) => [i.id, i.done])).toEqual([["sender", false], ["templates", true], ["timing", false]]);
  });
});
