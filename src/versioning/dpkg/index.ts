import { InvalidVersionError } from '../errors.js';
import { makeParseCache } from '../parse-cache.js';
import type { Ordering, VersionScheme } from '../types.js';

/** A Debian version split as deb-version(7) describes it: `[epoch:]upstream[-revision]`. */
export interface DpkgVersion {
  readonly epoch: number;
  readonly upstream: string;
  /** Empty when the version has no revision (dpkg treats that like revision `0`). */
  readonly revision: string;
}

const SCHEME = 'dpkg';
const MAX_EPOCH = 2_147_483_647; // dpkg stores the epoch in an int and rejects anything above INT_MAX

const CH_0 = 48;
const CH_9 = 57;
const CH_TILDE = 126;

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Space and tab, which dpkg's parseversion trims (c_isblank). */
function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

function trimBlanks(version: string): string {
  let start = 0;
  let end = version.length;
  while (start < end && isBlank(version.charCodeAt(start))) start++;
  while (end > start && isBlank(version.charCodeAt(end - 1))) end--;
  return version.slice(start, end);
}

/** Why `body` (the version without surrounding blanks) is not a dpkg version, or undefined. */
function findCharacterProblem(body: string): string | undefined {
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (isBlank(c)) return 'version string has embedded spaces';
    // dpkg only warns about other odd characters; we refuse non-printable and non-ASCII ones
    // because dpkg's order for them depends on the platform's char signedness.
    if (c < 0x21 || c > 0x7e) return `character U+${c.toString(16).padStart(4, '0')} is not printable ASCII`;
  }
  return undefined;
}

function parseEpoch(body: string, colon: number): number | string {
  const digits = body.slice(0, colon);
  if (digits.length === 0) return 'epoch in version is empty';
  for (let i = 0; i < digits.length; i++) {
    if (!isDigit(digits.charCodeAt(i))) return 'epoch in version is not number';
  }
  const epoch = Number(digits);
  if (epoch > MAX_EPOCH) return 'epoch in version is too big';
  return epoch;
}

/** Parse as dpkg's parseversion does; returns the parts or the reason the version is invalid. */
function parseParts(version: string): DpkgVersion | string {
  if (typeof version !== 'string') return 'version is not a string';
  const body = trimBlanks(version);
  if (body.length === 0) return 'version string is empty';
  const problem = findCharacterProblem(body);
  if (problem) return problem;
  // The first colon ends the epoch; a colon anywhere therefore requires a numeric epoch.
  const colon = body.indexOf(':');
  let epoch = 0;
  let rest = body;
  if (colon >= 0) {
    const parsed = parseEpoch(body, colon);
    if (typeof parsed === 'string') return parsed;
    epoch = parsed;
    rest = body.slice(colon + 1);
    if (rest.length === 0) return 'nothing after colon in version number';
  }
  // The last hyphen starts the revision, so the upstream version may itself contain hyphens.
  const hyphen = rest.lastIndexOf('-');
  const upstream = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const revision = hyphen >= 0 ? rest.slice(hyphen + 1) : '';
  if (hyphen >= 0 && revision.length === 0) return 'revision number is empty';
  if (upstream.length === 0) return 'upstream version is empty';
  return { epoch, upstream, revision };
}

const cache = makeParseCache((version: string) => {
  const parsed = parseParts(version);
  return typeof parsed === 'string' ? undefined : parsed;
});

/**
 * Parse a Debian version (deb-version(7), Debian Policy §5.6.12). Accepts what
 * `dpkg --compare-versions` accepts: errors reject, dpkg's mere warnings (upstream not starting with a
 * digit, unusual punctuation) do not. Throws `InvalidVersionError`. Results are cached.
 */
export function parseDpkgVersion(version: string): DpkgVersion {
  const parsed = cache.get(version);
  if (parsed) return parsed;
  throw new InvalidVersionError(SCHEME, version, String(parseParts(version)));
}

/** dpkg's character weight: `~` lowest, then end of string and digits, then letters, then the rest. */
function weight(s: string, i: number): number {
  if (i >= s.length) return 0;
  const c = s.charCodeAt(i);
  if (isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === CH_TILDE) return -1;
  return c + 256;
}

function skipZeros(s: string, i: number): number {
  let j = i;
  while (j < s.length && s.charCodeAt(j) === CH_0) j++;
  return j;
}

function digitEnd(s: string, i: number): number {
  let j = i;
  while (j < s.length && isDigit(s.charCodeAt(j))) j++;
  return j;
}

/** Compare the digit runs starting at `i` in `a` and `j` in `b`: longer run (after zeros) is bigger. */
function compareDigitRuns(a: string, i: number, ea: number, b: string, j: number, eb: number): number {
  if (ea - i !== eb - j) return ea - i > eb - j ? 1 : -1;
  for (let k = 0; k < ea - i; k++) {
    const d = a.charCodeAt(i + k) - b.charCodeAt(j + k);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * dpkg's verrevcmp: alternate non-digit runs (compared by `weight`) and digit runs (compared
 * numerically), until one side differs. Allocation free.
 */
export function compareDpkgFragment(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const d = weight(a, i) - weight(b, j);
      if (d !== 0) return d;
      i++;
      j++;
    }
    i = skipZeros(a, i);
    j = skipZeros(b, j);
    const ea = digitEnd(a, i);
    const eb = digitEnd(b, j);
    const d = compareDigitRuns(a, i, ea, b, j, eb);
    if (d !== 0) return d;
    i = ea;
    j = eb;
  }
  return 0;
}

function sign(n: number): Ordering {
  if (n < 0) return -1;
  return n > 0 ? 1 : 0;
}

/** Order two parsed versions: epoch, then upstream, then revision. */
export function compareDpkgVersions(a: DpkgVersion, b: DpkgVersion): Ordering {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  const upstream = compareDpkgFragment(a.upstream, b.upstream);
  if (upstream !== 0) return sign(upstream);
  return sign(compareDpkgFragment(a.revision, b.revision));
}

function isValid(version: string): boolean {
  return cache.get(version) !== undefined;
}

/** Debian and Ubuntu package versions, ordered exactly as `dpkg --compare-versions`. */
export const dpkgScheme: VersionScheme = {
  id: SCHEME,
  ecosystems: ['Debian', 'Ubuntu'],
  compare: (a, b) => compareDpkgVersions(parseDpkgVersion(a), parseDpkgVersion(b)),
  isValid,
};
