import { InvalidRangeError, InvalidVersionError } from '../errors.js';
import { makeParseCache } from '../parse-cache.js';
import type { Ordering, VersionScheme } from '../types.js';
import { type NuGetRange, parseNuGetRange } from './range.js';
import { compareNuGet, formatNuGet, type NuGetVersion, parseNuGet } from './version.js';

const SCHEME = 'nuget';

const cache = makeParseCache(parseNuGet);
const rangeCache = makeParseCache<NuGetRange>(parseNuGetRange, 2_000);

/** For ordering: NuGet syntax with numeric parts of any size (as OSV orders them). */
function getOrderable(version: string): NuGetVersion {
  const parsed = cache.get(version);
  if (!parsed) throw new InvalidVersionError(SCHEME, version, 'not a NuGet version');
  return parsed;
}

function getStrict(version: string): NuGetVersion {
  const parsed = getOrderable(version);
  if (!parsed.inInt32) throw new InvalidVersionError(SCHEME, version, 'a numeric part exceeds Int32');
  return parsed;
}

function contains(range: NuGetRange, v: NuGetVersion): boolean {
  if (range.min) {
    const c = compareNuGet(range.min, v);
    if (c > 0 || (c === 0 && !range.minInclusive)) return false;
  }
  if (range.max) {
    const c = compareNuGet(range.max, v);
    if (c < 0 || (c === 0 && !range.maxInclusive)) return false;
  }
  return true;
}

/**
 * NuGet versions as NuGet.Versioning orders them (`VersionComparer.Default`). `isValid`/`normalize`
 * follow `NuGetVersion.TryParse` exactly; `compare` also orders numeric parts beyond Int32.
 */
export const nugetScheme = {
  id: SCHEME,
  ecosystems: ['NuGet'],
  compare(a: string, b: string): Ordering {
    return compareNuGet(getOrderable(a), getOrderable(b));
  },
  isValid(version: string): boolean {
    return cache.get(version)?.inInt32 === true;
  },
  /** `NuGetVersion.ToNormalizedString()`, e.g. `1.01-Beta+meta` -> `1.1.0-Beta`. */
  normalize(version: string): string {
    return formatNuGet(getStrict(version));
  },
  /** `VersionRange.Satisfies` with the default comparer (metadata ignored, pre-releases not excluded). */
  matches(version: string, range: string): boolean {
    const parsed = getOrderable(version);
    const parsedRange = rangeCache.get(range);
    if (!parsedRange) throw new InvalidRangeError(SCHEME, range, 'not a NuGet version range');
    return contains(parsedRange, parsed);
  },
} satisfies VersionScheme;
