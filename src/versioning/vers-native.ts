/**
 * Native range syntax → `vers:` (the vers-spec "from_native" tests, which follow univers, the
 * reference implementation). Supported: npm (node-semver ranges), pypi (PEP 440 specifiers),
 * gem (Gem::Requirement), nuget (interval notation).
 */
import { InvalidRangeError } from './errors.js';
import { formatVers, sortConstraints, type VersComparator, type VersConstraint } from './vers.js';

function fail(type: string, native: string, reason: string): never {
  throw new InvalidRangeError(type, native, reason);
}

/**
 * semantic_version's `Version.coerce` as univers uses it for npm: pad to three numbers, drop
 * leading zeros, read the rest as pre-release / build.
 */
function coerceSemver(text: string): string {
  const m = /^\d+(?:\.\d+(?:\.\d+)?)?/.exec(text);
  if (!m) throw new Error(`not a version: ${text}`);
  const nums = m[0].split('.').map((n) => String(Number.parseInt(n, 10)));
  while (nums.length < 3) nums.push('0');
  let rest = text.slice(m[0].length).replace(/[^a-zA-Z0-9+.-]/g, '-');
  if (rest === '') return nums.join('.');
  let pre = '';
  let build = '';
  if (rest.startsWith('+') || rest.startsWith('.')) build = rest.slice(1);
  else {
    if (rest.startsWith('-')) rest = rest.slice(1);
    const plus = rest.indexOf('+');
    [pre, build] = plus === -1 ? [rest, ''] : [rest.slice(0, plus), rest.slice(plus + 1)];
  }
  build = build.replace(/\+/g, '.');
  return `${nums.join('.')}${pre ? `-${pre}` : ''}${build ? `+${build}` : ''}`;
}

interface Target {
  major: number;
  minor: number;
  patch: number;
  pre: string;
}

const fmt = (t: Target): string => `${t.major}.${t.minor}.${t.patch}${t.pre ? `-${t.pre}` : ''}`;
const c = (comparator: VersComparator, t: Target): VersConstraint => ({ comparator, version: fmt(t) });
// semantic_version's next_* keep a pre-release's own number when it is the one being released.
const nextMajor = (t: Target): Target => ({
  major: t.pre && !t.minor && !t.patch ? t.major : t.major + 1,
  minor: 0,
  patch: 0,
  pre: '',
});
const nextMinor = (t: Target): Target => ({
  major: t.major,
  minor: t.pre && !t.patch ? t.minor : t.minor + 1,
  patch: 0,
  pre: '',
});
const nextPatch = (t: Target): Target => ({
  major: t.major,
  minor: t.minor,
  patch: t.pre ? t.patch : t.patch + 1,
  pre: '',
});
const plain = (t: Target): Target => ({ ...t, pre: '' });

const NPM_BLOCK =
  /^v?(<|<=|>=|>|=|\^|~|)(x|X|\*|0|[1-9]\d*)(?:\.(x|X|\*|0|[1-9]\d*)(?:\.(x|X|\*|0|[1-9]\d*))?)?(?:-([a-zA-Z0-9.-]*))?(?:\+([a-zA-Z0-9.-]*))?$/;

/** One node-semver block the way semantic_version's NpmSpec reads it. */
function npmSimple(block: string): VersConstraint[] {
  const m = NPM_BLOCK.exec(block);
  if (!m) throw new Error(`invalid npm block ${block}`);
  const op = m[1] || '=';
  const num = (s: string | undefined) =>
    s === undefined || s === 'x' || s === 'X' || s === '*' ? undefined : Number(s);
  const [major, minor, patch] = [num(m[2]), num(m[3]), num(m[4])];
  const pre = m[5] ?? '';
  if ((major === undefined || minor === undefined || patch === undefined) && (pre || m[6]))
    throw new Error(`invalid npm block ${block}`);
  const t: Target = {
    major: major ?? 0,
    minor: minor ?? 0,
    patch: patch ?? 0,
    pre: patch === undefined ? '' : pre,
  };
  if (major === undefined) {
    if (op !== '=' && op !== '>=') throw new Error(`invalid npm block ${block}`);
    return [c('>=', t)];
  }
  if (op === '^') {
    const base = plain(t);
    const high = t.major
      ? nextMajor(base)
      : t.minor
        ? nextMinor(base)
        : minor === undefined
          ? nextMajor(base)
          : patch === undefined
            ? nextMinor(base)
            : nextPatch(base);
    return [c('>=', t), c('<', high)];
  }
  if (op === '~') return [c('>=', t), c('<', minor === undefined ? nextMajor(t) : nextMinor(t))];
  if (op === '=') {
    if (minor === undefined) return [c('>=', t), c('<', nextMajor(t))];
    if (patch === undefined) return [c('>=', t), c('<', nextMinor(t))];
    return [c('=', t)];
  }
  if (op === '>')
    return [
      minor === undefined ? c('>=', nextMajor(t)) : patch === undefined ? c('>=', nextMinor(t)) : c('>', t),
    ];
  if (op === '<=')
    return [
      minor === undefined ? c('<', nextMajor(t)) : patch === undefined ? c('<', nextMinor(t)) : c('<=', t),
    ];
  return [c(op as VersComparator, t)];
}

