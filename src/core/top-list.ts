/**
 * The first `keep` of many items in an order, holding at most twice that many: a bounded selection
 * for lists too long to hold (a fleet's findings), equal to sorting them all and slicing.
 */
export interface TopList<T> {
  add(item: T): void;
  /** The first `keep` items given, in order; ties keep the order they were added in. */
  take(): T[];
}

/**
 * A `TopList` by `compare` (any comparator `Array.prototype.sort` accepts); every item when `keep` is
 * undefined. Sorting and cutting back to `keep` once it holds twice that many costs O(n log keep).
 */
export function makeTopList<T>(compare: (a: T, b: T) => number, keep?: number): TopList<T> {
  let items: T[] = [];
  const cut = () => {
    items.sort(compare);
    if (keep !== undefined) items = items.slice(0, keep);
  };
  return {
    add(item) {
      items.push(item);
      if (keep !== undefined && items.length > Math.max(2 * keep, 1)) cut();
    },
    take() {
      cut();
      return items;
    },
  };
}
