import { describe, expect, it } from "vitest";
import { describeLearned, effectiveFigure, explainTiming, TIMING_DEFAULTS, type TimingSettings } from "./settings";
import { parseApiKeyForm, parseSenderForm, parseTimingForm, parseTransitForm, parseWebhookKeyForm, withCarrierOverrides } from "./settings-form";
import { createEventSigner } from "#tests/standins/event-signer";
import { isReadableWebhookKey } from "~/mail/events.server";

const form = (overrides: Record<string, string | undefined> = {}) => {
  const base: Record<string, string | undefined> = {
    handlingEnabled: "on",
    handlingDelayMinutes: "10",
    handlingHours: "48",
    onlineTrackingDays: "3",
    shippingEnabled: "on",
    feedbackEnabled: "on",
    feedbackDelayDays: "7",
    feedbackFallbackDays: "5",
    delayEnabled: "on",
    delayGraceDays: "3",
    silenceDays: "7",
    estimateCoveragePercent: "90",
    atRiskRule: "learned",
  };
  return Object.fromEntries(Object.entries({ ...base, ...overrides }).filter(([, value]) => value !== undefined));
};

describe("explainTiming", () => {
  it("says what the buyer receives and when, in the buyer's daytime", () => {
    const feedback = explainTiming({ ...TIMING_DEFAULTS }).find((e) => e.kind === "feedback_request")!;
    expect(feedback.text).toContain("7 days after the carrier reports delivery, between 09:00 and 20:00 in the buyer's time");
    expect(feedback.text).toContain("5 days after the end of the estimated delivery window");
  });

  it("follows the settings, in the singular where it should", () => {
    const lines = explainTiming({ ...TIMING_DEFAULTS, feedbackDelayDays: 1, handlingDelayMinutes: 0, delayGraceDays: 2, silenceDays: 10 });
    expect(lines.find((e) => e.kind === "feedback_request")!.text).toMatch(/^1 day after/);
    expect(lines.find((e) => e.kind === "handling_commitment")!.text).toMatch(/^As soon as the order is paid/);
    expect(lines.find((e) => e.kind === "delay_notice")!.text).toContain("2 days past the end of its estimated delivery window");
    expect(lines.find((e) => e.kind === "delay_notice")!.text).toContain("nothing for 10 days");
  });

  it("says when a message is switched off", () => {
    const lines = explainTiming({ ...TIMING_DEFAULTS, feedbackEnabled: false, handlingEnabled: false });
    expect(lines.find((e) => e.kind === "feedback_request")).toMatchObject({ enabled: false, text: expect.stringMatching(/^Not sent/) });
    expect(lines.find((e) => e.kind === "handling_commitment")!.enabled).toBe(false);
  });

  it("says nothing is sent when delay notices are off, and that the shipment still shows as at risk", () => {
    const delay = explainTiming({ ...TIMING_DEFAULTS, delayEnabled: false }).find((e) => e.kind === "delay_notice")!;
    expect(delay).toMatchObject({ enabled: false, text: expect.stringMatching(/^Not sent/) });
    expect(delay.text).toContain("still shows as at risk");
  });
});

