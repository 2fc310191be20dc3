/**
 * Go modules: golang.org/x/mod/semver. "v"-prefixed SemVer where "v1" and "v1.2" are shorthands
 * for "v1.0.0" / "v1.2.0" (only without pre-release or build), `+incompatible` is build metadata
 * and pseudo-versions are pre-releases that already sort by commit time. OSV's Go records omit the
 * "v", so it is optional here. As in x/mod, `compare` is total: strings that are not versions are
 * equal to each other and sort below every version. See readme.md.
 */
import { InvalidVersionError } from '../errors.js';
import { makeParseCache } from '../parse-cache.js';
import { compareDigits, compareIdentifiers, type Identifier } from '../semver/semver-like.js';
import type { Ordering, VersionScheme } from '../types.js';

interface GoVersion {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  readonly pre: readonly Identifier[];
  readonly preText: string;
}

const NUM = '(0|[1-9]\\d*)';
const PRE_ID = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
const BUILD_ID = '[0-9A-Za-z-]+';
const FULL = new RegExp(
  `^v?${NUM}\\.${NUM}\\.${NUM}(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+${BUILD_ID}(?:\\.${BUILD_ID})*)?$`,
);
// x/mod accepts "vMAJOR" and "vMAJOR.MINOR" only bare (no pre-release, no build).
const SHORT = new RegExp(`^v?${NUM}(?:\\.${NUM})?$`);
// x/mod/module IsPseudoVersion: vX.0.0-yyyymmddhhmmss-abcdef, vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdef,
// vX.Y.Z-pre.0.yyyymmddhhmmss-abcdef, each with optional build metadata.
const PSEUDO =
  /^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+[0-9a-zA-Z-]+(\.[0-9a-zA-Z-]+)*)?$/;

function parseGo(input: string): GoVersion | undefined {
  const full = FULL.exec(input);
  if (full) {
    const preText = full[4] ?? '';
    const pre = preText ? preText.split('.').map((text) => ({ numeric: /^\d+$/.test(text), text })) : [];
    return { major: full[1] ?? '0', minor: full[2] ?? '0', patch: full[3] ?? '0', pre, preText };
  }
  const short = SHORT.exec(input);
  if (!short) return undefined;
  return { major: short[1] ?? '0', minor: short[2] ?? '0', patch: '0', pre: [], preText: '' };
}

const cache = makeParseCache(parseGo);

function compareParsed(a: GoVersion, b: GoVersion): Ordering {
  const c =
    compareDigits(a.major, b.major) || compareDigits(a.minor, b.minor) || compareDigits(a.patch, b.patch);
  if (c !== 0) return c;
  if (a.pre.length === 0 || b.pre.length === 0) {
    return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  }
  return compareIdentifiers(a.pre, b.pre);
}

/** x/mod semver.Compare (with the "v" optional). Invalid strings are equal and lowest. */
export function compareGo(a: string, b: string): Ordering {
  const x = cache.get(a);
  const y = cache.get(b);
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  return compareParsed(x, y);
}

/** x/mod semver.Canonical: "vMAJOR.MINOR.PATCH[-pre]", build metadata dropped. */
export function canonicalGo(version: string): string {
  const v = cache.get(version);
  if (!v) throw new InvalidVersionError('go', version);
  return `v${v.major}.${v.minor}.${v.patch}${v.preText ? `-${v.preText}` : ''}`;
}

/** x/mod/module.IsPseudoVersion (the "v" optional, as everywhere here). */
export function isPseudoVersion(version: string): boolean {
  const v = version.startsWith('v') ? version : `v${version}`;
  return cache.get(v) !== undefined && PSEUDO.test(v);
}

export const goScheme: VersionScheme = {
  id: 'go',
  ecosystems: ['Go'],
  compare: compareGo,
  isValid: (version) => cache.get(version) !== undefined,
  normalize: canonicalGo,
};
