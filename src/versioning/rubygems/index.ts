import { InvalidRangeError, InvalidVersionError } from '../errors.js';
import { makeParseCache } from '../parse-cache.js';
import type { Ordering, VersionScheme } from '../types.js';
import { type GemConstraint, parseRequirement, satisfiesConstraint } from './requirement.js';
import { compareGemVersions, type GemVersion, parseGemVersion } from './version.js';

const SCHEME = 'rubygems';

const cache = makeParseCache(parseGemVersion);
const requirementCache = makeParseCache<GemConstraint[]>(parseRequirement, 2_000);

function getParsed(version: string): GemVersion {
  const parsed = cache.get(version);
  if (!parsed) throw new InvalidVersionError(SCHEME, version, 'malformed version number string');
  return parsed;
}

/** RubyGems versions ordered like `Gem::Version#<=>`; ranges are `Gem::Requirement` strings. */
export const rubygemsScheme = {
  id: SCHEME,
  ecosystems: ['RubyGems'],
  compare(a: string, b: string): Ordering {
    return compareGemVersions(getParsed(a), getParsed(b));
  },
  isValid(version: string): boolean {
    return cache.get(version) !== undefined;
  },
  /** The version RubyGems stores: stripped, `-` rewritten as `.pre.`, blank read as `0`. */
  normalize(version: string): string {
    return getParsed(version).version;
  },
  /** `Gem::Requirement#satisfied_by?`; comma-separated requirements must all hold (`~> 1.4, >= 1.4.2`). */
  matches(version: string, range: string): boolean {
    const parsed = getParsed(version);
    const constraints = requirementCache.get(range);
    if (!constraints) throw new InvalidRangeError(SCHEME, range, 'illformed Gem::Requirement');
    return constraints.every((constraint) => satisfiesConstraint(parsed, constraint));
  },
} satisfies VersionScheme;
