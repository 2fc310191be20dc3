import { InvalidRangeError, InvalidVersionError } from '../errors.js';
import { makeParseCache } from '../parse-cache.js';
import type { Ordering, VersionScheme } from '../types.js';
import {
  type ConstraintSet,
  parseConstraints,
  setMatches,
  toOperator,
  versionCompare,
} from './constraint.js';
import { phpVersionCompare } from './php-version-compare.js';
import { normalizeComposer } from './version-parser.js';

const SCHEME = 'packagist';

const normalizeCache = makeParseCache(normalizeComposer);
const constraintCache = makeParseCache<ConstraintSet>(parseConstraints, 2_000);

function getNormalized(version: string): string {
  const normalized = normalizeCache.get(version);
  if (normalized === undefined)
    throw new InvalidVersionError(SCHEME, version, 'composer cannot normalise it');
  return normalized;
}

// OSV orders Packagist versions with PHP's version_compare after dropping a leading "v"/"V".
function stripPrefix(version: string): string {
  const trimmed = version.startsWith('v') ? version.slice(1) : version;
  return trimmed.startsWith('V') ? trimmed.slice(1) : trimmed;
}

/**
 * Packagist versions. `compare` is OSV's order (PHP `version_compare`, leading `v` ignored), total
 * over every non-blank string; `isValid` and `matches` follow composer/semver. There is no
 * `normalize` member: composer's normal form does not keep OSV precedence (`1.0` < `1.0.0` for
 * `version_compare`, equal once normalised); use `normalizeComposerVersion` for composer's form.
 */
export const packagistScheme = {
  id: SCHEME,
  ecosystems: ['Packagist'],
  compare(a: string, b: string): Ordering {
    for (const v of [a, b]) {
      if (v.trim() === '') throw new InvalidVersionError(SCHEME, v, 'blank version');
    }
    return phpVersionCompare(stripPrefix(a), stripPrefix(b));
  },
  isValid(version: string): boolean {
    return normalizeCache.get(version) !== undefined;
  },
  /** `Semver::satisfies`: composer constraint syntax (`^1.2 || ~2.0`, `>=1.0 <2.0`, `1.0 - 2.0`, `1.2.*`). */
  matches(version: string, range: string): boolean {
    const normalized = getNormalized(version);
    const set = constraintCache.get(range);
    if (!set) throw new InvalidRangeError(SCHEME, range, 'not a composer constraint');
    return setMatches(set, normalized);
  },
} satisfies VersionScheme;

/** composer/semver `VersionParser::normalize`, e.g. `v1.2-b2` -> `1.2.0.0-beta2`. Throws InvalidVersionError. */
export function normalizeComposerVersion(version: string): string {
  return getNormalized(version);
}

/**
 * composer/semver `Comparator::compare($a, $op, $b)`: PHP `version_compare` on the strings as given,
 * where a `dev-` branch is only ever equal to itself and, against a numbered version, ordered as a word.
 */
export function compareWithOperator(a: string, op: string, b: string): boolean {
  const operator = toOperator(op);
  if (!operator) throw new InvalidRangeError(SCHEME, op, 'unknown comparison operator');
  return versionCompare(a, b, operator, true);
}
