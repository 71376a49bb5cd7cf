import { describe, expect, it } from "vitest";
import { normalizeEmail } from "./address";

describe("normalizeEmail", () => {
  it("trims and lowercases", () => {
    expect(normalizeEmail(" Buyer@Example.TEST \n")).toBe("buyer@example.test");
    expect(normalizeEmail("buyer@example.test")).toBe("buyer@example.test");
  });
});
