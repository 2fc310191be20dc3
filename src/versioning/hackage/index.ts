import { InvalidVersionError } from '../errors.js';
import type { Ordering, VersionScheme } from '../types.js';

const SCHEME = 'hackage';
// Data.Version's showVersion form without tags: non-negative integers joined by dots.
const HACKAGE_VERSION = /^\d+(?:\.\d+)*$/;

function isValid(version: string): boolean {
  return typeof version === 'string' && HACKAGE_VERSION.test(version);
}

/** The numeric branch of a Hackage version, as digit strings without leading zeros. Throws `InvalidVersionError`. */
export function parseHackageVersion(version: string): string[] {
  if (!isValid(version)) {
    throw new InvalidVersionError(SCHEME, version, 'expected numbers separated by dots, e.g. 1.2.0.3');
  }
  return version.split('.').map((part) => part.replace(/^0+(?=\d)/, ''));
}

function compareComponent(a: string, b: string): Ordering {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Haskell's `Ord [Int]`, which Data.Version uses: lexicographic, a proper prefix is smaller (1.0 > 1). */
export function compareHackageVersions(a: readonly string[], b: readonly string[]): Ordering {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const r = compareComponent(a[i] as string, b[i] as string);
    if (r !== 0) return r;
  }
  if (a.length === b.length) return 0;
  return a.length < b.length ? -1 : 1;
}

/** Hackage (Haskell) package versions, ordered as Data.Version / Cabal's Version (PVP). */
export const hackageScheme: VersionScheme = {
  id: SCHEME,
  ecosystems: ['Hackage'],
  compare: (a, b) => compareHackageVersions(parseHackageVersion(a), parseHackageVersion(b)),
  isValid,
  normalize: (version) => parseHackageVersion(version).join('.'),
};
