import { InvalidRangeError, InvalidVersionError } from '../errors.js';
import { makeParseCache } from '../parse-cache.js';
import type { Ordering, VersionScheme } from '../types.js';
import { compareItem, formatItem, type ListItem } from './items.js';
import { parseMaven } from './parse.js';
import { type MavenRange, MavenRangeSyntaxError, parseMavenRange, rangeContains } from './range.js';

const SCHEME = 'maven';
// ComparableVersion refuses longer strings (bounds the nesting depth and BigInteger parsing).
const MAX_LENGTH = 256;

const cache = makeParseCache<ListItem>((input) => {
  if (input.length > MAX_LENGTH || input.trim() === '') return undefined;
  return parseMaven(input);
});

function getParsed(version: string): ListItem {
  const parsed = cache.get(version);
  if (!parsed)
    throw new InvalidVersionError(SCHEME, version, `empty or longer than ${MAX_LENGTH} characters`);
  return parsed;
}

function compareVersions(a: string, b: string): Ordering {
  const c = compareItem(getParsed(a), getParsed(b));
  return c === 0 ? 0 : c < 0 ? -1 : 1;
}

const rangeCache = makeParseCache<MavenRange>((spec) => {
  try {
    return parseMavenRange(spec, compareVersions);
  } catch (error) {
    if (error instanceof MavenRangeSyntaxError) return undefined;
    throw error;
  }
}, 2_000);

/**
 * Maven versions ordered exactly like `org.apache.maven.artifact.versioning.ComparableVersion`
 * (Maven 3.9/4): every non-empty string up to 256 characters is a version.
 */
export const mavenScheme = {
  id: SCHEME,
  ecosystems: ['Maven'],
  compare: compareVersions,
  isValid(version: string): boolean {
    return cache.get(version) !== undefined;
  },
  /** `ComparableVersion.getCanonical()`, e.g. `1.0-RC1` -> `1-rc1`. */
  normalize(version: string): string {
    return formatItem(getParsed(version));
  },
  /** Maven range syntax; a bare version is a soft requirement and, as in Maven, contains every version. */
  matches(version: string, range: string): boolean {
    getParsed(version);
    const parsed = rangeCache.get(range);
    if (!parsed) throw new InvalidRangeError(SCHEME, range, 'not a Maven version range');
    return rangeContains(parsed, version, compareVersions);
  },
} satisfies VersionScheme;
