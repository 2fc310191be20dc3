/**
 * `Gem::Requirement`: one or more `[op] version` constraints that must all hold. A string with
 * commas (`">= 1.0, < 2"`) is read as the list of requirements `Gem::Requirement.new` would be given.
 */
import {
  bumpOf,
  compareGemVersions,
  type GemVersion,
  parseGemVersion,
  releaseOf,
  VERSION_PATTERN,
} from './version.js';

export type GemOperator = '=' | '!=' | '>' | '<' | '>=' | '<=' | '~>';

export interface GemConstraint {
  readonly op: GemOperator;
  readonly version: GemVersion;
}

const PATTERN = new RegExp(`^\\s*(=|!=|>=|<=|>|<|~>)?\\s*(${VERSION_PATTERN})\\s*$`);

export function parseConstraint(text: string): GemConstraint | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const version = parseGemVersion(m[2]!);
  return version ? { op: (m[1] ?? '=') as GemOperator, version } : undefined;
}

/** Parses a requirement list; an empty list means `>= 0`. Undefined when any member is malformed. */
export function parseRequirement(text: string): GemConstraint[] | undefined {
  const constraints: GemConstraint[] = [];
  for (const piece of text.split(',')) {
    const constraint = parseConstraint(piece);
    if (!constraint) return undefined;
    constraints.push(constraint);
  }
  return constraints;
}

export function satisfiesConstraint(v: GemVersion, { op, version: r }: GemConstraint): boolean {
  const c = compareGemVersions(v, r);
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '>':
      return c > 0;
    case '<':
      return c < 0;
    case '>=':
      return c >= 0;
    case '<=':
      return c <= 0;
    default:
      // "~> 1.4.4" means ">= 1.4.4" and a release below 1.5
      return c >= 0 && compareGemVersions(releaseOf(v), bumpOf(r)) < 0;
  }
}
