import { InvalidVersionError } from '../errors.js';
import { makeParseCache } from '../parse-cache.js';
import type { Ordering, VersionScheme } from '../types.js';

/** An RPM `[epoch:]version[-release]` label, split as rpm's parseEVR splits it. */
export interface RpmVersion {
  /** Decimal digits; `0` when the label has no epoch. */
  readonly epoch: string;
  readonly version: string;
  /** `null` when the label has no `-`; an empty string for a trailing `-`. */
  readonly release: string | null;
}

const SCHEME = 'rpm';

const CH_0 = 48;
const CH_TILDE = 126;
const CH_CARET = 94;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** rpm's risalpha/risdigit are ASCII only: any other code unit (including non-ASCII) is a separator. */
function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isSeparator(c: number): boolean {
  return !isDigit(c) && !isAlpha(c) && c !== CH_TILDE && c !== CH_CARET;
}

function hasControlOrSpace(label: string): boolean {
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Split as rpm's parseEVR: an all-digit prefix ended by `:` is the epoch; the last `-` starts the release. */
function splitLabel(label: string): RpmVersion {
  let end = 0;
  while (end < label.length && isDigit(label.charCodeAt(end))) end++;
  const hasEpoch = label.charCodeAt(end) === 58;
  const epoch = hasEpoch && end > 0 ? label.slice(0, end) : '0';
  const rest = hasEpoch ? label.slice(end + 1) : label;
  const hyphen = rest.lastIndexOf('-');
  if (hyphen < 0) return { epoch, version: rest, release: null };
  return { epoch, version: rest.slice(0, hyphen), release: rest.slice(hyphen + 1) };
}

function parseParts(label: string): RpmVersion | string {
  if (typeof label !== 'string' || label.length === 0) return 'version is empty';
  if (hasControlOrSpace(label)) return 'whitespace or control characters are not allowed';
  const parts = splitLabel(label);
  if (parts.version.length === 0) return 'the version part (between epoch and release) is empty';
  return parts;
}

const cache = makeParseCache((label: string) => {
  const parsed = parseParts(label);
  return typeof parsed === 'string' ? undefined : parsed;
});

/**
 * Parse an RPM label `[epoch:]version[-release]`. rpm itself accepts almost any string; we refuse only
 * empty labels, an empty version part, and whitespace or control characters. Throws `InvalidVersionError`.
 */
export function parseRpmVersion(label: string): RpmVersion {
  const parsed = cache.get(label);
  if (parsed) return parsed;
  throw new InvalidVersionError(SCHEME, label, String(parseParts(label)));
}

function skipSeparators(s: string, i: number): number {
  let j = i;
  while (j < s.length && isSeparator(s.charCodeAt(j))) j++;
  return j;
}

function runEnd(s: string, i: number, digits: boolean): number {
  let j = i;
  if (digits) while (j < s.length && isDigit(s.charCodeAt(j))) j++;
  else while (j < s.length && isAlpha(s.charCodeAt(j))) j++;
  return j;
}

/** Numeric segments: leading zeros dropped, more digits wins, then digit by digit. */
function compareNumeric(a: string, i: number, ea: number, b: string, j: number, eb: number): Ordering {
  let x = i;
  let y = j;
  while (x < ea && a.charCodeAt(x) === CH_0) x++;
  while (y < eb && b.charCodeAt(y) === CH_0) y++;
  if (ea - x !== eb - y) return ea - x > eb - y ? 1 : -1;
  return compareBytes(a, x, ea, b, y, eb);
}

/** strcmp of two segments. */
function compareBytes(a: string, i: number, ea: number, b: string, j: number, eb: number): Ordering {
  let x = i;
  let y = j;
  while (x < ea && y < eb) {
    const d = a.charCodeAt(x) - b.charCodeAt(y);
    if (d !== 0) return d < 0 ? -1 : 1;
    x++;
    y++;
  }
  if (x < ea) return 1;
  return y < eb ? -1 : 0;
}

/**
 * `~` sorts before everything, even the end of the string; `^` sorts after the end of the string
 * but before any further segment. Returns undefined when neither side is at `~` or `^`.
 */
function compareMarker(ca: number, cb: number, endA: boolean, endB: boolean): Ordering | undefined {
  if (ca === CH_TILDE || cb === CH_TILDE) {
    if (ca !== CH_TILDE) return 1;
    return cb !== CH_TILDE ? -1 : 0;
  }
  if (ca === CH_CARET || cb === CH_CARET) {
    if (endA) return -1;
    if (endB) return 1;
    if (ca !== CH_CARET) return 1;
    return cb !== CH_CARET ? -1 : 0;
  }
  return undefined;
}

/** rpm's rpmvercmp (rpm 4.x, with `~` and `^`), on one version or release string. Allocation free. */
export function rpmvercmp(a: string, b: string): Ordering {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    i = skipSeparators(a, i);
    j = skipSeparators(b, j);
    const endA = i >= a.length;
    const endB = j >= b.length;
    const marker = compareMarker(a.charCodeAt(i), b.charCodeAt(j), endA, endB);
    if (marker !== undefined) {
      if (marker !== 0) return marker;
      i++;
      j++;
      continue;
    }
    if (endA || endB) break;
    const numeric = isDigit(a.charCodeAt(i));
    const ea = runEnd(a, i, numeric);
    const eb = runEnd(b, j, numeric);
    // A numeric segment beats an alpha one.
    if (eb === j) return numeric ? 1 : -1;
    const rc = numeric ? compareNumeric(a, i, ea, b, j, eb) : compareBytes(a, i, ea, b, j, eb);
    if (rc !== 0) return rc;
    i = ea;
    j = eb;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/** A release that is absent sorts before any release, even an empty one (rpm's Python labelCompare). */
function compareRelease(a: string | null, b: string | null): Ordering {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  return rpmvercmp(a, b);
}

/** Order two parsed labels: epoch, then version, then release. */
export function compareRpmVersions(a: RpmVersion, b: RpmVersion): Ordering {
  const epoch = rpmvercmp(a.epoch, b.epoch);
  if (epoch !== 0) return epoch;
  const version = rpmvercmp(a.version, b.version);
  if (version !== 0) return version;
  return compareRelease(a.release, b.release);
}

/** RPM-based distributions, ordered as rpm's labelCompare (epoch, then rpmvercmp on version and release). */
export const rpmScheme: VersionScheme = {
  id: SCHEME,
  ecosystems: [
    'Red Hat',
    'AlmaLinux',
    'Rocky Linux',
    'openSUSE',
    'SUSE',
    'Mageia',
    'openEuler',
    'Azure Linux',
  ],
  compare: (a, b) => compareRpmVersions(parseRpmVersion(a), parseRpmVersion(b)),
  isValid: (label) => cache.get(label) !== undefined,
};
