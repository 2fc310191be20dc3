/**
 * Maven version ranges as `VersionRange.createFromVersionSpec` reads them: `[1.0,2.0)`, `(,1.0],[1.2,)`,
 * `[1.5]`, and a bare `1.0` (a soft requirement, which contains every version).
 */

export interface Restriction {
  readonly lower?: string;
  readonly lowerInclusive: boolean;
  readonly upper?: string;
  readonly upperInclusive: boolean;
}

export interface MavenRange {
  readonly restrictions: readonly Restriction[];
  /** The recommended version of a soft requirement (`1.0`); it does not restrict. */
  readonly recommended?: string;
}

type Compare = (a: string, b: string) => number;

/** Thrown (as a plain Error) by the range parser; the scheme wraps it into InvalidRangeError. */
export class MavenRangeSyntaxError extends Error {}

function parseRestriction(spec: string, compare: Compare): Restriction {
  const lowerInclusive = spec.startsWith('[');
  const upperInclusive = spec.endsWith(']');
  const body = spec.slice(1, -1).trim();
  const comma = body.indexOf(',');
  if (comma < 0) {
    if (!lowerInclusive || !upperInclusive) throw new MavenRangeSyntaxError('single version must be in []');
    return { lower: body, lowerInclusive, upper: body, upperInclusive };
  }
  const lower = body.slice(0, comma).trim() || undefined;
  const upper = body.slice(comma + 1).trim() || undefined;
  if (lower !== undefined && upper !== undefined) {
    const c = compare(upper, lower);
    if (c < 0 || (c === 0 && !(lowerInclusive && upperInclusive))) {
      throw new MavenRangeSyntaxError('range defies version ordering');
    }
  }
  return { lower, lowerInclusive, upper, upperInclusive };
}

function closingIndex(rest: string): number {
  const paren = rest.indexOf(')');
  const bracket = rest.indexOf(']');
  if (bracket < 0 || (paren >= 0 && paren < bracket)) return paren;
  return bracket;
}

/** Parses a range spec; throws MavenRangeSyntaxError on malformed input. */
export function parseMavenRange(spec: string, compare: Compare): MavenRange {
  const restrictions: Restriction[] = [];
  let rest = spec.trim();
  let upperOfPrevious: string | undefined;
  while (rest.startsWith('[') || rest.startsWith('(')) {
    const end = closingIndex(rest);
    if (end < 0) throw new MavenRangeSyntaxError('unbounded range');
    const restriction = parseRestriction(rest.slice(0, end + 1), compare);
    if (upperOfPrevious !== undefined) {
      if (restriction.lower === undefined || compare(restriction.lower, upperOfPrevious) < 0) {
        throw new MavenRangeSyntaxError('ranges overlap');
      }
    }
    restrictions.push(restriction);
    upperOfPrevious = restriction.upper;
    rest = rest.slice(end + 1).trim();
    if (rest.startsWith(',')) rest = rest.slice(1).trim();
  }
  if (rest.length === 0) {
    if (restrictions.length === 0) throw new MavenRangeSyntaxError('empty range');
    return { restrictions };
  }
  if (restrictions.length > 0)
    throw new MavenRangeSyntaxError('only fully-qualified sets allowed with several sets');
  return { restrictions: [{ lowerInclusive: false, upperInclusive: false }], recommended: rest };
}

/** `Restriction.containsVersion` for each restriction; true when any contains the version. */
export function rangeContains(range: MavenRange, version: string, compare: Compare): boolean {
  return range.restrictions.some((r) => {
    if (r.lower !== undefined) {
      const c = compare(r.lower, version);
      if (c > 0 || (c === 0 && !r.lowerInclusive)) return false;
    }
    if (r.upper !== undefined) {
      const c = compare(r.upper, version);
      if (c < 0 || (c === 0 && !r.upperInclusive)) return false;
    }
    return true;
  });
}
