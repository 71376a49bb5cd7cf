// A list of values in one statement (`{ in: [...] }`) has a bound: SQLite, through Prisma here, refuses a
// statement of more than 999 parameters ("The query parameter limit supported by your database is
// exceeded"), and Prisma does not split a scoped list itself. A list that grows with the data (a buyer's
// orders, a month's clicks) is asked a slice at a time.

/** The most values a list in one statement gets, leaving room for the statement's other parameters. */
export const IN_LIST_MAX = 500;

/** `values` in slices of at most `size`, in order. */
export function slices<T>(values: readonly T[], size = IN_LIST_MAX): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < values.length; start += size) out.push(values.slice(start, start + size));
  return out;
}

/**
 * The rows of `query` over each slice of `values`, one statement after another (in a transaction, in order;
 * on SQLite, one connection either way). No statement when `values` is empty.
 */
export function inSlices<T, R>(values: readonly T[], query: (slice: T[]) => Promise<R[]>, size = IN_LIST_MAX): Promise<R[]> {
  return gather(slices(values, size), query);
}

/** The rows of `query` over each part, one statement after another. */
async function gather<P, R>(parts: readonly P[], query: (part: P) => Promise<R[]>): Promise<R[]> {
  const rows: R[] = [];
  for (const part of parts) rows.push(...(await query(part)));
  return rows;
}

/** `write` (an updateMany, a deleteMany) over each slice of `values`, one after another; the rows it counted. */
export async function eachSlice<T>(values: readonly T[], write: (slice: T[]) => Promise<{ count: number }>, size = IN_LIST_MAX): Promise<number> {
  let count = 0;
  for (const slice of slices(values, size)) count += (await write(slice)).count;
  return count;
}

/** Values of one scope (a shop's ids): a statement asks for several as `OR: [{ shop, column: { in: ids } }, ...]`. */
export interface Scoped<T> {
  shop: string;
  ids: T[];
}

/**
 * Per-shop lists packed into statements' worth, in order: each group at most `size` parameters (a shop and
 * its ids count one each), a long list split across groups, an empty one left out.
 */
export function scopedSlices<T>(lists: readonly Scoped<T>[], size = IN_LIST_MAX): Scoped<T>[][] {
  const groups: Scoped<T>[][] = [];
  let group: Scoped<T>[] = [];
  let used = 0;
  for (const { shop, ids } of lists) {
    for (let start = 0; start < ids.length; ) {
      if (used + 2 > size) {
        groups.push(group);
        group = [];
        used = 0;
      }
      const take = Math.min(ids.length - start, size - used - 1);
      group.push({ shop, ids: ids.slice(start, start + take) });
      used += take + 1;
      start += take;
    }
  }
  if (group.length) groups.push(group);
  return groups;
}

/** The rows of `query` over each group of scopedSlices(lists), one statement after another. */
export function inScopedSlices<T, R>(lists: readonly Scoped<T>[], query: (group: Scoped<T>[]) => Promise<R[]>, size = IN_LIST_MAX): Promise<R[]> {
  return gather(scopedSlices(lists, size), query);
}
