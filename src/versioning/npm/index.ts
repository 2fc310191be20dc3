/**
 * npm: node-semver (the `semver` package npm itself uses). Versions and ranges are read in
 * node-semver's loose mode by default (npm reads package.json and lockfiles loosely too), so
 * "v1.2.3", "=1.2.3" and "1.2.3beta" are versions here. See readme.md.
 */
import semver, { type Options, Range, type RangeOptions, SemVer } from 'semver';
import { InvalidRangeError, InvalidVersionError } from '../errors.js';
import { makeParseCache } from '../parse-cache.js';
import type { Ordering, VersionScheme } from '../types.js';

/** node-semver options; `loose` defaults to true here, `includePrerelease` to false as in node-semver. */
export interface NpmOptions {
  loose?: boolean;
  includePrerelease?: boolean;
}

export type OutsideRelation = 'gtr' | 'ltr';

const ID = 'npm';
const LOOSE: Options = { loose: true };

const looseCache = makeParseCache((input: string) => {
  try {
    return new SemVer(input, LOOSE);
  } catch {
    return undefined;
  }
});

function toOptions(options: NpmOptions | undefined): RangeOptions {
  return { loose: options?.loose ?? true, includePrerelease: options?.includePrerelease ?? false };
}

function read(version: string, options?: NpmOptions): SemVer {
  const loose = options?.loose ?? true;
  const parsed = loose ? looseCache.get(version) : (semver.parse(version) ?? undefined);
  if (!parsed) throw new InvalidVersionError(ID, String(version));
  return parsed;
}

function readRange(range: string, options: RangeOptions): Range {
  try {
    return new Range(range, options);
  } catch (error) {
    throw new InvalidRangeError(ID, String(range), error instanceof Error ? error.message : undefined);
  }
}

/** node-semver `compare`: SemVer precedence, build metadata ignored. */
export function compareNpm(a: string, b: string, options?: NpmOptions): Ordering {
  return read(a, options).compare(read(b, options));
}

/**
 * node-semver `satisfies`. As in node-semver, a string that is not a version satisfies no range
 * (false, not an error); a range that does not parse throws `InvalidRangeError`.
 */
export function satisfiesNpm(version: string, range: string, options?: NpmOptions): boolean {
  const opts = toOptions(options);
  const parsed = readRange(range, opts);
  return typeof version === 'string' && parsed.test(version);
}

/**
 * node-semver `gtr` / `ltr`: whether `version` is above ('gtr') or below ('ltr') every version the
 * range allows. Throws for an invalid version or range.
 */
export function outside(
  version: string,
  range: string,
  relation: OutsideRelation,
  options?: NpmOptions,
): boolean {
  const opts = toOptions(options);
  readRange(range, opts);
  const parsed = read(version, options);
  return semver.outside(parsed, range, relation === 'gtr' ? '>' : '<', opts);
}

export const npmScheme: VersionScheme & {
  compare(a: string, b: string, options?: NpmOptions): Ordering;
  matches(version: string, range: string, options?: NpmOptions): boolean;
} = {
  id: ID,
  ecosystems: ['npm'],
  compare: compareNpm,
  isValid: (version) => looseCache.get(version) !== undefined,
  normalize: (version) => read(version).version,
  matches: satisfiesNpm,
};
