import { InvalidVersionError } from '../errors.js';
import { compareNumericParts, getNumericParts } from '../numeric-parts.js';
import type { VersionScheme } from '../types.js';

const SCHEME = 'cran';
// R's package versions: non-negative integers separated by `.` or `-` (R's valid_numeric_version).
const CRAN_VERSION = /^\d+(?:[.-]\d+)*$/;

/** Whether `version` is a version R's compareVersion can read: digits separated by `.` or `-`. */
function isValid(version: string): boolean {
  return typeof version === 'string' && CRAN_VERSION.test(version);
}

/**
 * The components of a CRAN version as digit strings with leading zeros removed, so that `0.01.0`
 * and `0.1-0` read alike. Throws `InvalidVersionError`.
 */
export function parseCranVersion(version: string): string[] {
  if (!isValid(version)) {
    throw new InvalidVersionError(SCHEME, version, 'expected numbers separated by "." or "-", e.g. 1.2-3');
  }
  return getNumericParts(version, /[.-]/);
}

/** CRAN package versions, ordered as R's compareVersion / package_version. */
export const cranScheme: VersionScheme = {
  id: SCHEME,
  ecosystems: ['CRAN'],
  compare: (a, b) => compareNumericParts(parseCranVersion(a), parseCranVersion(b)),
  isValid,
  normalize: (version) => parseCranVersion(version).join('.'),
};
