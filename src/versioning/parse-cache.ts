/**
 * A bounded memo for parsed versions. Schemes parse the same strings again and again (a fleet has a
 * few thousand distinct versions, an advisory feed a few hundred thousand), so each scheme keeps the
 * most recent parses. When the map is full it is cleared: cheaper than LRU bookkeeping and good
 * enough, because a working set larger than the bound re-fills it in one pass.
 */
export interface ParseCache<T> {
  /** The parsed value, or `undefined` when `parse` rejected the string (also memoised). */
  get(input: string): T | undefined;
}

export function makeParseCache<T>(parse: (input: string) => T | undefined, limit = 20_000): ParseCache<T> {
  const entries = new Map<string, T | null>();
  return {
    get(input: string): T | undefined {
      const hit = entries.get(input);
      if (hit !== undefined) return hit ?? undefined;
      if (entries.size >= limit) entries.clear();
      const parsed = typeof input === 'string' ? parse(input) : undefined;
      entries.set(input, parsed ?? null);
      return parsed;
    },
  };
}
