import { LRUCache } from "lru-cache";

/** `create` memoised by key, bounded: Intl constructors are slow relative to a format call. */
export function memo<T extends NonNullable<unknown>>(create: (key: string) => T, max = 200): (key: string) => T {
  const cache = new LRUCache<string, T>({ max });
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = create(key);
      cache.set(key, value);
    }
    return value;
  };
}