/** semantic_version NpmSpec: a block with a pre-release also admits pre-releases of its own patch. */
function npmSpec(expression: string): VersConstraint[] {
  const out: VersConstraint[] = [];
  for (const rawGroup of expression.split('||')) {
    const group = rawGroup.trim() || '>=0.0.0';
    const hyphen = group.indexOf(' - ');
    const simple =
      hyphen === -1
        ? group.split(' ').flatMap(npmSimple)
        : [...npmSimple(`>=${group.slice(0, hyphen)}`), ...npmSimple(`<=${group.slice(hyphen + 3)}`)];
    const withPre: VersConstraint[] = [];
    const withoutPre: VersConstraint[] = [];
    for (const k of simple) {
      const dash = k.version.indexOf('-');
      if (dash === -1) {
        withoutPre.push(k);
        continue;
      }
      const [ma = 0, mi = 0, pa = 0] = k.version.slice(0, dash).split('.').map(Number);
      if (k.comparator === '>' || k.comparator === '>=')
        withPre.push({ comparator: '<', version: `${ma}.${mi}.${pa + 1}` });
      else if (k.comparator === '<' || k.comparator === '<=')
        withPre.push({ comparator: '>=', version: `${ma}.${mi}.0` });
      withPre.push(k);
      withoutPre.push({ comparator: k.comparator, version: k.version.slice(0, dash) });
    }
    out.push(...dedupe(withPre), ...dedupe(withoutPre));
  }
  return out;
}

function dedupe(list: readonly VersConstraint[]): VersConstraint[] {
  const seen = new Set<string>();
  return list.filter(
    (k) => !seen.has(`${k.comparator}${k.version}`) && seen.add(`${k.comparator}${k.version}`) !== undefined,
  );
}

const NPM_COMPARATORS: Readonly<Record<string, VersComparator>> = {
  '==': '=',
  '<=': '<=',
  '>=': '>=',
  '<': '<',
  '>': '>',
  '=': '=',
};

function splitComparator(
  text: string,
  table: Readonly<Record<string, VersComparator>>,
  fallback: VersComparator,
): [VersComparator, string] {
  const op = Object.keys(table)
    .sort((a, b) => b.length - a.length)
    .find((k) => text.startsWith(k));
  return op ? [table[op] as VersComparator, text.slice(op.length)] : [fallback, text];
}

/** univers NpmVersionRange.from_native, token by token. */
function npmConstraints(native: string): VersConstraint[] {
  const out: VersConstraint[] = [];
  for (const group of native.split('||')) {
    if (group.includes(' - ')) {
      out.push(...npmSpec(group));
      continue;
    }
    let pending = '';
    for (const token of group.split(/\s+/).filter(Boolean)) {
      const joined = pending + token;
      if (Object.hasOwn(NPM_COMPARATORS, joined)) {
        pending = NPM_COMPARATORS[joined] as string;
        continue;
      }
      if (token.endsWith('.x') || (!pending && (token.startsWith('~') || token.startsWith('^'))))
        out.push(...npmSpec(token));
      else if (pending)
        out.push({
          comparator: pending as VersComparator,
          version: coerceSemver(token.replace(/^[vV]+/, '')),
        });
      else {
        const [op, version] = splitComparator(token, NPM_COMPARATORS, '=');
        out.push({ comparator: op, version: coerceSemver(version.replace(/^[vV]+/, '')) });
      }
      pending = '';
    }
  }
  return out;
}

