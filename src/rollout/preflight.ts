import type { PackageChange, PackageTarget, PreflightVerdict, Simulation } from './contract.js';

/** What a job allows beyond exact upgrades (`JobSpec.allow`). */
export interface PreflightAllow {
  removals: boolean;
  downgrades: boolean;
  held: boolean;
}

// Resolver messages that mean "this package or version does not exist", in each manager's words.
const NOT_FOUND: ReadonlyArray<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^Version '([^']+)' for '([^']+)' was not found$/, (m) => `${m[2]}=${m[1]} not found`],
  [/^Unable to locate package (\S+)$/, (m) => `${m[1]} not found`],
  [/^Unable to find a match: (.+)$/, (m) => `${m[1]} not found`],
];

/**
 * Decides from a simulation whether the job may go on: one line per reason it may not. `installed`
 * (the versions read before the change) lets a target that is already at its version pass, since a
 * simulation lists only what it changes.
 */
export function evaluatePreflight(
  simulation: Simulation,
  targets: readonly PackageTarget[],
  allow: PreflightAllow,
  installed: ReadonlyMap<string, string> = new Map(),
): PreflightVerdict {
  const blockers = simulation.errors.map(describeError);
  if (!simulation.ok && blockers.length === 0) blockers.push('the simulation failed without naming an error');
  for (const change of simulation.changes) {
    if (change.action === 'remove' && !allow.removals)
      blockers.push(`removes ${withVersion(change.name, change.from)}`);
    if (change.action === 'downgrade' && !allow.downgrades) {
      blockers.push(`downgrades ${change.name} ${change.from ?? '?'} → ${change.to ?? '?'}`);
    }
  }
  if (!allow.held) blockers.push(...simulation.held.map((name) => `holds ${name}`));
  for (const target of targets) {
    const missing = targetProblem(target, simulation.changes, installed);
    // A target the resolver already reported as not found needs no second line.
    const { name, version } = target;
    const reported = [`${name}=${version} not found`, `${name} not found`, `${name}-${version} not found`];
    if (missing && !reported.some((line) => blockers.includes(line))) blockers.push(missing);
  }
  return { ok: blockers.length === 0, blockers, simulation };
}

function describeError(error: string): string {
  for (const [pattern, describe] of NOT_FOUND) {
    const match = pattern.exec(error);
    if (match) return describe(match);
  }
  return `resolver: ${error}`;
}

/** Why the simulation does not end with `target` installed, or undefined when it does. */
function targetProblem(
  target: PackageTarget,
  changes: readonly PackageChange[],
  installed: ReadonlyMap<string, string>,
): string | undefined {
  const want = sameVersion(target.version);
  const change = changes.find((c) => bareName(c.name) === bareName(target.name) && c.action !== 'remove');
  if (change?.to !== undefined && sameVersion(change.to) === want) return undefined;
  if (change?.to !== undefined)
    return `${target.name}=${target.version} not reached: the simulation installs ${change.to}`;
  if (changes.some((c) => bareName(c.name) === bareName(target.name) && c.action === 'remove')) {
    return `${target.name}=${target.version} not reached: the simulation removes it`;
  }
  const current = installed.get(target.name);
  if (current !== undefined && sameVersion(current) === want) return undefined;
  return `${target.name}=${target.version} not reached: the simulation does not change it`;
}

/** `libssl3:amd64` → `libssl3`: apt qualifies foreign-architecture names. */
function bareName(name: string): string {
  return name.split(':')[0] ?? name;
}

/** Versions compared without a zero epoch, which rpm prints and plans usually omit. */
function sameVersion(version: string): string {
  return version.replace(/^0+:/, '');
}

function withVersion(name: string, version: string | undefined): string {
  return version === undefined ? name : `${name} ${version}`;
}
