import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "./secrets.server";

describe("shop secrets", () => {
  it("round-trips and never stores the plain text", () => {
    const sealed = encryptSecret("SG.abc.def", "app-secret");
    expect(sealed).not.toContain("SG.abc");
    expect(decryptSecret(sealed, "app-secret")).toBe("SG.abc.def");
    expect(encryptSecret("SG.abc.def", "app-secret")).not.toBe(sealed);
  });
  it("refuses another app secret and tampering", () => {
    const sealed = encryptSecret("SG.abc.def", "app-secret");
    expect(decryptSecret(sealed, "other-secret")).toBeNull();
    const parts = sealed.split(".");
    parts[3] = Buffer.from("SG.xyz.def").toString("base64url");
    expect(decryptSecret(parts.join("."), "app-secret")).toBeNull();
    expect(decryptSecret("garbage", "app-secret")).toBeNull();
  });
});
