import type { Ordering } from './types.js';

/** Splits a version into digit strings without leading zeros, so `01` and `1` read alike at any size. */
export function getNumericParts(version: string, separator: RegExp | string): string[] {
  return version.split(separator).map((part) => part.replace(/^0+(?=\d)/, ''));
}

/**
 * Orders two lists of digit strings (arbitrary precision, no leading zeros) component by component;
 * when one is a prefix of the other, the longer is newer. R's compareVersion and Haskell's
 * `Ord [Int]` (Data.Version) both order this way.
 */
export function compareNumericParts(a: readonly string[], b: readonly string[]): Ordering {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x.length !== y.length) return x.length < y.length ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  if (a.length === b.length) return 0;
  return a.length < b.length ? -1 : 1;
}
