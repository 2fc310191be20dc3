/**
 * PEP 440 specifier sets (`>=1.0,!=1.3.*,<2`) with the semantics of pypa/packaging 26: the
 * exclusive `<`/`>` rules, local-label handling of `==`/`!=`/`<=`, prefix matching, `~=` and `===`.
 */
import {
  comparePep440,
  isPrerelease,
  isSamePublic,
  makeVersion,
  type Num,
  type Pep440Version,
  parsePep440,
} from './version.js';

export type SpecOperator = '~=' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '===';

export interface Specifier {
  readonly op: SpecOperator;
  /** The version text after the operator, as written. */
  readonly text: string;
  /** Parsed spec version (the base version for wildcards); absent for `===`. */
  readonly version?: Pep440Version;
  readonly wildcard: boolean;
  readonly hasLocal: boolean;
}

export interface SpecifierOptions {
  /** `false` rejects pre-releases; otherwise a single candidate pre-release may match (packaging 26). */
  readonly prereleases?: boolean;
}

const CORE = 'v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*';
const PRE = '(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?';
const POST = '(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?';
const DEV = '(?:[-_.]?dev[-_.]?[0-9]*)?';
const LOCAL = '(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?';

// One pattern per operator family, as in packaging's Specifier regex.
const PATTERNS: readonly RegExp[] = [
  /^\s*(===)\s*([^\s;)]*)\s*$/,
  new RegExp(`^\\s*(==|!=)\\s*(${CORE}(?:\\.\\*|${PRE}${POST}${DEV}${LOCAL}))\\s*$`, 'i'),
  new RegExp(`^\\s*(~=)\\s*(v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)+${PRE}${POST}${DEV})\\s*$`, 'i'),
  new RegExp(`^\\s*(<=|>=|<|>)\\s*(${CORE}${PRE}${POST}${DEV})\\s*$`, 'i'),
];

/** Parses one specifier; undefined when it is not valid PEP 440 specifier syntax. */
export function parseSpecifier(spec: string): Specifier | undefined {
  for (const re of PATTERNS) {
    const m = re.exec(spec);
    if (!m) continue;
    const op = m[1] as SpecOperator;
    const text = m[2]!;
    if (op === '===') return { op, text, wildcard: false, hasLocal: false };
    const wildcard = text.endsWith('.*');
    const version = parsePep440(wildcard ? text.slice(0, -2) : text);
    if (!version) return undefined;
    return { op, text, version, wildcard, hasLocal: text.includes('+') };
  }
  return undefined;
}

/** Splits a specifier set on commas; undefined when any member is invalid. */
export function parseSpecifierSet(set: string): Specifier[] | undefined {
  const specs: Specifier[] = [];
  for (const piece of set.split(',')) {
    if (piece.trim() === '') continue;
    const spec = parseSpecifier(piece);
    if (!spec) return undefined;
    specs.push(spec);
  }
  return specs;
}

function add(n: Num, k: number): Num {
  return typeof n === 'bigint'
    ? n + BigInt(k)
    : n + k >= Number.MAX_SAFE_INTEGER
      ? BigInt(n) + BigInt(k)
      : n + k;
}

/** `1.2` -> `1.3.dev0`: the smallest version after every version with that release prefix. */
function nextPrefixDev0(epoch: Num, release: readonly Num[]): Pep440Version {
  const bumped = [...release.slice(0, -1), add(release[release.length - 1]!, 1)];
  return makeVersion(epoch, bumped, { dev: 0 });
}

function inPrefix(v: Pep440Version, base: Pep440Version): boolean {
  const lower = makeVersion(base.epoch, base.release, { dev: 0 });
  return comparePep440(v, lower) >= 0 && comparePep440(v, nextPrefixDev0(base.epoch, base.release)) < 0;
}

function isEqual(v: Pep440Version, spec: Specifier, s: Pep440Version): boolean {
  if (spec.wildcard) return inPrefix(v, s);
  const c = comparePep440(v, s);
  if (spec.hasLocal) return c === 0;
  return c === 0 || (c > 0 && isSamePublic(v, s));
}

// `>V` excludes V's post-releases (unless V is one) and V's local versions (PEP 440).
function isGreater(v: Pep440Version, s: Pep440Version): boolean {
  if (s.dev !== null) return comparePep440(v, { ...s, dev: add(s.dev, 1), local: null }) >= 0;
  if (s.post !== null) {
    return (
      comparePep440(v, makeVersion(s.epoch, s.release, { pre: s.pre, post: add(s.post, 1), dev: 0 })) >= 0
    );
  }
  if (comparePep440(v, s) <= 0) return false;
  const postFamily = isSamePublic({ ...v, post: null, dev: v.post === null ? v.dev : null }, s);
  return !postFamily;
}

// `<V` excludes V's pre-releases unless V is one itself.
function isLess(v: Pep440Version, s: Pep440Version): boolean {
  const bound = isPrerelease(s) ? s : { ...s, dev: 0, local: null };
  return comparePep440(v, bound) < 0;
}

function containsParsed(v: Pep440Version, spec: Specifier): boolean {
  const s = spec.version!;
  switch (spec.op) {
    case '==':
      return isEqual(v, spec, s);
    case '!=':
      return !isEqual(v, spec, s);
    case '>=':
      return comparePep440(v, s) >= 0;
    case '<=':
      return comparePep440(v, s) <= 0 || isSamePublic(v, s);
    case '>':
      return isGreater(v, s);
    case '<':
      return isLess(v, s);
    case '~=':
      return (
        comparePep440(v, s) >= 0 && comparePep440(v, nextPrefixDev0(s.epoch, s.release.slice(0, -1))) < 0
      );
    default:
      return false;
  }
}

/**
 * Whether `raw` satisfies every specifier. Strings that are not PEP 440 versions only ever match
 * `===` (a case-insensitive string comparison) or an empty set, as in packaging 26.
 */
export function setContains(
  specs: readonly Specifier[],
  raw: string,
  options: SpecifierOptions = {},
): boolean {
  const parsed = parsePep440(raw);
  if (parsed && options.prereleases === false && isPrerelease(parsed)) return false;
  for (const spec of specs) {
    if (spec.op === '===') {
      if (raw.toLowerCase() !== spec.text.toLowerCase()) return false;
    } else if (!parsed || !containsParsed(parsed, spec)) {
      return false;
    }
  }
  return true;
}
