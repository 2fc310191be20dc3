/**
 * `Gem::Version` (RubyGems): validity, canonical segments and `<=>`, plus the helpers
 * `Gem::Requirement` needs (`release`, `bump`).
 */

export type Num = number | bigint;
export type Segment = Num | string;

export interface GemVersion {
  /** The version string after RubyGems' own clean-up (stripped, `-` rewritten to `.pre.`). */
  readonly version: string;
  readonly segments: readonly Segment[];
  /** Numeric part and string part, each without trailing zeros: what ordering compares. */
  readonly canonical: readonly Segment[];
  readonly prerelease: boolean;
}

// Gem::Version::ANCHORED_VERSION_PATTERN; an empty or blank string is the version "0".
const VERSION_RE = /^\s*([0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?\s*$/;
export const VERSION_PATTERN = '[0-9]+(?:\\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?';

function toNum(digits: string): Num {
  const body = digits.replace(/^0+(?=.)/, '');
  return body.length <= 15 ? Number(body) : BigInt(body);
}

function dropTrailingZeros(segments: Segment[]): Segment[] {
  let end = segments.length;
  while (end > 0 && segments[end - 1] === 0) end--;
  return segments.slice(0, end);
}

function canonicalOf(segments: readonly Segment[]): Segment[] {
  const firstString = segments.findIndex((s) => typeof s === 'string');
  const split = firstString < 0 ? segments.length : firstString;
  return [...dropTrailingZeros(segments.slice(0, split)), ...dropTrailingZeros(segments.slice(split))];
}

/** Parses a version as `Gem::Version.new` does; undefined when `Gem::Version.correct?` is false. */
export function parseGemVersion(input: string): GemVersion | undefined {
  if (!VERSION_RE.test(input)) return undefined;
  const cleaned = input.trim() === '' ? '0' : input.trim().replaceAll('-', '.pre.');
  const segments = (cleaned.match(/[0-9]+|[a-z]+/gi) ?? []).map((s) => (/^[0-9]/.test(s) ? toNum(s) : s));
  return {
    version: cleaned,
    segments,
    canonical: canonicalOf(segments),
    prerelease: /[a-zA-Z]/.test(cleaned),
  };
}

function compareSegment(a: Segment, b: Segment): -1 | 0 | 1 {
  if (a === b) return 0;
  const aString = typeof a === 'string';
  if (aString !== (typeof b === 'string')) return aString ? -1 : 1;
  return a < b ? -1 : 1;
}

/** `Gem::Version#<=>`: missing segments count as 0; strings sort before numbers. */
export function compareGemVersions(a: GemVersion, b: GemVersion): -1 | 0 | 1 {
  if (a.version === b.version) return 0;
  const n = Math.max(a.canonical.length, b.canonical.length);
  for (let i = 0; i < n; i++) {
    const c = compareSegment(a.canonical[i] ?? 0, b.canonical[i] ?? 0);
    if (c !== 0) return c;
  }
  return 0;
}

/** `Gem::Version#release`: the version without its pre-release part. */
export function releaseOf(v: GemVersion): GemVersion {
  if (!v.prerelease) return v;
  const segments = [...v.segments];
  while (segments.some((s) => typeof s === 'string')) segments.pop();
  return parseGemVersion(segments.join('.'))!;
}

/** `Gem::Version#bump`: drop pre-release parts and the last segment, then increment (`1.4.4` -> `1.5`). */
export function bumpOf(v: GemVersion): GemVersion {
  const segments = [...v.segments];
  while (segments.some((s) => typeof s === 'string')) segments.pop();
  if (segments.length > 1) segments.pop();
  const last = segments[segments.length - 1] as Num;
  segments[segments.length - 1] = typeof last === 'bigint' ? last + 1n : last + 1;
  return parseGemVersion(segments.join('.'))!;
}
