/**
 * PHP's `version_compare()` (ext/standard/versioning.c): canonicalise (`-`, `_`, `+` and other
 * non-alphanumerics become `.`, a `.` is inserted between digits and letters), then compare the
 * dot-separated parts: numbers numerically, words by their special form
 * (unknown < `dev` < `alpha`=`a` < `beta`=`b` < `RC`=`rc` < number < `pl`=`p`).
 * Numbers are compared with arbitrary precision where PHP's `strtol` would saturate.
 */

const SPECIAL_FORMS: readonly (readonly [string, number])[] = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];
const NUMBER_FORM = '#N#';

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isAlnum(c: string): boolean {
  return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/** php_canonicalize_version. */
export function canonicalizePhpVersion(version: string): string {
  if (version === '') return '';
  let out = version[0]!;
  let previous = out;
  for (let i = 1; i < version.length; i++) {
    const c = version[i]!;
    const last = out[out.length - 1];
    const transition = previous !== '.' && c !== '.' && isDigit(previous) !== isDigit(c);
    if (c === '-' || c === '_' || c === '+') {
      if (last !== '.') out += '.';
    } else if (transition) {
      if (last !== '.') out += '.';
      out += c;
    } else if (!isAlnum(c)) {
      if (last !== '.') out += '.';
    } else {
      out += c;
    }
    previous = c;
  }
  return out;
}

function specialForm(form: string): number {
  for (const [name, order] of SPECIAL_FORMS) {
    if (form.startsWith(name)) return order;
  }
  return -1;
}

function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  if (x === y) return 0;
  return x < y ? -1 : 1;
}

function compareParts(a: string, b: string): number {
  const aNum = isDigit(a[0]);
  const bNum = isDigit(b[0]);
  if (aNum && bNum) return compareDigits(a, b);
  return Math.sign(specialForm(aNum ? NUMBER_FORM : a) - specialForm(bNum ? NUMBER_FORM : b));
}

function isRestEmpty(parts: readonly string[], k: number): boolean {
  return k === parts.length - 1 && parts[k] === '';
}

/** php_version_compare on canonical strings (`#`-prefixed strings are used as they are). */
function compareCanonical(v1: string, v2: string): number {
  if (v1 === '' || v2 === '') return v1 === v2 ? 0 : v1 === '' ? -1 : 1;
  const a = v1.split('.');
  const b = v2.split('.');
  let i = 0;
  let j = 0;
  let hasNextA = true;
  let hasNextB = true;
  // PHP walks both strings part by part while both have a following part and text left
  while (!isRestEmpty(a, i) && !isRestEmpty(b, j) && hasNextA && hasNextB) {
    hasNextA = i < a.length - 1;
    hasNextB = j < b.length - 1;
    const c = compareParts(a[i]!, b[j]!);
    if (c !== 0) return c;
    if (hasNextA) i++;
    if (hasNextB) j++;
  }
  if (hasNextA) return compareRest(a.slice(i).join('.'), 1);
  if (hasNextB) return -compareRest(b.slice(j).join('.'), 1);
  return 0;
}

// What is left of the longer version against "a number": digits win, words by their special form.
function compareRest(rest: string, digitResult: number): number {
  if (isDigit(rest[0])) return digitResult;
  return compareCanonical(rest.startsWith('#') ? rest : canonicalizePhpVersion(rest), NUMBER_FORM);
}

/** `version_compare($a, $b)` as -1, 0 or 1; identical canonical forms compare equal. */
export function phpVersionCompare(a: string, b: string): -1 | 0 | 1 {
  const x = a.startsWith('#') ? a : canonicalizePhpVersion(a);
  const y = b.startsWith('#') ? b : canonicalizePhpVersion(b);
  if (x === y) return 0;
  return Math.sign(compareCanonical(x, y)) as -1 | 0 | 1;
}

const OPERATORS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0,
  lt: (c) => c < 0,
  '<=': (c) => c <= 0,
  le: (c) => c <= 0,
  '>': (c) => c > 0,
  gt: (c) => c > 0,
  '>=': (c) => c >= 0,
  ge: (c) => c >= 0,
  '==': (c) => c === 0,
  '=': (c) => c === 0,
  eq: (c) => c === 0,
  '!=': (c) => c !== 0,
  '<>': (c) => c !== 0,
  ne: (c) => c !== 0,
};

/** `version_compare($a, $b, $operator)`; undefined for an unknown operator. */
export function phpVersionCompareOp(a: string, b: string, operator: string): boolean | undefined {
  const test = OPERATORS[operator];
  return test ? test(phpVersionCompare(a, b)) : undefined;
}