describe("parseTimingForm", () => {
  it("reads a complete form; an absent checkbox is off", () => {
    const parsed = parseTimingForm(form({ feedbackEnabled: undefined, feedbackDelayDays: "14" }));
    expect(parsed).toEqual({ ok: true, value: { ...TIMING_DEFAULTS, feedbackEnabled: false, feedbackDelayDays: 14 } });
    expect(parseTimingForm(form({ delayEnabled: undefined }))).toEqual({ ok: true, value: { ...TIMING_DEFAULTS, delayEnabled: false } });
  });

  it("names every wrong field in the merchant's words", () => {
    const parsed = parseTimingForm(form({ feedbackDelayDays: "-1", silenceDays: "2.5", handlingHours: "", delayGraceDays: "soon" }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.feedbackDelayDays).toBe("Days after delivery must be between 0 and 60 days");
    expect(parsed.errors.silenceDays).toBe("Days without carrier news must be a whole number of days");
    expect(parsed.errors.handlingHours).toMatch(/Handling time/);
    expect(parsed.errors.delayGraceDays).toBe("Grace days must be a number");
    expect(Object.keys(parsed.errors).sort()).toEqual(["delayGraceDays", "feedbackDelayDays", "handlingHours", "silenceDays"]);
  });
});

describe("the feedback rules' settings", () => {
  it("reads the choice after a delay and the days between two requests to one buyer; a form without them keeps the defaults", () => {
    expect(parseTimingForm(form({ feedbackAfterDelay: "skip", feedbackBuyerGapDays: "45" }))).toEqual({ ok: true, value: { ...TIMING_DEFAULTS, feedbackAfterDelay: "skip", feedbackBuyerGapDays: 45 } });
    expect(parseTimingForm(form())).toEqual({ ok: true, value: { ...TIMING_DEFAULTS, feedbackAfterDelay: "reword", feedbackBuyerGapDays: 30 } });
  });

  it("refuses an unknown choice and a gap out of range, in the merchant's words", () => {
    const parsed = parseTimingForm(form({ feedbackAfterDelay: "ignore", feedbackBuyerGapDays: "400" }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.feedbackAfterDelay).toBe("Choose what happens to the feedback request after a delay");
    expect(parsed.errors.feedbackBuyerGapDays).toBe("Days between two requests to one buyer must be between 0 and 365 days");
  });

  it("explains them with the feedback request", () => {
    const reword = explainTiming({ ...TIMING_DEFAULTS }).find((e) => e.kind === "feedback_request")!.text;
    expect(reword).toContain("at most one per buyer in 30 days");
    expect(reword).toContain("thanks the buyer for their patience first");
    expect(reword).toContain("a refund or an open return");
    const skip = explainTiming({ ...TIMING_DEFAULTS, feedbackAfterDelay: "skip", feedbackBuyerGapDays: 1 }).find((e) => e.kind === "feedback_request")!.text;
    expect(skip).toContain("at most one per buyer in 1 day.");
    expect(skip).toContain("Not sent after a delay notice");
  });
});

describe("parseSenderForm", () => {
  it("trims, lower-cases addresses and stores empty fields as null", () => {
    expect(parseSenderForm({ senderName: "  Kumo Ceramics ", senderEmail: "Hello@Kumo.example", replyToEmail: "", reviewUrl: "" })).toEqual({
      ok: true,
      value: { senderName: "Kumo Ceramics", senderEmail: "hello@kumo.example", replyToEmail: null, reviewUrl: null },
    });
  });

  it("refuses a bad address, a header-breaking name and a non-https review link", () => {
    const parsed = parseSenderForm({ senderName: "Kumo\r\nBcc: x@y.z", senderEmail: "not-an-email", replyToEmail: "a@b", reviewUrl: "http://kumo.example/reviews" });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual({
      senderName: "Sender name must be one line",
      senderEmail: "Sender address must be an email address, like support@yourstore.com",
      replyToEmail: "Reply-to address must be an email address, like support@yourstore.com",
      reviewUrl: "The review link must start with https://",
    });
  });
});

describe("parseApiKeyForm", () => {
  const key = "SG.abcdefghij_1234.ABCDEFGHIJKLmnop-5678";
  it("accepts a SendGrid-shaped key", () => {
    expect(parseApiKeyForm({ sendgridApiKey: ` ${key} ` })).toEqual({ ok: true, value: key });
  });
  it("never repeats the submitted value in its error", () => {
    const parsed = parseApiKeyForm({ sendgridApiKey: "my-secret-not-a-key" });
    expect(parsed.ok).toBe(false);
    expect(JSON.stringify(parsed)).not.toContain("my-secret-not-a-key");
  });
});

describe("parseWebhookKeyForm", () => {
  const { publicKey } = createEventSigner();
  it("accepts SendGrid's verification key, trimmed; an empty field removes it", () => {
    expect(parseWebhookKeyForm({ sendgridWebhookPublicKey: ` ${publicKey}\n` }, isReadableWebhookKey)).toEqual({ ok: true, value: publicKey });
    expect(parseWebhookKeyForm({ sendgridWebhookPublicKey: "  " }, isReadableWebhookKey)).toEqual({ ok: true, value: null });
    expect(parseWebhookKeyForm({}, isReadableWebhookKey)).toEqual({ ok: true, value: null });
  });
  it("refuses what does not parse as a key, next to the field", () => {
    for (const wrong of ["SG.abcdefghij_1234.ABCDEFGHIJKLmnop-5678", publicKey.slice(0, 40), "x".repeat(2000)]) {
      const parsed = parseWebhookKeyForm({ sendgridWebhookPublicKey: wrong }, isReadableWebhookKey);
      expect(parsed).toEqual({ ok: false, errors: { sendgridWebhookPublicKey: expect.stringContaining("not a verification key") } });
    }
  });
});

describe("parseTransitForm", () => {
  it("keeps the regions given and leaves empty ones to the carrier's typical days", () => {
    expect(parseTransitForm("dhl_express", { "europe.min": "2", "europe.max": "5", "asia.min": "", "asia.max": "" })).toEqual({ ok: true, value: { europe: [2, 5] } });
  });

  it("says what is wrong next to the field", () => {
    const parsed = parseTransitForm("dhl_express", { "europe.min": "6", "europe.max": "5", "asia.min": "3", "oceania.min": "x", "oceania.max": "4" });
    expect(parsed).toEqual({
      ok: false,
      errors: {
        "europe.max": "The most days cannot be fewer than the fewest days",
        "asia.max": "Give both the fewest and the most days, or leave both empty",
        "oceania.min": "Use a whole number of business days from 0 to 120",
      },
    });
  });

  it("refuses an unknown carrier", () => {
    expect(parseTransitForm("pigeon", {})).toEqual({ ok: false, errors: { carrier: "Choose a carrier from the list" } });
  });

  it("replaces one carrier's days and drops a carrier left without any", () => {
    const all = { dhl_express: { europe: [2, 5] as [number, number] }, ups: { asia: [3, 6] as [number, number] } };
    expect(withCarrierOverrides(all, "ups", {})).toEqual({ dhl_express: { europe: [2, 5] } });
    expect(withCarrierOverrides(all, "dhl_express", { asia: [1, 2] })).toEqual({ dhl_express: { asia: [1, 2] }, ups: { asia: [3, 6] } });
  });
});

describe("coverage, the at-risk rule and the learned commitment", () => {
  it("reads the coverage in percent and the rule, and refuses either out of range", () => {
    expect(parseTimingForm(form({ estimateCoveragePercent: "80", atRiskRule: "fixed", handlingHoursPinned: "on" }))).toEqual({
      ok: true,
      value: { ...TIMING_DEFAULTS, estimateCoveragePercent: 80, atRiskRule: "fixed", handlingHoursPinned: true },
    });
    const parsed = parseTimingForm(form({ estimateCoveragePercent: "100", atRiskRule: "sometimes" }));
    expect(parsed).toEqual({
      ok: false,
      errors: { estimateCoveragePercent: "Parcels inside the window must be between 50 and 99 percent", atRiskRule: "Choose when a parcel counts as late" },
    });
  });

  it("says how wide the window is and which rule makes a parcel late", () => {
    const lines = (settings: Partial<TimingSettings>) => explainTiming({ ...TIMING_DEFAULTS, ...settings });
    expect(lines({}).find((e) => e.kind === "shipping_confirmation")!.text).toContain("9 in 10 parcels of its lane arrive inside it");
    expect(lines({ estimateCoveragePercent: 85 }).find((e) => e.kind === "shipping_confirmation")!.text).toContain("85 in 100 parcels");
    expect(lines({}).find((e) => e.kind === "delay_notice")!.text).toMatch(/^When a parcel is past its lane's slow tail/);
    expect(lines({ atRiskRule: "fixed" }).find((e) => e.kind === "delay_notice")!.text).toMatch(/^When a parcel is 3 days past the end of its estimated delivery window/);
  });

  it("names the learned figure and its evidence, or what is used until there is one", () => {
    expect(describeLearned("handling", 48, false, { value: 31, evidence: 412 })).toBe("Learned: 31h from 412 orders (9 in 10 took at most that).");
    expect(describeLearned("handling", 48, false, null)).toBe("Not enough orders yet: using 48h.");
    expect(describeLearned("online", 3, true, { value: 1, evidence: 40 })).toBe("Pinned: buyers are told 3 days; learned: 1 day from 40 parcels (9 in 10 took at most that).");
    expect(effectiveFigure(48, false, { value: 31, evidence: 412 })).toBe(31);
    expect(effectiveFigure(48, true, { value: 31, evidence: 412 })).toBe(48);
    expect(effectiveFigure(48, false, null)).toBe(48);
  });
});
