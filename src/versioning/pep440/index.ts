import { InvalidRangeError, InvalidVersionError } from '../errors.js';
import { makeParseCache } from '../parse-cache.js';
import type { Ordering, VersionScheme } from '../types.js';
import { compareLegacy, type LegacyVersion, parseLegacy } from './legacy.js';
import { parseSpecifierSet, type Specifier, type SpecifierOptions, setContains } from './specifier.js';
import { comparePep440, formatPep440, type Pep440Version, parsePep440 } from './version.js';

export type { SpecifierOptions } from './specifier.js';
export type { Pep440Version } from './version.js';

const SCHEME = 'pep440';
// OSV versions are short; anything longer than this is not a version string we should order.
const MAX_LENGTH = 1024;

type Parsed = Pep440Version | LegacyVersion;

const pep440Cache = makeParseCache(parsePep440);
const orderCache = makeParseCache<Parsed>((input) => {
  if (input.trim() === '' || input.length > MAX_LENGTH) return undefined;
  return parsePep440(input) ?? parseLegacy(input);
});
const specCache = makeParseCache<Specifier[]>(parseSpecifierSet, 2_000);

function getOrderable(version: string): Parsed {
  const parsed = orderCache.get(version);
  if (!parsed) throw new InvalidVersionError(SCHEME, version, 'empty or over-long version string');
  return parsed;
}

/** Orders two parsed versions: every legacy (non-PEP 440) version sorts before every PEP 440 one. */
function compareParsed(a: Parsed, b: Parsed): Ordering {
  if (a.kind === 'pep440' && b.kind === 'pep440') return comparePep440(a, b);
  if (a.kind === 'legacy' && b.kind === 'legacy') return compareLegacy(a, b);
  return a.kind === 'legacy' ? -1 : 1;
}

/**
 * PyPI versions. `isValid`/`normalize`/`matches` follow pypa/packaging (PEP 440, strict). `compare` is
 * total over every non-empty string: a string that is not PEP 440 is ordered by packaging's old
 * `LegacyVersion` rule (before all PEP 440 versions), which is what OSV does for PyPI.
 */
export const pep440Scheme = {
  id: SCHEME,
  ecosystems: ['PyPI'],
  compare(a: string, b: string): Ordering {
    return compareParsed(getOrderable(a), getOrderable(b));
  },
  isValid(version: string): boolean {
    return pep440Cache.get(version) !== undefined;
  },
  normalize(version: string): string {
    const parsed = pep440Cache.get(version);
    if (!parsed) throw new InvalidVersionError(SCHEME, version, 'not a PEP 440 version');
    return formatPep440(parsed);
  },
  /**
   * PEP 440 specifier set, e.g. `>=1.0,!=1.3.*,<2`. A version that is not PEP 440 matches nothing but
   * `===` (packaging 26). Pre-releases match unless `options.prereleases` is `false`.
   */
  matches(version: string, range: string, options?: SpecifierOptions): boolean {
    const specs = specCache.get(range);
    if (!specs) throw new InvalidRangeError(SCHEME, range, 'not a PEP 440 specifier set');
    return setContains(specs, version, options);
  },
} satisfies VersionScheme;

/** Whether `version` is PEP 440 (true) or only orderable by the legacy rule (false). Throws when neither. */
export function isPep440Version(version: string): boolean {
  return getOrderable(version).kind === 'pep440';
}
