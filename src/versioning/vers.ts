/**
 * purl `vers:` version range specifiers (https://github.com/package-url/vers-spec):
 * `vers:<type>/<constraint>|<constraint>…`, keyed to the schemes of this module.
 *
 * - `parseVers(text, 'canonical')` is the spec's strict parse: no whitespace, no empty or
 *   leading/trailing constraints, no "=" comparator, percent-encoding valid and upper-case,
 *   constraints sorted by version without duplicates or redundant comparator sequences. The default
 *   mode checks the syntax the same way but puts constraints in order itself.
 * - `normalizeVers` is the forgiving reading that returns the canonical string (spaces dropped
 *   around separators, constraints sorted by version), as the spec's "validate" tests expect.
 * - `contains` follows the spec's containment algorithm with the type's scheme.
 */
import { getVersionSchemeById } from './ecosystems.js';
import { InvalidRangeError, InvalidVersionError } from './errors.js';
import type { VersionScheme } from './types.js';

export type VersComparator = '=' | '!=' | '<' | '<=' | '>' | '>=' | '*';

export interface VersConstraint {
  readonly comparator: VersComparator;
  /** The decoded version ("" for "*"). */
  readonly version: string;
}

export interface VersRange {
  readonly type: string;
  readonly constraints: readonly VersConstraint[];
  /** Whether `version` is in the range. Throws for an unknown type or an invalid version. */
  contains(version: string): boolean;
  /** The canonical `vers:` string. */
  toString(): string;
}

/** vers type → scheme id. `lexicographic` and `datetime` are built in. */
export const VERS_TYPES: Readonly<Record<string, string>> = {
  alpine: 'apk',
  apk: 'apk',
  cargo: 'cargo',
  cocoapods: 'cocoapods',
  composer: 'packagist',
  conan: 'conan',
  cran: 'cran',
  deb: 'dpkg',
  gem: 'rubygems',
  golang: 'go',
  hackage: 'hackage',
  hex: 'hex',
  maven: 'maven',
  npm: 'npm',
  nuget: 'nuget',
  pub: 'pub',
  pypi: 'pep440',
  rpm: 'rpm',
  semver: 'semver',
};

const COMPARATORS: readonly VersComparator[] = ['>=', '<=', '!=', '<', '>'];
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

const lexicographic: Pick<VersionScheme, 'id' | 'compare' | 'isValid'> = {
  id: 'lexicographic',
  compare: (a, b) => (a === b ? 0 : a < b ? -1 : 1),
  isValid: (v) => typeof v === 'string' && v.length > 0,
};
const datetime: Pick<VersionScheme, 'id' | 'compare' | 'isValid'> = {
  id: 'datetime',
  compare: (a, b) => {
    for (const v of [a, b]) if (!DATETIME.test(v)) throw new InvalidVersionError('datetime', v);
    const d = Date.parse(a) - Date.parse(b);
    return d === 0 ? 0 : d < 0 ? -1 : 1;
  },
  isValid: (v) => DATETIME.test(v),
};

/** The ordering used for a vers type; throws for a type without one. */
export function getVersScheme(type: string): Pick<VersionScheme, 'id' | 'compare' | 'isValid'> {
  if (type === 'lexicographic') return lexicographic;
  if (type === 'datetime') return datetime;
  const id = Object.hasOwn(VERS_TYPES, type) ? VERS_TYPES[type] : undefined;
  if (!id)
    throw new InvalidRangeError(
      'vers',
      `vers:${type}/…`,
      `no versioning scheme for vers type ${JSON.stringify(type)}`,
    );
  return getVersionSchemeById(id);
}

function fail(input: string, reason: string): never {
  throw new InvalidRangeError('vers', input, reason);
}

/** Decodes %XX triplets once; `strict` also rejects lower-case hex (non-canonical). */
function decodeVersion(input: string, raw: string, strict: boolean): string {
  if (/%(?![0-9A-Fa-f]{2})/.test(raw)) fail(input, 'invalid percent-encoding in version');
  if (strict && /%(?:[0-9A-F][a-f]|[a-f][0-9A-Fa-f])/.test(raw))
    fail(input, 'percent-encoding in version is not canonical');
  try {
    return decodeURIComponent(raw);
  } catch {
    return fail(input, 'invalid percent-encoding in version');
  }
}

