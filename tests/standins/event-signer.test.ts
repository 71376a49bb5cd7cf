import { describe, expect, it } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import { EventWebhook } from "@sendgrid/eventwebhook";
import { createEventSigner } from "./event-signer";
import { InvalidWebhookKeyError, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySendGridSignature } from "~/mail/events.server";

const body = JSON.stringify([{ email: "bücher@example.test", event: "delivered", timestamp: 1_790_000_000, sg_message_id: "abc.filter.0" }]) + "\r\n";

describe("event signer", () => {
  const signer = createEventSigner();

  it("signs as SendGrid does: @sendgrid/eventwebhook's own verifier accepts it", () => {
    const { signature, timestamp } = signer.sign(body, "1790000000");
    const webhook = new EventWebhook();
    const key = webhook.convertPublicKeyToECDSA(signer.publicKey);
    expect(webhook.verifySignature(key, body, signature, timestamp)).toBe(true);
    expect(webhook.verifySignature(key, Buffer.from(body), signature, timestamp)).toBe(true);
    expect(webhook.verifySignature(key, body, signature, "1790000001")).toBe(false);
  });

  it("publishes the key as base64 DER (SPKI), the form SendGrid's settings show", () => {
    expect(signer.publicKey).toMatch(/^MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE[A-Za-z0-9+/]+=*$/);
  });

  it("gives SendGrid's two headers", () => {
    const headers = signer.headers(body, "1790000000");
    expect(Object.keys(headers).sort()).toEqual([SIGNATURE_HEADER, TIMESTAMP_HEADER].sort());
    expect(verifySendGridSignature(signer.publicKey, body, headers[SIGNATURE_HEADER], headers[TIMESTAMP_HEADER])).toBe(true);
  });
});

describe("verifySendGridSignature", () => {
  const signer = createEventSigner();
  const { signature, timestamp } = signer.sign(body);

  it("accepts the exact bytes, as a string or a Buffer, with the key as base64 or PEM", () => {
    const pem = `-----BEGIN PUBLIC KEY-----\n${signer.publicKey}\n-----END PUBLIC KEY-----\n`;
    expect(verifySendGridSignature(signer.publicKey, body, signature, timestamp)).toBe(true);
    expect(verifySendGridSignature(signer.publicKey, Buffer.from(body, "utf8"), signature, timestamp)).toBe(true);
    expect(verifySendGridSignature(pem, body, signature, timestamp)).toBe(true);
    expect(verifySendGridSignature(pem.replace(/\n/g, "\\n"), body, signature, timestamp)).toBe(true);
  });

  it("refuses any change to the body, the timestamp or the signature, and another key", () => {
    expect(verifySendGridSignature(signer.publicKey, body.trimEnd(), signature, timestamp)).toBe(false);
    expect(verifySendGridSignature(signer.publicKey, body.replace("delivered", "bounce"), signature, timestamp)).toBe(false);
    expect(verifySendGridSignature(signer.publicKey, body, signature, String(Number(timestamp) + 1))).toBe(false);
    expect(verifySendGridSignature(createEventSigner().publicKey, body, signature, timestamp)).toBe(false);
  });

  it("refuses missing and malformed signatures without throwing", () => {
    expect(verifySendGridSignature(signer.publicKey, body, null, timestamp)).toBe(false);
    expect(verifySendGridSignature(signer.publicKey, body, signature, "")).toBe(false);
    expect(verifySendGridSignature(signer.publicKey, body, "not a signature", timestamp)).toBe(false);
    expect(verifySendGridSignature(signer.publicKey, body, Buffer.from("garbage").toString("base64"), timestamp)).toBe(false);
  });

  it("reports an unusable key as a set-up problem, not a bad signature", () => {
    expect(() => verifySendGridSignature("not-a-key", body, signature, timestamp)).toThrow(InvalidWebhookKeyError);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "der" }).toString("base64");
    expect(() => verifySendGridSignature(rsa, body, signature, timestamp)).toThrow(InvalidWebhookKeyError);
  });
});
