import { InvalidVersionError } from '../errors.js';
import { compareNumericParts, getNumericParts } from '../numeric-parts.js';
import type { VersionScheme } from '../types.js';

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
  return getNumericParts(version, '.');
}

/** Hackage (Haskell) package versions, ordered as Data.Version / Cabal's Version (PVP). */
export const hackageScheme: VersionScheme = {
  id: SCHEME,
  ecosystems: ['Hackage'],
  compare: (a, b) => compareNumericParts(parseHackageVersion(a), parseHackageVersion(b)),
  isValid,
  normalize: (version) => parseHackageVersion(version).join('.'),
};
