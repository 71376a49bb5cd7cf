import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listUnsubscribeHeaders, unsubscribeToken, unsubscribeUrl, verifyLegacyUnsubscribeToken } from "./unsubscribe";
import { startCaptureServer, type CaptureServer } from "#tests/standins/capture-server";
import { createSendGridMailer } from "./sendgrid.server";

const SECRET = "unsubscribe-test-secret";
const SHOP = "alpha.myshopify.com";

describe("unsubscribe tokens", () => {
  const notification = { shop: SHOP, id: "cmabc123def456ghi789jkl0" };

  it("are the notification id and a MAC: no address, in any decoding", () => {
    const token = unsubscribeToken(SECRET, notification);
    expect(token).toMatch(/^cmabc123def456ghi789jkl0\.[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(token, "base64url").toString("latin1")).not.toContain("@");
    expect(unsubscribeToken(SECRET, { ...notification, shop: "bravo.myshopify.com" })).not.toBe(token);
  });

  it("verify a legacy link (address in the token) with the same secret only, in its one spelling", () => {
    const mailed =
      "eyJzIjoiYWxwaGEubXlzaG9waWZ5LmNvbSIsImUiOiJidXllckBleGFtcGxlLnRlc3QifQ.bk9aPkmDOxObBXuMGpCn1WpueDsqPmTnSk9OEw9244g";
    expect(verifyLegacyUnsubscribeToken("app-secret", mailed)).toEqual({ shop: SHOP, email: "buyer@example.test" });
    expect(verifyLegacyUnsubscribeToken("another-secret", mailed)).toBeNull();
    const sibling = mailed.slice(0, -1) + String.fromCharCode(mailed.charCodeAt(mailed.length - 1) + 1);
    expect(Buffer.from(sibling.split(".")[1], "base64url")).toEqual(Buffer.from(mailed.split(".")[1], "base64url"));
    expect(verifyLegacyUnsubscribeToken("app-secret", sibling)).toBeNull();
    for (const bad of ["", "....", mailed.split(".")[0], `${mailed}.x`]) expect(verifyLegacyUnsubscribeToken("app-secret", bad)).toBeNull();
  });

  it("build the link under the app URL", () => {
    const url = unsubscribeUrl("https://parcelwise.example/", SECRET, notification);
    expect(url).toBe(`https://parcelwise.example/unsubscribe/${unsubscribeToken(SECRET, notification)}`);
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
    const headers = listUnsubscribeHeaders(unsubscribeUrl("https://parcelwise.example", SECRET, { shop: SHOP, id: "cmabc123def456ghi789jkl0" }));
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
