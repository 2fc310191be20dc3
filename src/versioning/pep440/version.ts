/**
 * PEP 440 versions as pypa/packaging (>= 22) reads them: parsing, the canonical string and the total
 * order (epoch, release without trailing zeros, pre, post, dev, local).
 */

/** A numeric component: a `number` while it is exact, a `bigint` beyond that (Python ints are unbounded). */
export type Num = number | bigint;

/** Pre-release labels in their order: `a` < `b` < `rc`. */
export type PreLabel = 'a' | 'b' | 'rc';

export interface Pep440Version {
  readonly kind: 'pep440';
  readonly epoch: Num;
  /** The release segment as written (leading zeros dropped), e.g. `[1, 0]` for `1.0`. */
  readonly release: readonly Num[];
  /** The release without trailing zeros; what ordering and the specifier families use. */
  readonly trimmed: readonly Num[];
  readonly pre: readonly [PreLabel, Num] | null;
  readonly post: Num | null;
  readonly dev: Num | null;
  /** Local label parts: numbers for all-digit parts, lower-cased strings otherwise. */
  readonly local: readonly (string | Num)[] | null;
}

// PEP 440 appendix B, the same grammar packaging uses (ASCII only, case-insensitive, blanks trimmed).
const VERSION_RE = new RegExp(
  '^\\s*v?(?:([0-9]+)!)?([0-9]+(?:\\.[0-9]+)*)' +
    '(?:[-_.]?(alpha|beta|preview|pre|a|b|c|rc)[-_.]?([0-9]+)?)?' +
    '(?:-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]+)?)?' +
    '(?:[-_.]?(dev)[-_.]?([0-9]+)?)?' +
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$',
  'i',
);

const PRE_LABELS: Record<string, PreLabel> = {
  a: 'a',
  alpha: 'a',
  b: 'b',
  beta: 'b',
  c: 'rc',
  rc: 'rc',
  pre: 'rc',
  preview: 'rc',
};
const PRE_RANK: Record<PreLabel, number> = { a: 0, b: 1, rc: 2 };

/** Reads a run of ASCII digits as an exact integer. */
export function toNum(digits: string): Num {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  const body = i === 0 ? digits : digits.slice(i);
  return body.length <= 15 ? Number(body) : BigInt(body);
}

export function compareNum(a: Num, b: Num): -1 | 0 | 1 {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function trimZeros(release: readonly Num[]): readonly Num[] {
  let end = release.length;
  while (end > 0 && release[end - 1] === 0) end--;
  return end === release.length ? release : release.slice(0, end);
}

/** Builds a version from its parts (used for specifier bounds such as `1.3.dev0`). */
export function makeVersion(
  epoch: Num,
  release: readonly Num[],
  parts: Partial<Pick<Pep440Version, 'pre' | 'post' | 'dev' | 'local'>> = {},
): Pep440Version {
  return {
    kind: 'pep440',
    epoch,
    release,
    trimmed: trimZeros(release),
    pre: parts.pre ?? null,
    post: parts.post ?? null,
    dev: parts.dev ?? null,
    local: parts.local ?? null,
  };
}

function parseLocal(text: string): (string | Num)[] {
  return text.split(/[-_.]/).map((part) => (/^[0-9]+$/.test(part) ? toNum(part) : part.toLowerCase()));
}

/** Parses a PEP 440 version, or returns undefined when the string is not one. */
export function parsePep440(input: string): Pep440Version | undefined {
  const m = VERSION_RE.exec(input);
  if (!m) return undefined;
  const [, epoch, release, preLabel, preNum, postDash, postLabel, postNum, devLabel, devNum, local] = m;
  const hasPost = postDash !== undefined || postLabel !== undefined;
  return makeVersion(epoch === undefined ? 0 : toNum(epoch), release!.split('.').map(toNum), {
    pre: preLabel === undefined ? null : [PRE_LABELS[preLabel.toLowerCase()]!, toNum(preNum ?? '0')],
    post: hasPost ? toNum(postDash ?? postNum ?? '0') : null,
    dev: devLabel === undefined ? null : toNum(devNum ?? '0'),
    local: local === undefined ? null : parseLocal(local),
  });
}

/** `str(Version(v))` in packaging: the canonical PEP 440 spelling. */
export function formatPep440(v: Pep440Version): string {
  let out = v.epoch === 0 ? '' : `${v.epoch}!`;
  out += v.release.join('.');
  if (v.pre) out += `${v.pre[0]}${v.pre[1]}`;
  if (v.post !== null) out += `.post${v.post}`;
  if (v.dev !== null) out += `.dev${v.dev}`;
  if (v.local) out += `+${v.local.join('.')}`;
  return out;
}

export function isPrerelease(v: Pep440Version): boolean {
  return v.pre !== null || v.dev !== null;
}

function compareReleases(a: readonly Num[], b: readonly Num[]): -1 | 0 | 1 {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareNum(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return compareNum(a.length, b.length);
}

// Sort keys of packaging's _cmpkey: a dev-only release sorts before every pre-release of the same
// release ("1.0.dev0" < "1.0a0"), a final release after them.
function preKey(v: Pep440Version): number {
  if (v.pre) return PRE_RANK[v.pre[0]];
  return v.post === null && v.dev !== null ? -1 : 3;
}

function compareSuffixes(a: Pep440Version, b: Pep440Version): -1 | 0 | 1 {
  const pa = preKey(a);
  const pb = preKey(b);
  if (pa !== pb) return pa < pb ? -1 : 1;
  if (a.pre && b.pre) {
    const c = compareNum(a.pre[1], b.pre[1]);
    if (c !== 0) return c;
  }
  if (a.post !== b.post) {
    if (a.post === null) return -1;
    if (b.post === null) return 1;
    const c = compareNum(a.post, b.post);
    if (c !== 0) return c;
  }
  if (a.dev !== b.dev) {
    if (a.dev === null) return 1;
    if (b.dev === null) return -1;
    const c = compareNum(a.dev, b.dev);
    if (c !== 0) return c;
  }
  return compareLocals(a.local, b.local);
}

// PEP 440 local labels: absent < present; per part, strings < numbers, strings lexically.
function compareLocals(a: Pep440Version['local'], b: Pep440Version['local']): -1 | 0 | 1 {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === 'string' || typeof y === 'string') {
      if (typeof x !== 'string') return 1;
      if (typeof y !== 'string') return -1;
      if (x !== y) return x < y ? -1 : 1;
      continue;
    }
    const c = compareNum(x, y);
    if (c !== 0) return c;
  }
  return compareNum(a.length, b.length);
}

/** packaging's Version ordering. */
export function comparePep440(a: Pep440Version, b: Pep440Version): -1 | 0 | 1 {
  if (a === b) return 0;
  const e = compareNum(a.epoch, b.epoch);
  if (e !== 0) return e;
  const r = compareReleases(a.trimmed, b.trimmed);
  if (r !== 0) return r;
  return compareSuffixes(a, b);
}

/** Same public version (epoch, release, pre, post, dev), local labels ignored. */
export function isSamePublic(a: Pep440Version, b: Pep440Version): boolean {
  if (compareNum(a.epoch, b.epoch) !== 0 || compareReleases(a.trimmed, b.trimmed) !== 0) return false;
  if ((a.pre === null) !== (b.pre === null)) return false;
  if (a.pre && b.pre && (a.pre[0] !== b.pre[0] || a.pre[1] !== b.pre[1])) return false;
  return a.post === b.post && a.dev === b.dev;
}
