/**
 * How each kind of oracle case (../shared/testdata/versions, see its README) is run through the
 * public API. Used by oracles.spec.ts; kept apart so the runner stays a list of files.
 */

import { InvalidRangeError, InvalidVersionError } from './errors.js';
import { isAffected } from './osv-affected.js';
import { versionSchemes } from './registry.js';
import type { VersionScheme } from './types.js';
import { normalizeVers, parseVers, VERS_TYPES } from './vers.js';
import { versFromNative } from './vers-native.js';

// biome-ignore lint/suspicious/noExplicitAny: oracle cases are heterogeneous JSON
export type OracleCase = Record<string, any>;

export interface OracleFile {
  ecosystem: string;
  kind: string;
  cases: OracleCase[];
}

/** `true` when the case passes, `'pending'` when its scheme is not registered yet, else why not. */
export type Outcome = true | 'pending' | string;

/** Files named by scheme rather than by OSV ecosystem. */
export function schemeFolderFor(file: OracleFile): string | undefined {
  if (file.ecosystem === 'SEMVER') return 'semver';
  return undefined;
}

type Extra = (...args: unknown[]) => unknown;

/** A scheme-specific export (npm `outside`, apk `fuzzyMatch`, packagist `compareWithOperator`). */
async function loadExtra(folder: string, name: string): Promise<Extra | undefined> {
  if (!Object.hasOwn(versionSchemes, folder)) return undefined;
  const specifier = `./${folder}/index.js`;
  const mod = (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
  const fn = mod[name];
  return typeof fn === 'function' ? (fn as Extra) : undefined;
}

const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? -1 : 0);

function expectValue(got: unknown, want: unknown): Outcome {
  return JSON.stringify(got) === JSON.stringify(want)
    ? true
    : `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function runCompare(scheme: VersionScheme, c: OracleCase): Outcome {
  const compare = scheme.compare as (a: string, b: string, options?: unknown) => number;
  return expectValue(sign(compare(c.a, c.b, c.options)), c.cmp);
}

function runParse(scheme: VersionScheme, c: OracleCase, go: Extra | undefined): Outcome {
  if (scheme.isValid(c.version) !== c.valid) return `isValid ${!c.valid}, want ${c.valid}`;
  if (c.valid && typeof c.normalized === 'string') {
    if (!scheme.normalize) return 'scheme has no normalize()';
    const normalized = scheme.normalize(c.version);
    if (normalized !== c.normalized)
      return `normalize ${JSON.stringify(normalized)}, want ${JSON.stringify(c.normalized)}`;
  }
  if (typeof c.pseudo === 'boolean' && go) return expectValue(go(c.version), c.pseudo);
  return true;
}

/**
 * Native range membership. An invalid version or range where the reference answers "not
 * included" may instead be answered with the typed error (the scheme's documented choice).
 */
function runRange(scheme: VersionScheme, c: OracleCase): Outcome {
  if (!scheme.matches) return 'scheme has no matches()';
  const matches = scheme.matches as (v: string, r: string, options?: unknown) => boolean;
  try {
    return expectValue(matches(c.version, c.range, c.options), c.included);
  } catch (error) {
    const typed =
      error instanceof InvalidRangeError ||
      (error instanceof InvalidVersionError && !scheme.isValid(c.version));
    return typed && c.included === false ? true : describeError(error);
  }
}

function versType(c: OracleCase): string | undefined {
  if (c.test_type === 'from_native') return c.input.scheme;
  const text: unknown = c.test_type === 'containment' ? c.input.vers : c.input;
  const m = typeof text === 'string' ? /^vers:([^/]*)\//i.exec(text) : null;
  return m?.[1]?.toLowerCase();
}

function runVers(c: OracleCase): Outcome {
  const type = versType(c);
  const folder = type === undefined ? undefined : VERS_TYPES[type];
  if (folder && !Object.hasOwn(versionSchemes, folder)) return 'pending';
  let got: unknown;
  try {
    if (c.test_type === 'from_native') got = versFromNative(c.input.scheme, c.input.native_range);
    else if (c.test_type === 'containment') got = parseVers(c.input.vers).contains(c.input.version);
    else if (c.test_type === 'parse') {
      const range = parseVers(c.input, 'canonical');
      got = { type: range.type, constraints: range.constraints.map((k) => [k.comparator, k.version]) };
    } else if (c.test_type === 'validate') got = normalizeVers(c.input);
    else return `unknown vers test_type ${c.test_type}`;
  } catch (error) {
    return c.expected_failure === true ? true : describeError(error);
  }
  if (c.expected_failure === true) return `expected a failure, got ${JSON.stringify(got)}`;
  return expectValue(got, c.expected_output);
}

/** Runs one case; exceptions other than the allowed typed ones are failures. */
export async function evaluateCase(
  file: OracleFile,
  c: OracleCase,
  scheme: VersionScheme | undefined,
): Promise<Outcome> {
  try {
    if (file.kind === 'vers') return runVers(c);
    if (file.kind === 'osv-affected')
      return expectValue(isAffected(c.package, c.version, c.vuln), c.affected);
    if (!scheme) return 'pending';
    switch (file.kind) {
      case 'compare':
        return runCompare(scheme, c);
      case 'parse':
        return runParse(scheme, c, scheme.id === 'go' ? await loadExtra('go', 'isPseudoVersion') : undefined);
      case 'range':
        return runRange(scheme, c);
      case 'outside-range': {
        const outside = await loadExtra(scheme.id, 'outside');
        return outside
          ? expectValue(outside(c.version, c.range, c.relation, c.options), c.holds)
          : `${scheme.id} exports no outside()`;
      }
      case 'fuzzy-compare': {
        const fuzzy = await loadExtra(scheme.id, 'fuzzyMatch');
        if (!fuzzy) return `${scheme.id} exports no fuzzyMatch()`;
        // apk-tools' version.data writes `a !op b` for "`a op b` does not hold" (its test runner
        // inverts the result), so `holds` is about `op` without the `!`: `{op:'!~', holds:false}`
        // means `a ~ b` is false. fuzzyMatch's own `!` (apk's conflict form) is the plain negation.
        const op = c.op.startsWith('!') ? c.op.slice(1) : c.op;
        return expectValue(fuzzy(c.a, op, c.b), c.holds);
      }
      case 'relation': {
        const relation = await loadExtra(scheme.id, 'compareWithOperator');
        return relation
          ? expectValue(relation(c.a, c.op, c.b), c.holds)
          : `${scheme.id} exports no compareWithOperator()`;
      }
      default:
        return `unknown kind ${file.kind}`;
    }
  } catch (error) {
    return describeError(error);
  }
}
