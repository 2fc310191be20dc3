/**
 * CocoaPods versions, ordered as cocoapods-core's `Pod::Version` (its vendored `Gem::Version#<=>`).
 * See readme.md.
 */
import { InvalidVersionError } from '../errors.js';
import { makeParseCache } from '../parse-cache.js';
import type { Ordering, VersionScheme } from '../types.js';

const SCHEME = 'cocoapods';
// Pod::Version::ANCHORED_VERSION_PATTERN, /\A\s*([0-9]+(\.[0-9a-zA-Z\-]+)*)*\s*\z/, with the outer
// repetition folded (any repetition of the group is itself one group) so no input backtracks.
const POD_VERSION = /^\s*(?:[0-9]+(?:\.[0-9a-zA-Z-]+)*)?\s*$/;

/** A segment: a run of digits (a number of any length) or a run of ASCII letters. */
type Segment = bigint | string;

/** The vendored `Gem::Version#segments`: `scan(/[0-9]+|[a-z]+/i)`; `-` and `.` only separate. */
function parsePodVersion(input: string): readonly Segment[] | undefined {
  if (typeof input !== 'string' || input.length > 1_000 || !POD_VERSION.test(input)) return undefined;
  return (input.match(/[0-9]+|[a-z]+/gi) ?? []).map((s) => (/^[0-9]/.test(s) ? BigInt(s) : s));
}

/** `Gem::Version#<=>`: a missing segment is 0; a string sorts before a number; strings bytewise. */
function comparePodSegments(a: readonly Segment[], b: readonly Segment[]): Ordering {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const left = a[i] ?? 0n;
    const right = b[i] ?? 0n;
    if (left === right) continue;
    if (typeof left !== typeof right) return typeof left === 'string' ? -1 : 1;
    return left < right ? -1 : 1;
  }
  return 0;
}

const cache = makeParseCache(parsePodVersion);

function getParsed(version: string): readonly Segment[] {
  const parsed = cache.get(version);
  if (!parsed)
    throw new InvalidVersionError(
      SCHEME,
      version,
      'malformed version number string: expected numbers separated by ".", e.g. 5.6.4 or 1.0.0-beta.2',
    );
  return parsed;
}

/** CocoaPods pod versions, ordered as `Pod::Version`. */
export const cocoapodsScheme = {
  id: SCHEME,
  ecosystems: ['CocoaPods'],
  compare: (a: string, b: string): Ordering => comparePodSegments(getParsed(a), getParsed(b)),
  isValid: (version: string): boolean => cache.get(version) !== undefined,
} satisfies VersionScheme;
