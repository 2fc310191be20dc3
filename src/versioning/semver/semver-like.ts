/**
 * The SemVer 2.0.0 family core shared by the semver, cargo, hex and pub schemes: one parser with a
 * grammar switch (strict SemVer, or OSV's lenient reading) and one precedence function.
 *
 * Numbers are kept as digit strings without leading zeros, so precision is unbounded and comparing
 * two numbers is "shorter is smaller, else lexical" (no BigInt on the hot path).
 */
import type { Ordering } from '../types.js';

/** One dot-separated identifier of a pre-release or build part. */
export interface Identifier {
  readonly numeric: boolean;
  /** For numeric identifiers: the digits without leading zeros. */
  readonly text: string;
}

export interface SemverLike {
  /** Release numbers, leading zeros stripped ("0" stays "0"). */
  readonly release: readonly string[];
  readonly pre: readonly Identifier[];
  readonly build: readonly Identifier[];
}

export type SemverGrammar = 'strict' | 'lenient';

// SemVer 2.0.0 §2, §9, §10: three numbers without leading zeros, numeric pre-release identifiers
// without leading zeros, build identifiers free-form.
const NUM = '(?:0|[1-9]\\d*)';
const PRE_ID = `(?:${NUM}|\\d*[A-Za-z-][0-9A-Za-z-]*)`;
const ID = '[0-9A-Za-z-]+';
const STRICT = new RegExp(
  `^(${NUM})\\.(${NUM})\\.(${NUM})(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+(${ID}(?:\\.${ID})*))?$`,
);
// OSV's lenient reading (osv-scalibr, osv.dev): optional "v", any number of numeric parts, leading
// zeros tolerated, and a pre-release may follow the numbers without a hyphen ("2.0.0rc2").
const LENIENT = new RegExp(
  `^[vV]?(\\d+(?:\\.\\d+)*)(?:-(${ID}(?:\\.${ID})*)|([A-Za-z][0-9A-Za-z-]*(?:\\.${ID})*))?(?:\\+(${ID}(?:\\.${ID})*))?$`,
);

export function stripZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return i === 0 ? digits : digits.slice(i);
}

/** Compares two digit strings that carry no leading zeros. */
export function compareDigits(a: string, b: string): Ordering {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function toIdentifiers(part: string | undefined): Identifier[] {
  if (!part) return [];
  return part
    .split('.')
    .map((text) =>
      /^\d+$/.test(text) ? { numeric: true, text: stripZeros(text) } : { numeric: false, text },
    );
}

/** Parses `input` in the given grammar; `undefined` when it is not a version in that grammar. */
export function parseSemverLike(input: string, grammar: SemverGrammar): SemverLike | undefined {
  if (grammar === 'strict') {
    const m = STRICT.exec(input);
    if (!m) return undefined;
    return {
      release: [m[1] ?? '0', m[2] ?? '0', m[3] ?? '0'],
      pre: toIdentifiers(m[4]),
      build: toIdentifiers(m[5]),
    };
  }
  const m = LENIENT.exec(input);
  if (!m) return undefined;
  const release = (m[1] ?? '0').split('.').map(stripZeros);
  return { release, pre: toIdentifiers(m[2] ?? m[3]), build: toIdentifiers(m[4]) };
}

/** SemVer §11.4 identifier lists: numeric < alphanumeric, numbers by value, text by ASCII, longer wins. */
export function compareIdentifiers(a: readonly Identifier[], b: readonly Identifier[]): Ordering {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as Identifier;
    const y = b[i] as Identifier;
    if (x.numeric !== y.numeric) return x.numeric ? -1 : 1;
    const c = x.numeric ? compareDigits(x.text, y.text) : x.text === y.text ? 0 : x.text < y.text ? -1 : 1;
    if (c !== 0) return c;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Release numbers compared pairwise, a missing number counting as 0 (so 1.2 == 1.2.0). */
export function compareRelease(a: readonly string[], b: readonly string[]): Ordering {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareDigits(a[i] ?? '0', b[i] ?? '0');
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * SemVer precedence. Build metadata is ignored (SemVer §10) unless `buildCounts`, as in Dart's
 * pub_semver, where a build sorts after the bare version and builds compare like pre-releases.
 */
export function compareSemverLike(a: SemverLike, b: SemverLike, buildCounts = false): Ordering {
  const r = compareRelease(a.release, b.release);
  if (r !== 0) return r;
  const p = comparePresence(a.pre.length, b.pre.length, -1) || compareIdentifiers(a.pre, b.pre);
  if (p !== 0 || !buildCounts) return p;
  return comparePresence(a.build.length, b.build.length, 1) || compareIdentifiers(a.build, b.build);
}

/** When exactly one side has the part: `present` is the sign for the side that has it. */
function comparePresence(a: number, b: number, present: Ordering): Ordering {
  if ((a === 0) === (b === 0)) return 0;
  return a > 0 ? present : (-present as Ordering);
}

/** Canonical text: numbers without leading zeros, no "v", pre-release after "-", build after "+". */
export function formatSemverLike(v: SemverLike): string {
  const pre = v.pre.length ? `-${v.pre.map((i) => i.text).join('.')}` : '';
  const build = v.build.length ? `+${v.build.map((i) => i.text).join('.')}` : '';
  return `${v.release.join('.')}${pre}${build}`;
}
