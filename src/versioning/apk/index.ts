import { InvalidRangeError, InvalidVersionError } from '../errors.js';
import { makeParseCache } from '../parse-cache.js';
import type { Ordering, VersionScheme } from '../types.js';
import {
  type ApkTokens,
  SUFFIX_NONE,
  TOKEN_DIGIT,
  TOKEN_END,
  TOKEN_INVALID,
  TOKEN_LETTER_NO,
  TOKEN_REVISION_NO,
  TOKEN_SUFFIX,
  TOKEN_SUFFIX_NO,
  tokenizeApkVersion,
} from './tokens.js';

export { type ApkTokens, tokenizeApkVersion } from './tokens.js';

const SCHEME = 'apk';
const cache = makeParseCache(tokenizeApkVersion);

/**
 * Tokens of any string: apk-tools 3's reading, extended where apk-tools 3 gives up (readme.md).
 * Throws `InvalidVersionError` only for a value that is not a string.
 */
export function getApkTokens(version: string): ApkTokens {
  const tokens = cache.get(version);
  if (tokens) return tokens;
  throw new InvalidVersionError(SCHEME, String(version), 'an Alpine version is a string');
}

/** Whether `version` is valid by apk-tools 3's own rule (apk_version_validate / `apk vertest`). */
export function isValidApkVersion(version: string): boolean {
  return cache.get(version)?.valid === true;
}

function compareText(a: string, b: string): Ordering {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Decimal digit strings by value: fewer significant digits is smaller. */
function compareNumber(a: string, b: string): Ordering {
  let i = 0;
  let j = 0;
  while (i < a.length - 1 && a.charCodeAt(i) === 48) i++;
  while (j < b.length - 1 && b.charCodeAt(j) === 48) j++;
  if (a.length - i !== b.length - j) return a.length - i > b.length - j ? 1 : -1;
  for (; i < a.length; i++, j++) {
    const d = a.charCodeAt(i) - b.charCodeAt(j);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** One pair of tokens of the same kind (apk's token_cmp). */
function compareToken(kind: number, a: ApkTokens, b: ApkTokens, k: number): Ordering {
  const ta = a.texts[k] as string;
  const tb = b.texts[k] as string;
  // A dotted component with a leading zero compares as a string, as Gentoo's rule has it.
  if (kind === TOKEN_DIGIT && (ta.charCodeAt(0) === 48 || tb.charCodeAt(0) === 48))
    return compareText(ta, tb);
  if (kind <= TOKEN_DIGIT || kind === TOKEN_LETTER_NO) return compareNumber(ta, tb);
  if (kind === TOKEN_SUFFIX_NO || kind === TOKEN_REVISION_NO) return compareNumber(ta, tb);
  if (kind === TOKEN_SUFFIX) return Math.sign((a.ranks[k] as number) - (b.ranks[k] as number)) as Ordering;
  // Letters, commit hashes and invalid rests compare as strings; an invalid rest has an empty text
  // unless nothing at all could be read ("invalid. do string sort", apk's test data).
  return compareText(ta, tb);
}

/** The first tokens of different kinds decide: the version that has more is newer... */
function compareKinds(a: ApkTokens, b: ApkTokens, k: number, fuzzy: boolean): Ordering {
  const ka = a.kinds[k] as number;
  const kb = b.kinds[k] as number;
  if (fuzzy && kb === TOKEN_END) return 0;
  // ...unless what it has more is a pre-release suffix.
  if (ka === TOKEN_SUFFIX && (a.ranks[k] as number) < SUFFIX_NONE) return -1;
  if (kb === TOKEN_SUFFIX && (b.ranks[k] as number) < SUFFIX_NONE) return 1;
  return ka > kb ? -1 : 1;
}

/**
 * apk's comparison (apk_version_compare_fuzzy) over the extended tokens. With `fuzzy`, `a` also
 * equals `b` when `b` is a prefix of it token-wise (`3.6.9 ~ 3.6`). Allocation free once both sides
 * are cached.
 */
export function compareApkTokens(a: ApkTokens, b: ApkTokens, fuzzy = false): Ordering {
  for (let k = 0; ; k++) {
    const kind = a.kinds[k] as number;
    if (kind !== b.kinds[k]) return compareKinds(a, b, k, fuzzy);
    const r = compareToken(kind, a, b, k);
    if (r !== 0 || kind === TOKEN_END || kind === TOKEN_INVALID) return r;
  }
}

const OP_LESS = 1;
const OP_EQUAL = 2;
const OP_GREATER = 4;
const OP_FUZZY = 8;

function parseOperator(op: string): { mask: number; negate: boolean } {
  const negate = op.startsWith('!');
  let mask = 0;
  for (const ch of negate ? op.slice(1) : op) {
    if (ch === '<') mask |= OP_LESS;
    else if (ch === '>') mask |= OP_GREATER;
    else if (ch === '=') mask |= OP_EQUAL;
    else if (ch === '~') mask |= OP_FUZZY | OP_EQUAL;
    else
      throw new InvalidRangeError(
        SCHEME,
        op,
        'apk operators are made of <, >, = and ~, with an optional leading !',
      );
  }
  if (mask === 0) throw new InvalidRangeError(SCHEME, op, 'the operator is empty');
  return { mask, negate };
}

/**
 * apk's dependency match (apk_version_match): `a op b` for `op` among `<`, `<=`, `=`, `>=`, `>`, `~`
 * (fuzzy: `a` equals `b` or starts with it token-wise), `<~`, `>~`, and any of them negated with a
 * leading `!` (apk's conflict form). Throws `InvalidRangeError` for an unknown operator,
 * `InvalidVersionError` for a version that is not a string.
 */
export function fuzzyMatch(a: string, op: string, b: string): boolean {
  const { mask, negate } = parseOperator(op);
  const r = compareApkTokens(getApkTokens(a), getApkTokens(b), (mask & OP_FUZZY) !== 0);
  const bit = r < 0 ? OP_LESS : r > 0 ? OP_GREATER : OP_EQUAL;
  const ok = (mask & bit) !== 0;
  return negate ? !ok : ok;
}

/**
 * Alpine and the apk-based Wolfi and Chainguard: apk-tools 3 order (`apk version -t`) for the
 * versions it accepts, apk-tools 2's reading where it gives up, a total order over every string.
 */
export const apkScheme: VersionScheme = {
  id: SCHEME,
  ecosystems: ['Alpine', 'Chainguard', 'Wolfi'],
  compare: (a, b) => compareApkTokens(getApkTokens(a), getApkTokens(b)),
  isValid: isValidApkVersion,
};