const PEP440_OPS: Readonly<Record<string, VersComparator>> = {
  '===': '=',
  '==': '=',
  '!=': '!=',
  '<=': '<=',
  '>=': '>=',
  '<': '<',
  '>': '>',
};

/** PEP 440 specifier set; "~=" becomes its >= / < pair, "==X.*" its prefix range. */
function pypiConstraints(native: string): VersConstraint[] {
  const out: VersConstraint[] = [];
  for (const spec of native
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (spec.startsWith('~=')) {
      const version = spec.slice(2).trim();
      const release = version.split(/[^\d.]/)[0]?.split('.') ?? [];
      if (release.length < 2) throw new Error(`"~=" needs two release numbers: ${spec}`);
      const prefix = release.slice(0, -1);
      prefix[prefix.length - 1] = String(Number(prefix[prefix.length - 1]) + 1);
      out.push({ comparator: '>=', version }, { comparator: '<', version: prefix.join('.') });
      continue;
    }
    const [op, version] = splitComparator(spec, PEP440_OPS, '=');
    const v = version.trim();
    if (v.endsWith('.*') && (op === '=' || op === '!=')) {
      const parts = v.slice(0, -2).split('.');
      const upper = [...parts.slice(0, -1), String(Number(parts[parts.length - 1]) + 1)].join('.');
      if (op === '=')
        out.push({ comparator: '>=', version: parts.join('.') }, { comparator: '<', version: upper });
      else out.push({ comparator: '<', version: parts.join('.') }, { comparator: '>=', version: upper });
    } else out.push({ comparator: op, version: v });
  }
  return out;
}

const GEM_OPS: Readonly<Record<string, VersComparator>> = {
  '=': '=',
  '!=': '!=',
  '<=': '<=',
  '>=': '>=',
  '<': '<',
  '>': '>',
};

/** Gem::Requirement: "~> 2.0.8" is >= 2.0.8 and < 2.1 (drop the last number, bump the new last). */
function gemConstraints(native: string): VersConstraint[] {
  const out: VersConstraint[] = [];
  for (const req of native
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (req.startsWith('~>')) {
      const version = req.slice(2).trim();
      const nums = version.split('.').filter((s) => /^\d+$/.test(s));
      const upper = nums.length > 1 ? nums.slice(0, -1) : nums;
      upper[upper.length - 1] = String(Number(upper[upper.length - 1]) + 1);
      out.push({ comparator: '>=', version }, { comparator: '<', version: upper.join('.') });
      continue;
    }
    const [op, version] = splitComparator(req, GEM_OPS, '=');
    out.push({ comparator: op, version: version.trim() });
  }
  return out;
}

/** NuGet: a bare version is a minimum; intervals "[a, b)", "(,b]", "[a]". */
function nugetConstraints(native: string): VersConstraint[] {
  const text = native.trim();
  if (!/^[[(]/.test(text)) return [{ comparator: '>=', version: text }];
  const m = /^([[(])\s*([^,\])]*?)\s*(?:(,)\s*([^\])]*?)\s*)?([\])])$/.exec(text);
  if (!m) throw new Error(`invalid NuGet range ${native}`);
  const [, open, low = '', comma, high = '', close] = m;
  if (!comma) return [{ comparator: '=', version: low }];
  const out: VersConstraint[] = [];
  if (low) out.push({ comparator: open === '[' ? '>=' : '>', version: low });
  if (high) out.push({ comparator: close === ']' ? '<=' : '<', version: high });
  return out;
}

const CONVERTERS: Readonly<Record<string, (native: string) => VersConstraint[]>> = {
  gem: gemConstraints,
  npm: npmConstraints,
  nuget: nugetConstraints,
  pypi: pypiConstraints,
};

/** Converts a native range of `type` to a `vers:` string. Throws `InvalidRangeError`. */
export function versFromNative(type: string, native: string): string {
  const convert = Object.hasOwn(CONVERTERS, type) ? CONVERTERS[type] : undefined;
  if (!convert) fail(type, native, `no native range conversion for vers type ${JSON.stringify(type)}`);
  if (native.trim() === '*') return `vers:${type}/*`;
  let constraints: VersConstraint[];
  try {
    constraints = convert(native);
  } catch (error) {
    return fail(type, native, error instanceof Error ? error.message : 'cannot convert');
  }
  if (constraints.length === 0) fail(type, native, 'no constraints');
  return formatVers(type, sortConstraints(`vers:${type}/`, type, constraints));
}
