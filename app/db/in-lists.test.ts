import { describe, expect, it } from "vitest";
import { eachSlice, inSlices, scopedSlices, slices } from "./in-lists";

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

describe("per-shop lists packed into statements", () => {
  it("keeps each group within its parameters (a shop and its ids count one each), splits a long list, leaves out empty ones", async () => {
    const lists = [
      { shop: "a", ids: [1, 2, 3] },
      { shop: "b", ids: [] },
      { shop: "c", ids: [4, 5, 6, 7, 8, 9] },
      { shop: "d", ids: [10] },
    ];
    const groups = scopedSlices(lists, 5);
    expect(groups).toEqual([
      [{ shop: "a", ids: [1, 2, 3] }],
      [{ shop: "c", ids: [4, 5, 6, 7] }],
      [{ shop: "c", ids: [8, 9] }, { shop: "d", ids: [10] }],
    ]);
    for (const group of groups) expect(group.reduce((n, s) => n + 1 + s.ids.length, 0)).toBeLessThanOrEqual(5);
    expect(groups.flat().flatMap((s) => s.ids)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // 500 shops of one id each: two parameters a shop.
    expect(scopedSlices(Array.from({ length: 500 }, (_, k) => ({ shop: `s${k}`, ids: [k] }))).map((g) => g.length)).toEqual([250, 250]);
    expect(scopedSlices([{ shop: "a", ids: [] }])).toEqual([]);
  });
});
