import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sign, verify } from "./signed-token";

const SECRET = "app-secret";
const PURPOSE = "parcelwise:test:v1:";

describe("signed tokens", () => {
  it("are the base64url HMAC-SHA256 of purpose and message, cut to the length asked", () => {
    const mac = createHmac("sha256", SECRET).update(`${PURPOSE}hello`, "utf8").digest();
    expect(sign(SECRET, PURPOSE, "hello")).toBe(mac.toString("base64url"));
    expect(sign(SECRET, PURPOSE, "hello", 16)).toBe(mac.subarray(0, 16).toString("base64url"));
  });

  it("verify for the same secret, purpose, message and length only", () => {
    const signature = sign(SECRET, PURPOSE, "hello", 16);
    expect(verify(SECRET, PURPOSE, "hello", signature, 16)).toBe(true);
    expect(verify("other-secret", PURPOSE, "hello", signature, 16)).toBe(false);
    expect(verify(SECRET, "parcelwise:other:v1:", "hello", signature, 16)).toBe(false);
    expect(verify(SECRET, PURPOSE, "hellO", signature, 16)).toBe(false);
    expect(verify(SECRET, PURPOSE, "hello", signature)).toBe(false);
    expect(verify(SECRET, PURPOSE, "hello", "")).toBe(false);
    expect(verify(SECRET, PURPOSE, "hello", "not a signature!")).toBe(false);
  });

  it("refuse a sibling spelling that decodes to the same bytes", () => {
    const signature = sign(SECRET, PURPOSE, "hello", 16);
    // 16 bytes are 22 base64url characters; the last one carries 4 padding bits.
    const last = signature.at(-1)!;
    const sibling = signature.slice(0, -1) + String.fromCharCode(last.charCodeAt(0) + 1);
    expect(Buffer.from(sibling, "base64url")).toEqual(Buffer.from(signature, "base64url"));
    expect(verify(SECRET, PURPOSE, "hello", sibling, 16)).toBe(false);
  });
});
