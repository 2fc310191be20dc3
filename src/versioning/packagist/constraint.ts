/**
 * composer/semver constraints: `VersionParser::parseConstraints` (`||` alternatives of `,`/space
 * conjunctions; `^`, `~`, wildcards, hyphen ranges, `@stability` flags) and `Constraint` matching.
 */
import { phpVersionCompareOp } from './php-version-compare.js';
import { isEmpty, MODIFIER, normalizeComposer, parseStability } from './version-parser.js';

export type ComposerOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

export interface Constraint {
  readonly op: ComposerOperator;
  readonly version: string;
}

/** Alternatives (OR) of conjunctions (AND); an empty conjunction matches everything. */
export type ConstraintSet = readonly (readonly Constraint[])[];

const OPERATORS: Record<string, ComposerOperator> = {
  '=': '==',
  '==': '==',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '<>': '!=',
  '!=': '!=',
};

export function toOperator(op: string): ComposerOperator | undefined {
  return OPERATORS[op];
}

const isBranch = (v: string) => v.startsWith('dev-');

/** `Constraint::versionCompare`: dev branches only equal themselves unless branches are comparable. */
export function versionCompare(
  a: string,
  b: string,
  op: ComposerOperator,
  compareBranches: boolean,
): boolean {
  if (op === '!=' && (isBranch(a) || isBranch(b))) return a !== b;
  if (isBranch(a) && isBranch(b)) return op === '==' && a === b;
  if (!compareBranches && (isBranch(a) || isBranch(b))) return false;
  return phpVersionCompareOp(a, b, op) === true;
}

const VERSION = `v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:\\.(\\d+))?(?:${MODIFIER}|\\.([xX*][.-]?dev))(?:\\+[^\\s]+)?`;
const TILDE_RE = new RegExp(`^~>?${VERSION}$`, 'i');
const CARET_RE = new RegExp(`^\\^${VERSION}($)`, 'i');
const WILDCARD_RE = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.[xX*])+$/;
const HYPHEN_RE = new RegExp(`^(${VERSION}) +- +(${VERSION})($)`, 'i');
const BASIC_RE = /^(<>|!=|>=?|<=?|==?)?\s*(.*)/;
const SUFFIX_RE = new RegExp(`-${MODIFIER}$`);

type Groups = (string | undefined)[];

/** `manipulateVersionString`: pad after `position`, add `increment` at it (carrying on underflow). */
function manipulate(groups: Groups, position: number, increment = 0): string | undefined {
  const parts = [...groups];
  let pos = position;
  for (let i = 4; i > 0; i--) {
    if (i > pos) {
      parts[i] = '0';
    } else if (i === pos && increment) {
      const value = Number(parts[i] || 0) + increment;
      parts[i] = String(value);
      if (value < 0) {
        parts[i] = '0';
        pos--;
        if (i === 1) return undefined;
      }
    }
  }
  return `${parts[1]}.${parts[2]}.${parts[3]}.${parts[4]}`;
}

function bounds(
  low: string | undefined,
  high: string | undefined,
  highOp: ComposerOperator = '<',
): Constraint[] {
  if (low === undefined || high === undefined) throw new Error('invalid bound');
  return [
    { op: '>=', version: low },
    { op: highOp, version: high },
  ];
}

function parseTilde(text: string, m: RegExpExecArray): Constraint[] {
  if (text.startsWith('~>')) throw new Error('invalid operator "~>"');
  let position = m[4] ? 4 : m[3] ? 3 : m[2] ? 2 : 1;
  if (!isEmpty(m[8])) position++;
  const suffix = isEmpty(m[5]) && isEmpty(m[7]) && isEmpty(m[8]) ? '-dev' : '';
  const high = manipulate(m, Math.max(1, position - 1), 1);
  return bounds(normalizeComposer(text.slice(1) + suffix), high && `${high}-dev`);
}

function parseCaret(text: string, m: RegExpExecArray): Constraint[] {
  const position = m[1] !== '0' || !m[2] ? 1 : m[2] !== '0' || !m[3] ? 2 : 3;
  const suffix = isEmpty(m[5]) && isEmpty(m[7]) && isEmpty(m[8]) ? '-dev' : '';
  const high = manipulate(m, position, 1);
  return bounds(normalizeComposer(text.slice(1) + suffix), high && `${high}-dev`);
}

