/**
 * `create` memoised by key, bounded: Intl constructors are slow relative to a format call. A plain Map
 * (a lookup is a few hash probes; renders look formatters up many times a mail): past `max` keys the
 * oldest one goes, which for a few hundred locales, zones and currencies in use is as good as LRU.
 */
export function memo<T extends NonNullable<unknown>>(create: (key: string) => T, max = 200): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = create(key);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
      cache.set(key, value);
    }
    return value;
  };
}
