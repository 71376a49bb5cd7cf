import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listUnsubscribeHeaders, unsubscribeToken, unsubscribeUrl, verifyUnsubscribeToken } from "./unsubscribe";
import { startCaptureServer, type CaptureServer } from "#tests/standins/capture-server";
import { createSendGridMailer } from "./sendgrid.server";

const SECRET = "unsubscribe-test-secret";
const SHOP = "alpha.myshopify.com";

describe("unsubscribe tokens", () => {
  it("carry the shop and the lowercased address and verify with the same secret", () => {
    const token = unsubscribeToken(SECRET, SHOP, " Buyer@Example.TEST ");
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyUnsubscribeToken(SECRET, token)).toEqual({ shop: SHOP, email: "buyer@example.test" });
    expect(unsubscribeToken(SECRET, SHOP, "buyer@example.test")).toBe(token);
  });

  it("refuse another secret, a changed shop or address, a changed MAC and junk", () => {
    const token = unsubscribeToken(SECRET, SHOP, "buyer@example.test");
    const [payload, mac] = token.split(".");
    const forgedPayload = Buffer.from(JSON.stringify({ s: "bravo.myshopify.com", e: "buyer@example.test" })).toString("base64url");
    const flipped = mac.slice(0, -2) + (mac.at(-2) === "A" ? "B" : "A") + mac.at(-1);
    for (const bad of [
      `${forgedPayload}.${mac}`,
      `${payload}.${flipped}`,
      `${payload}.${mac}x`,
      `${payload}.${mac}.${mac}`,
      payload,
      "",
      "....",
      `${Buffer.from("not json").toString("base64url")}.${mac}`,
    ]) {
      expect(verifyUnsubscribeToken(SECRET, bad)).toBeNull();
    }
    expect(verifyUnsubscribeToken("another-secret", token)).toBeNull();
  });

  it("accept only the canonical spelling of the MAC", () => {
    const token = unsubscribeToken(SECRET, SHOP, "buyer@example.test");
    // The last base64url character of a 32-byte MAC carries 2 padding bits: a different one decodes alike.
    const last = token.at(-1)!;
    expect("AEIMQUYcgkosw048").toContain(last);
    const sibling = token.slice(0, -1) + String.fromCharCode(last.charCodeAt(0) + 1);
    expect(Buffer.from(sibling.split(".")[1], "base64url")).toEqual(Buffer.from(token.split(".")[1], "base64url"));
    expect(verifyUnsubscribeToken(SECRET, sibling)).toBeNull();
  });

  it("build the link under the app URL", () => {
    const url = unsubscribeUrl("https://parcelwise.example/", SECRET, SHOP, "buyer@example.test");
    expect(url).toBe(`https://parcelwise.example/unsubscribe/${unsubscribeToken(SECRET, SHOP, "buyer@example.test")}`);
  });
});

describe("List-Unsubscribe headers", () => {
  let capture: CaptureServer;
  beforeAll(async () => {
    capture = await startCaptureServer({ apiKey: "SG.unsubscribe-test" });
  });
  afterAll(async () => {
    await capture.close();
  });

  it("are the RFC 8058 pair", () => {
    expect(listUnsubscribeHeaders("https://a.example/unsubscribe/t")).toEqual({
      "List-Unsubscribe": "<https://a.example/unsubscribe/t>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });

  it("pass the mailer's header checks and reach SendGrid", async () => {
    const mailer = createSendGridMailer({ apiKey: "SG.unsubscribe-test", baseUrl: capture.url });
    const headers = listUnsubscribeHeaders(unsubscribeUrl("https://parcelwise.example", SECRET, SHOP, "buyer@example.test"));
    const result = await mailer.send({
      to: "buyer@example.test",
      from: { email: "shop@example.test" },
      subject: "Your parcel",
      html: "<p>hi</p>",
      text: "hi",
      categories: ["parcelwise"],
      customArgs: {},
      headers,
    });
    expect(result.ok).toBe(true);
    expect(capture.mails.at(-1)?.headers).toEqual(headers);
  });
});
