import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { decryptSecret, encryptLegacySecret, encryptSecret, parseEncryptionKey, sealedWithOldKey, secretKeys } from "./secrets.server";

const KEY = randomBytes(32).toString("base64");
const OTHER = randomBytes(32).toString("hex");
const keys = secretKeys({ ENCRYPTION_KEY: KEY, SHOPIFY_API_SECRET: "app-secret" });

describe("shop secrets", () => {
  it("round-trips and never stores the plain text", () => {
    const sealed = encryptSecret("SG.abc.def", keys);
    expect(sealed).not.toContain("SG.abc");
    expect(decryptSecret(sealed, keys)).toBe("SG.abc.def");
    expect(encryptSecret("SG.abc.def", keys)).not.toBe(sealed);
  });
  it("refuses another key and tampering", () => {
    const sealed = encryptSecret("SG.abc.def", keys);
    expect(decryptSecret(sealed, secretKeys({ ENCRYPTION_KEY: OTHER }))).toBeNull();
    const parts = sealed.split(".");
    parts[4] = Buffer.from("SG.xyz.def").toString("base64url");
    expect(decryptSecret(parts.join("."), keys)).toBeNull();
    expect(decryptSecret("garbage", keys)).toBeNull();
  });
  it("stays readable when SHOPIFY_API_SECRET is rotated", () => {
    const sealed = encryptSecret("SG.abc.def", keys);
    expect(decryptSecret(sealed, secretKeys({ ENCRYPTION_KEY: KEY, SHOPIFY_API_SECRET: "rotated-app-secret" }))).toBe("SG.abc.def");
  });
  it("reads values of a previous key, and says they need re-encrypting", () => {
    const old = encryptSecret("SG.abc.def", secretKeys({ ENCRYPTION_KEY: OTHER }));
    const rotated = secretKeys({ ENCRYPTION_KEY: KEY, ENCRYPTION_KEY_PREVIOUS: OTHER });
    expect(decryptSecret(old, rotated)).toBe("SG.abc.def");
    expect(sealedWithOldKey(old, rotated)).toBe(true);
    expect(sealedWithOldKey(encryptSecret("SG.abc.def", rotated), rotated)).toBe(false);
    expect(decryptSecret(old, keys)).toBeNull();
  });
  it("reads values sealed with the SHOPIFY_API_SECRET-derived key of older versions, with that secret only", () => {
    const legacy = encryptLegacySecret("SG.abc.def", "app-secret");
    expect(decryptSecret(legacy, keys)).toBe("SG.abc.def");
    expect(sealedWithOldKey(legacy, keys)).toBe(true);
    expect(decryptSecret(legacy, secretKeys({ ENCRYPTION_KEY: KEY, SHOPIFY_API_SECRET: "rotated-app-secret" }))).toBeNull();
  });
  it("takes 32 bytes as base64 or hex, nothing else", () => {
    expect(parseEncryptionKey(KEY)?.length).toBe(32);
    expect(parseEncryptionKey(OTHER)?.length).toBe(32);
    expect(parseEncryptionKey(randomBytes(32).toString("base64url"))?.length).toBe(32);
    for (const bad of ["", "secret", randomBytes(16).toString("base64"), randomBytes(31).toString("hex"), randomBytes(48).toString("base64")]) {
      expect(parseEncryptionKey(bad), bad).toBeNull();
    }
  });
});
