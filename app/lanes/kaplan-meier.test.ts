import { describe, expect, it } from "vitest";
import { quantile, survivalCurve } from "~/lanes/kaplan-meier";

describe("survivalCurve", () => {
  // Delivered after 2, 3, 3 and 5 days; two parcels still out after 3 and 4 days.
  const delivered = [0, 0, 1, 2, 0, 1];
  const censored = [0, 0, 0, 1, 1, 0];

  it("matches the hand-computed Kaplan–Meier estimate with censoring", () => {
    const survival = Array.from(survivalCurve(delivered, censored));
    // Day 2: 1 of 6 at risk delivered; day 3: 2 of 5; day 4: none of 2; day 5: 1 of 1.
    const expected = [1, 1, 5 / 6, (5 / 6) * (3 / 5), 0.5, 0];
    survival.forEach((s, k) => expect(s).toBeCloseTo(expected[k]!, 12));
  });

  it("gives the first day reaching each share, or undefined when the curve stops short", () => {
    const survival = survivalCurve(delivered, censored);
    expect(quantile(survival, 0.1)).toBe(2);
    expect(quantile(survival, 0.5)).toBe(3);
    expect(quantile(survival, 0.6)).toBe(5);
    // Three of four parcels still out after day 2: no median yet.
    expect(quantile(survivalCurve([0, 0, 1, 0], [0, 0, 0, 3]), 0.5)).toBeUndefined();
  });

  it("is not the naive share delivered: ignoring the parcels out would understate the lane", () => {
    const naive = survivalCurve(delivered);
    expect(naive[3]).toBeCloseTo(1 / 4, 12);
    expect(survivalCurve(delivered, censored)[3]).toBeCloseTo(1 / 2, 12);
  });

  it("weighs parcels by their weights, and a common scale changes nothing", () => {
    // A recent parcel (weight 2) after 1 day outweighs an old one (weight 0.5) after 4 days.
    const weighted = survivalCurve([0, 2, 0, 0, 0.5]);
    expect(weighted[1]).toBeCloseTo(0.2, 12);
    const scaled = survivalCurve([0, 8, 0, 0, 2], [0, 0, 4, 0, 0]);
    const unscaled = survivalCurve([0, 2, 0, 0, 0.5], [0, 0, 1, 0, 0]);
    scaled.forEach((s, k) => expect(s).toBeCloseTo(unscaled[k]!, 12));
  });

  it("is 1 throughout for an empty histogram", () => {
    expect(Array.from(survivalCurve([0, 0, 0]))).toEqual([1, 1, 1]);
    expect(quantile(survivalCurve([0, 0, 0]), 0.5)).toBeUndefined();
  });
});
