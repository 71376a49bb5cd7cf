// JSON nested deeper than any Shopify payload (an order nests 7 levels, down to line_items' tax_lines'
// price_set.shop_money) is refused before it is stored or walked: recursive code (validation,
// serialisation) would overflow the stack on it.
import { MalformedPayloadError } from "./topics";

export const MAX_PAYLOAD_DEPTH = 64;

/** How deep `value` nests, counting up to `limit + 1` at most; iterative, so any depth is safe to measure. */
export function nestingDepth(value: unknown, limit = MAX_PAYLOAD_DEPTH): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== "object") continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const inner of Object.values(current)) pending.push([inner, depth + 1]);
  }
  return deepest;
}

export function checkNesting(topic: string, payload: unknown): void {
  if (nestingDepth(payload) > MAX_PAYLOAD_DEPTH) {
    throw new MalformedPayloadError(`${topic} payload is nested too deeply (more than ${MAX_PAYLOAD_DEPTH} levels)`);
  }
}
