import { describe, expect, it } from "vitest";
import { isFullyRefunded, isPaid } from "./financial-status";

describe("financial statuses", () => {
  it("paid: money was taken, even if some or all of it was refunded since", () => {
    for (const status of ["paid", "partially_paid", "partially_refunded", "refunded"]) expect(isPaid(status), status).toBe(true);
    for (const status of ["pending", "authorized", "voided", "expired", "", null, undefined]) expect(isPaid(status), String(status)).toBe(false);
  });

  it("fully refunded: refunded or voided", () => {
    for (const status of ["refunded", "voided"]) expect(isFullyRefunded(status), status).toBe(true);
    for (const status of ["paid", "partially_refunded", "pending", null]) expect(isFullyRefunded(status), String(status)).toBe(false);
  });
});
