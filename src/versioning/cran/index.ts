import { InvalidVersionError } from '../errors.js';
import type { Ordering, VersionScheme } from '../types.js';

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
  return version.split(/[.-]/).map((part) => part.replace(/^0+(?=\d)/, ''));
}

function compareComponent(a: string, b: string): Ordering {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** R's compareVersion: component by component; when one is a prefix of the other, the longer is newer. */
export function compareCranVersions(a: readonly string[], b: readonly string[]): Ordering {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const r = compareComponent(a[i] as string, b[i] as string);
    if (r !== 0) return r;
  }
  if (a.length === b.length) return 0;
  return a.length < b.length ? -1 : 1;
}

/** CRAN package versions, ordered as R's compareVersion / package_version. */
export const cranScheme: VersionScheme = {
  id: SCHEME,
  ecosystems: ['CRAN'],
  compare: (a, b) => compareCranVersions(parseCranVersion(a), parseCranVersion(b)),
  isValid,
  normalize: (version) => parseCranVersion(version).join('.'),
};
