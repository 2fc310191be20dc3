/**
 * Conan package versions (ConanCenter), ordered as Conan 2's `conan.internal.model.version.Version`.
 * See readme.md.
 */
import { InvalidVersionError } from '../errors.js';
import { makeParseCache } from '../parse-cache.js';
import type { Ordering, VersionScheme } from '../types.js';

const SCHEME = 'conan';
// Conan 2's reference grammar (RecipeReference.validate_ref), uppercase allowed, one character allowed.
const CONAN_VERSION = /^[a-zA-Z0-9_][a-zA-Z0-9_+.-]{0,100}$/;

/** One dot-separated item: an integer when it is all digits, else the text. */
type Item = bigint | string;

interface ConanVersion {
  /** The items without trailing zeros: what equality and order compare. */
  readonly items: readonly Item[];
  /** The pre-release after the first `-`, itself a dotted version. */
  readonly pre?: readonly Item[];
  /** The build metadata after the last `+`, itself a dotted version. */
  readonly build?: readonly Item[];
}

function toItems(text: string): Item[] {
  const items: Item[] = text.split('.').map((part) => (/^[0-9]+$/.test(part) ? BigInt(part) : part));
  while (items.length > 0 && items[items.length - 1] === 0n) items.pop();
  return items;
}

/** Splits as Conan does: the build at the last `+`, then the pre-release at the first `-`. */
function parseConanVersion(input: string): ConanVersion | undefined {
  if (typeof input !== 'string' || !CONAN_VERSION.test(input)) return undefined;
  const plus = input.lastIndexOf('+');
  const main = plus < 0 ? input : input.slice(0, plus);
  const dash = main.indexOf('-');
  return {
    items: toItems(dash < 0 ? main : main.slice(0, dash)),
    ...(dash < 0 ? {} : { pre: toItems(main.slice(dash + 1)) }),
    ...(plus < 0 ? {} : { build: toItems(input.slice(plus + 1)) }),
  };
}

/** Integers compare as numbers; an integer and a text compare as their strings (Conan's fallback). */
function compareItem(a: Item, b: Item): Ordering {
  if (a === b) return 0;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : 1;
  // An all-digit item is always read as an integer, so the two strings differ here.
  return String(a) < String(b) ? -1 : 1;
}

/** Python tuple order: the first differing item decides, else the shorter tuple is lower. */
function compareItems(a: readonly Item[], b: readonly Item[]): Ordering {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const order = compareItem(a[i] as Item, b[i] as Item);
    if (order !== 0) return order;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** A missing pre-release or build sorts below a present one (Python's `None` against a Version). */
function compareOptional(a: readonly Item[] | undefined, b: readonly Item[] | undefined): Ordering {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  return compareItems(a, b);
}

/** `Version.__lt__`: a pre-release sorts below the release with the same items. */
function compareConanVersions(a: ConanVersion, b: ConanVersion): Ordering {
  const main = compareItems(a.items, b.items);
  if (main !== 0) return main;
  if (a.pre && b.pre) return compareItems(a.pre, b.pre) || compareOptional(a.build, b.build);
  if (a.pre || b.pre) return a.pre ? -1 : 1;
  return compareOptional(a.build, b.build);
}

const cache = makeParseCache(parseConanVersion);

function getParsed(version: string): ConanVersion {
  const parsed = cache.get(version);
  if (!parsed)
    throw new InvalidVersionError(
      SCHEME,
      version,
      'expected letters, digits, "_", "+", "." or "-", starting with a letter, digit or "_" (e.g. 1.2.13, cci.20230101)',
    );
  return parsed;
}

/** ConanCenter recipe versions, ordered as Conan 2's `Version`. */
export const conanScheme = {
  id: SCHEME,
  ecosystems: ['ConanCenter'],
  compare: (a: string, b: string): Ordering => compareConanVersions(getParsed(a), getParsed(b)),
  isValid: (version: string): boolean => cache.get(version) !== undefined,
} satisfies VersionScheme;
