/**
 * The item model of Maven's ComparableVersion (maven-artifact, current 3.9.x/4.x line): numbers,
 * qualifiers, "combination" items such as `rc1`, and nested lists opened by `-` or by a
 * digit/letter transition. Ordering rules follow the Java classes one for one.
 */

export type Num = number | bigint;

export interface NumItem {
  readonly type: 'num';
  readonly value: Num;
}
export interface StringItem {
  readonly type: 'str';
  readonly value: string;
  /** `comparableQualifier(value)`: known qualifiers by rank, unknown ones after them lexically. */
  readonly key: string;
}
export interface CombinationItem {
  readonly type: 'combo';
  readonly str: StringItem;
  readonly digit: NumItem;
}
export interface ListItem {
  readonly type: 'list';
  readonly items: Item[];
}
export type Item = NumItem | StringItem | CombinationItem | ListItem;

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const RELEASE_QUALIFIERS = new Set(['ga', 'final', 'release']);
const RELEASE_KEY = String(QUALIFIERS.indexOf(''));
const SHORT_FORMS: Record<string, string> = { a: 'alpha', b: 'beta', m: 'milestone' };

function qualifierKey(value: string): string {
  if (RELEASE_QUALIFIERS.has(value)) return RELEASE_KEY;
  const i = QUALIFIERS.indexOf(value);
  return i === -1 ? `${QUALIFIERS.length}-${value}` : String(i);
}

export function makeString(raw: string, followedByDigit: boolean): StringItem {
  let value = followedByDigit && raw.length === 1 ? (SHORT_FORMS[raw] ?? raw) : raw;
  if (value === 'cr') value = 'rc';
  return { type: 'str', value, key: qualifierKey(value) };
}

export function makeNumber(digits: string): NumItem {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  const body = digits.slice(i);
  return { type: 'num', value: body.length <= 15 ? Number(body) : BigInt(body) };
}

export function makeCombination(raw: string): CombinationItem {
  const text = raw.replaceAll('-', '');
  let index = 0;
  while (index < text.length && !isDigitCode(text.charCodeAt(index))) index++;
  return { type: 'combo', str: makeString(text.slice(0, index), true), digit: makeNumber(text.slice(index)) };
}

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isNullItem(item: Item): boolean {
  switch (item.type) {
    case 'num':
      return item.value === 0;
    case 'str':
      return item.value === '';
    case 'combo':
      return false;
    default:
      return item.items.length === 0;
  }
}

function sign(a: string | Num, b: string | Num): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function compareNumber(a: NumItem, b: Item | null): number {
  if (b === null) return a.value === 0 ? 0 : 1;
  return b.type === 'num' ? sign(a.value, b.value) : 1;
}

function compareString(a: StringItem, b: Item | null): number {
  if (b === null) return sign(a.key, RELEASE_KEY);
  switch (b.type) {
    case 'num':
      return -1;
    case 'str':
      return sign(a.key, b.key);
    case 'combo': {
      const r = compareString(a, b.str);
      if (r !== 0) return r;
      return compareString(a, null) === 0 ? -compareNumber(b.digit, null) : -1;
    }
    default:
      return -compareList(b, a);
  }
}

function compareCombination(a: CombinationItem, b: Item | null): number {
  if (b === null) {
    const r = compareString(a.str, null);
    return r === 0 ? compareNumber(a.digit, null) : r;
  }
  switch (b.type) {
    case 'num':
      return -1;
    case 'str': {
      const r = compareString(a.str, b);
      if (r !== 0) return r;
      return compareString(a.str, null) === 0 ? compareNumber(a.digit, null) : 1;
    }
    case 'combo': {
      const r = compareString(a.str, b.str);
      return r === 0 ? compareNumber(a.digit, b.digit) : r;
    }
    default:
      return -compareList(b, a);
  }
}

function compareList(a: ListItem, b: Item | null): number {
  const items = a.items;
  if (b === null) {
    for (const item of items) {
      const r = compareItem(item, null);
      if (r !== 0) return r;
    }
    return 0;
  }
  if (b.type === 'num') return -1;
  if (b.type === 'list') return compareLists(items, b.items);
  let r = items.length === 0 ? -compareItem(b, null) : compareItem(items[0]!, b);
  for (let i = 1; r === 0 && i < items.length; i++) r = compareItem(items[i]!, null);
  return r;
}

function compareLists(left: readonly Item[], right: readonly Item[]): number {
  const n = Math.max(left.length, right.length);
  for (let i = 0; i < n; i++) {
    const l = left[i];
    const r = right[i];
    const c = l === undefined ? (r === undefined ? 0 : -compareItem(r, null)) : compareItem(l, r ?? null);
    if (c !== 0) return c;
  }
  return 0;
}

/** `Item.compareTo`: negative, zero or positive. `null` stands for a missing item (padding). */
export function compareItem(a: Item, b: Item | null): number {
  switch (a.type) {
    case 'num':
      return compareNumber(a, b);
    case 'str':
      return compareString(a, b);
    case 'combo':
      return compareCombination(a, b);
    default:
      return compareList(a, b);
  }
}

/** `ListItem.toString`: the canonical form Maven prints. */
export function formatItem(item: Item): string {
  switch (item.type) {
    case 'num':
      return String(item.value);
    case 'str':
      return item.value;
    case 'combo':
      return item.str.value + String(item.digit.value);
    default: {
      let out = '';
      for (const child of item.items) {
        if (out.length > 0) out += child.type === 'list' ? '-' : '.';
        out += formatItem(child);
      }
      return out;
    }
  }
}
