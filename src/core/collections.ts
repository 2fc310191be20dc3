/** Strings in code-unit order (ids: finding ids are ASCII, so this is their byte order too). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The value under `key`, created with `make` when absent. */
export function getOrCreate<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/**
 * A loader of values by id that asks `load` about each id once, however many calls name it, and
 * returns every value known so far (an id `load` had no value for is not asked again either).
 */
export function memoizeById<V>(
  load: (ids: string[]) => Promise<ReadonlyMap<string, V>>,
): (ids: readonly string[]) => Promise<ReadonlyMap<string, V>> {
  const known = new Map<string, V>();
  const asked = new Set<string>();
  return async (ids) => {
    const missing = [...new Set(ids)].filter((id) => !asked.has(id));
    if (missing.length === 0) return known;
    for (const [id, value] of await load(missing)) known.set(id, value);
    for (const id of missing) asked.add(id);
    return known;
  };
}