function parseWildcard(m: RegExpExecArray): Constraint[] {
  const position = m[3] ? 3 : m[2] ? 2 : 1;
  const low = `${manipulate(m, position)}-dev`;
  const high = `${manipulate(m, position, 1)}-dev`;
  if (low === '0.0.0.0-dev') return [{ op: '<', version: high }];
  return bounds(low, high);
}

// PHP empty() except that "0" counts as present (composer's own $empty closure).
const isBlank = (x: string | undefined) => x === undefined || x === '';

function parseHyphen(m: RegExpExecArray): Constraint[] {
  const lowSuffix = isEmpty(m[6]) && isEmpty(m[8]) && isEmpty(m[9]) ? '-dev' : '';
  const low = normalizeComposer(m[1]!);
  const to = normalizeComposer(m[10]!);
  if ((!isBlank(m[12]) && !isBlank(m[13])) || !isEmpty(m[15]) || !isEmpty(m[17]) || !isEmpty(m[18])) {
    return bounds(low && low + lowSuffix, to, '<=');
  }
  if (to === undefined) throw new Error('invalid upper bound');
  const high = manipulate(['', m[11], m[12], m[13], m[14]], isBlank(m[12]) ? 1 : 2, 1);
  return bounds(low && low + lowSuffix, high && `${high}-dev`);
}

function parseBasic(text: string, stabilityModifier: string | undefined): Constraint[] {
  const m = BASIC_RE.exec(text)!;
  const raw = m[2]!;
  let version = normalizeComposer(raw);
  if (version === undefined && raw.endsWith('-dev') && /^[0-9a-zA-Z-./]+$/.test(raw)) {
    version = normalizeComposer(`dev-${raw.slice(0, -4)}`);
  }
  if (version === undefined) throw new Error(`invalid version "${raw}"`);
  const op = m[1] || '=';
  if (op !== '==' && op !== '=' && stabilityModifier && parseStability(version) === 'stable') {
    version += `-${stabilityModifier}`;
  } else if ((op === '<' || op === '>=') && !SUFFIX_RE.test(raw.toLowerCase()) && !raw.startsWith('dev-')) {
    version += '-dev';
  }
  return [{ op: OPERATORS[op]!, version }];
}

/** `VersionParser::parseConstraint` for one conjunct; throws on malformed input. */
function parseOne(input: string): Constraint[] {
  let text = /^([^,\s]+) +as +([^,\s]+)$/.exec(input)?.[1] ?? input;
  let stabilityModifier: string | undefined;
  const flag = /^([^,\s]*?)@(stable|RC|beta|alpha|dev)$/i.exec(text);
  if (flag) {
    text = flag[1] === '' ? '*' : flag[1]!;
    if (flag[2] !== 'stable') stabilityModifier = flag[2];
  }
  text = /^(dev-[^,\s@]+?|[^,\s@]+?\.x-dev)#.+$/i.exec(text)?.[1] ?? text;
  const any = /^(v)?[xX*](\.[xX*])*$/i.exec(text);
  if (any) return any[1] || any[2] ? [{ op: '>=', version: '0.0.0.0-dev' }] : [];
  let m = TILDE_RE.exec(text);
  if (m) return parseTilde(text, m);
  m = CARET_RE.exec(text);
  if (m) return parseCaret(text, m);
  m = WILDCARD_RE.exec(text);
  if (m) return parseWildcard(m);
  m = HYPHEN_RE.exec(text);
  if (m) return parseHyphen(m);
  return parseBasic(text, stabilityModifier);
}

const AND_SPLIT_RE = /(?<!^|as|[=>< ,]) *(?<!-)[, ](?!-) *(?!,|as|$)/;

/** `VersionParser::parseConstraints`; undefined when composer would throw. */
export function parseConstraints(input: string): ConstraintSet | undefined {
  try {
    return input
      .trim()
      .split(/\s*\|\|?\s*/)
      .map((alternative) => alternative.split(AND_SPLIT_RE).flatMap(parseOne));
  } catch {
    return undefined;
  }
}

/** Whether the normalised version satisfies the set (`Semver::satisfies`). */
export function setMatches(set: ConstraintSet, normalized: string): boolean {
  return set.some((all) => all.every((c) => versionCompare(normalized, c.version, c.op, false)));
}
