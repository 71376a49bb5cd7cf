import { describe, expect, it } from "vitest";
import { eachSlice, inSlices, slices } from "./in-lists";

describe("lists a slice at a time", () => {
  it("slices in order, the last one short, none for an empty list", () => {
    expect(slices([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(slices([1, 2], 2)).toEqual([[1, 2]]);
    expect(slices([], 2)).toEqual([]);
    expect(slices(Array.from({ length: 1001 }, (_, i) => i)).map((s) => s.length)).toEqual([500, 500, 1]);
  });

  it("asks each slice once, one after another, and gathers the rows and counts", async () => {
    const asked: number[][] = [];
    let running = 0;
    const rows = await inSlices([1, 2, 3, 4, 5], async (slice) => {
      running++;
      expect(running).toBe(1);
      asked.push(slice);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running--;
      return slice.map((n) => n * 10);
    }, 2);
    expect(asked).toEqual([[1, 2], [3, 4], [5]]);
    expect(rows).toEqual([10, 20, 30, 40, 50]);
    expect(await eachSlice([1, 2, 3], async (slice) => ({ count: slice.length * 2 }), 2)).toBe(6);
    expect(await inSlices([], async () => { throw new Error("asked for nothing"); })).toEqual([]);
  });
});