/** Percent-encodes what may not appear raw in a canonical version. */
function encodeVersion(version: string): string {
  return Array.from(version, (ch) =>
    /^[\x21-\x7e]$/.test(ch) && ch !== '%' && ch !== '|' ? ch : encodeURIComponent(ch).replace(/!/g, '%21'),
  ).join('');
}

function splitHead(input: string, strict: boolean): { type: string; body: string } {
  const colon = input.indexOf(':');
  const uri = colon === -1 ? '' : input.slice(0, colon);
  if ((strict ? uri : uri.toLowerCase()) !== 'vers') fail(input, 'must start with "vers:"');
  const rest = input.slice(colon + 1);
  const slash = rest.indexOf('/');
  if (slash === -1) fail(input, 'missing "/" after the type');
  const type = rest.slice(0, slash);
  if (!/^[A-Za-z0-9.+-]+$/.test(type) || (strict && type !== type.toLowerCase())) fail(input, 'invalid type');
  const body = rest.slice(slash + 1);
  if (body === '') fail(input, 'no constraints');
  return { type: type.toLowerCase(), body };
}

function readConstraint(input: string, type: string, text: string, strict: boolean): VersConstraint {
  if (text === '')
    fail(input, strict ? 'empty constraint (leading, trailing or consecutive pipe)' : 'empty constraint');
  if (text === '*') fail(input, '"*" must be the only constraint');
  if (strict && text.startsWith('=')) fail(input, 'equality is a bare version, without "="');
  const comparator = COMPARATORS.find((c) => text.startsWith(c));
  const raw = (comparator ? text.slice(comparator.length) : text.replace(/^=+/, '')).trim();
  if (raw === '') fail(input, 'empty version');
  if (type === 'datetime' && /%3A/i.test(raw)) fail(input, 'datetime time colons must be unencoded');
  const version = decodeVersion(input, raw, strict);
  if (type === 'datetime' && !DATETIME.test(version))
    fail(input, 'datetime must be RFC 3339 with upper-case T and Z');
  return { comparator: comparator ?? '=', version };
}

function compareConstraints(input: string, type: string, a: VersConstraint, b: VersConstraint): number {
  try {
    return getVersScheme(type).compare(a.version, b.version);
  } catch (error) {
    if (error instanceof InvalidRangeError) throw error;
    return fail(input, error instanceof Error ? error.message : 'cannot order versions');
  }
}

const LOWER: ReadonlySet<VersComparator> = new Set(['=', '<', '<=']);
const UPPER: ReadonlySet<VersComparator> = new Set(['>', '>=']);

/** Spec rules for a canonical list: strictly increasing versions, no redundant comparator pairs. */
function checkCanonical(input: string, type: string, constraints: readonly VersConstraint[]): void {
  for (let i = 1; i < constraints.length; i++) {
    const c = compareConstraints(
      input,
      type,
      constraints[i - 1] as VersConstraint,
      constraints[i] as VersConstraint,
    );
    if (c > 0) fail(input, 'constraints are not sorted by version');
    if (c === 0) fail(input, 'duplicate version');
  }
  const ordered = constraints.filter((c) => c.comparator !== '!=');
  for (let i = 1; i < ordered.length; i++) {
    const prev = (ordered[i - 1] as VersConstraint).comparator;
    const next = (ordered[i] as VersConstraint).comparator;
    const redundant =
      (LOWER.has(prev) && (next === '<' || next === '<=')) ||
      (UPPER.has(prev) && (next === '=' || UPPER.has(next)));
    if (redundant) fail(input, `redundant comparators ${prev} then ${next}`);
  }
}

function makeRange(type: string, constraints: readonly VersConstraint[]): VersRange {
  return {
    type,
    constraints,
    contains: (version: string) => containsVersion(type, constraints, version),
    toString: () => formatVers(type, constraints),
  };
}

/** How strictly to read: the spec's canonical parse, syntax only (order fixed up), or forgiving. */
export type VersParseMode = 'canonical' | 'syntax' | 'forgiving';

function parse(input: string, mode: VersParseMode): VersRange {
  const strict = mode !== 'forgiving';
  if (typeof input !== 'string') fail(String(input), 'not a string');
  if (strict && /\s/.test(input)) fail(input, 'whitespace is not permitted');
  const { type, body } = splitHead(strict ? input : input.trim(), strict);
  if (body.trim() === '*') return makeRange(type, [{ comparator: '*', version: '' }]);
  const parts = (strict ? body : body.trim().replace(/^\|+|\|+$/g, '')).split('|');
  const constraints = parts.map((part) => readConstraint(input, type, strict ? part : part.trim(), strict));
  if (mode === 'canonical') {
    if (constraints.length > 1) checkCanonical(input, type, constraints);
    return makeRange(type, constraints);
  }
  return makeRange(type, sortConstraints(input, type, constraints));
}

/** Stable sort by version, then comparator (the order univers and the spec examples use). */
export function sortConstraints(
  input: string,
  type: string,
  constraints: readonly VersConstraint[],
): VersConstraint[] {
  if (constraints.length < 2) return [...constraints];
  return [...constraints].sort(
    (a, b) =>
      compareConstraints(input, type, a, b) ||
      (a.comparator < b.comparator ? -1 : a.comparator > b.comparator ? 1 : 0),
  );
}

/**
 * Parses a `vers:` string. By default (`syntax`) the text must be well-formed (no whitespace, no
 * empty constraint, valid percent-encoding) and constraints are put in version order; `canonical`
 * also rejects out-of-order, duplicate and redundant constraints, as the spec's parse tests do;
 * `forgiving` tolerates spaces and stray pipes. Throws `InvalidRangeError`.
 */
export function parseVers(input: string, mode: VersParseMode = 'syntax'): VersRange {
  return parse(input, mode);
}

/** The canonical string of a possibly non-canonical `vers:` (the spec's "validate"). */
export function normalizeVers(input: string): string {
  return parse(input, 'forgiving').toString();
}

export function formatVers(type: string, constraints: readonly VersConstraint[]): string {
  const body = constraints
    .map((c) =>
      c.comparator === '*' ? '*' : `${c.comparator === '=' ? '' : c.comparator}${encodeVersion(c.version)}`,
    )
    .join('|');
  return `vers:${type}/${body}`;
}

function containsVersion(type: string, constraints: readonly VersConstraint[], version: string): boolean {
  if (constraints.length === 1 && constraints[0]?.comparator === '*') return true;
  const scheme = getVersScheme(type);
  if (!scheme.isValid(version)) throw new InvalidVersionError(scheme.id, String(version));
  const cmp = (c: VersConstraint) => scheme.compare(version, c.version);
  for (const c of constraints)
    if ((c.comparator === '=' || c.comparator === '<=' || c.comparator === '>=') && cmp(c) === 0) return true;
  for (const c of constraints) if (c.comparator === '!=' && cmp(c) === 0) return false;
  const ranged = constraints.filter((c) => c.comparator !== '=' && c.comparator !== '!=');
  // Only "!=" constraints: everything else is in.
  if (ranged.length === 0) return constraints.every((c) => c.comparator === '!=');
  const first = ranged[0] as VersConstraint;
  const last = ranged[ranged.length - 1] as VersConstraint;
  if ((first.comparator === '<' || first.comparator === '<=') && cmp(first) < 0) return true;
  if ((last.comparator === '>' || last.comparator === '>=') && cmp(last) > 0) return true;
  for (let i = 0; i + 1 < ranged.length; i++) {
    const low = ranged[i] as VersConstraint;
    const high = ranged[i + 1] as VersConstraint;
    if (
      UPPER.has(low.comparator) &&
      (high.comparator === '<' || high.comparator === '<=') &&
      cmp(low) > 0 &&
      cmp(high) < 0
    ) {
      return true;
    }
  }
  return false;
}
