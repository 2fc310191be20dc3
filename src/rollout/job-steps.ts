import type { CommandResult, JobSpec, PackageChange, PackageTarget, StepOutcome } from './contract.js';
import { assertPackageName } from './package-managers/shared.js';
import { evaluatePreflight } from './preflight.js';
import { runProbes } from './probes.js';
import { describeReleaseNotes, fetchReleaseNotes } from './release-notes.js';
import type { JobHost } from './run-job.js';

/*
 * The bodies of the steps that need nothing but the spec and the host: each runs its commands and
 * returns a verdict; run-job.ts decides what follows and reports it.
 */

/** A step's verdict, before it becomes a report. */
export interface StepVerdict {
  outcome: StepOutcome;
  /** Why the step failed or was skipped. */
  reason?: string;
  output?: string;
  data?: Record<string, unknown>;
}

/**
 * A refresh if the job asks for one, then the manager's simulation of exactly the targets, judged by
 * the job's `allow`, and each target's release notes (release-notes.ts) in the report's data.
 */
export async function runPreflight(
  spec: JobSpec,
  host: JobHost,
): Promise<StepVerdict & { changes: PackageChange[] }> {
  let output = '';
  const refresh = spec.refresh ? host.manager.refresh() : undefined;
  if (refresh) {
    const result = await host.executor.run(refresh);
    output += transcript(refresh, result);
    if (result.code !== 0) {
      return { outcome: 'failed', reason: `refresh exited with ${result.code}`, output, changes: [] };
    }
  }
  const installed = await queryInstalled(host, getNames(spec.targets));
  const argv = host.manager.simulate(spec.targets);
  const result = await host.executor.run(argv);
  output += transcript(argv, result);
  const verdict = evaluatePreflight(
    host.manager.parseSimulation(result),
    spec.targets,
    spec.allow,
    installed,
  );
  const changes = verdict.simulation.changes;
  // The release notes feed the failure prediction; fetching them never fails the preflight.
  const notes = await fetchReleaseNotes(host, spec.targets, installed);
  if (notes) output += `${describeReleaseNotes(notes, spec.targets)}\n`;
  const data = { changes, blockers: verdict.blockers, ...(notes ? { releaseNotes: notes } : {}) };
  if (!verdict.ok) return { outcome: 'failed', reason: verdict.blockers.join('; '), output, data, changes };
  return { outcome: 'ok', output, data, changes };
}

/** The same install and the command probes in a throw-away overlay of the host (rehearsal.ts). */
export async function runRehearsal(
  spec: JobSpec,
  host: JobHost,
  rehearse: (argvList: string[][]) => string[],
): Promise<StepVerdict> {
  if (!spec.rehearsal) return { outcome: 'skipped', reason: 'the job has no rehearsal' };
  const refresh = spec.refresh ? host.manager.refresh() : undefined;
  const commands = [
    ...(refresh ? [refresh] : []),
    host.manager.install(spec.targets, getInstallOptions(spec)),
    ...spec.probes.flatMap((probe) => (probe.kind === 'command' ? [probe.argv] : [])),
  ];
  const result = await host.executor.run(rehearse(commands));
  const output = `${result.stdout}${result.stderr}`;
  const data = { commands };
  if (result.code !== 0) {
    return { outcome: 'failed', reason: `rehearsal exited with ${result.code}`, output, data };
  }
  return { outcome: 'ok', output, data };
}

/** Each hook in turn; the first that exits non-zero fails the step. */
export async function runHooks(
  host: JobHost,
  argvList: readonly string[][],
  what: string,
): Promise<StepVerdict> {
  if (argvList.length === 0) return { outcome: 'skipped', reason: `the job has no ${what}s` };
  let output = '';
  for (const argv of argvList) {
    const result = await host.executor.run(argv);
    output += transcript(argv, result);
    if (result.code !== 0) {
      return { outcome: 'failed', reason: `${what} ${argv.join(' ')} exited with ${result.code}`, output };
    }
  }
  return { outcome: 'ok', output, data: { hooks: argvList.length } };
}

/** Every target at its exact version, read from the host again, then the job's probes. */
export async function runVerify(spec: JobSpec, host: JobHost): Promise<StepVerdict> {
  const installed = await queryInstalled(host, getNames(spec.targets));
  const wrong = spec.targets.filter((target) => installed.get(target.name) !== target.version);
  const versions = toObject(installed);
  if (wrong.length > 0) {
    const list = wrong.map((t) => `${t.name} ${installed.get(t.name) ?? 'absent'} (want ${t.version})`);
    return {
      outcome: 'failed',
      reason: `not at the target version: ${list.join(', ')}`,
      data: { installed: versions },
    };
  }
  const probes = await runProbes(spec.probes, host.executor);
  const failed = probes.filter((probe) => !probe.ok);
  const output = probes.map((p) => `${p.ok ? 'ok' : 'FAILED'} ${p.probe}: ${p.detail}`).join('\n');
  const data = { installed: versions, probes };
  if (failed.length > 0) {
    const reason = `probe failed: ${failed.map((p) => `${p.probe} (${p.detail})`).join(', ')}`;
    return { outcome: 'failed', reason, output, data };
  }
  return { outcome: 'ok', output, data };
}

/** The job's `allow` as install flags. */
export function getInstallOptions(spec: JobSpec): { allowDowngrades: boolean; allowHeld: boolean } {
  return { allowDowngrades: spec.allow.downgrades, allowHeld: spec.allow.held };
}

/**
 * The argv that removes packages: the driver's own `remove` when it has one, else the manager's plain
 * command (the contract has no `remove` yet; a driver's extra options, such as apt's `-o`, are not
 * carried by this fallback).
 */
export function getRemoveArgv(manager: JobHost['manager'], names: readonly string[]): string[] {
  if (manager.remove) return manager.remove(names);
  const checked = names.map(assertPackageName);
  if (manager.name === 'apt') return ['apt-get', 'remove', '-y', '--', ...checked];
  if (manager.name === 'dnf') return ['dnf', 'remove', '-y', '--', ...checked];
  return ['apk', 'del', '--', ...checked];
}

/** name → installed version, as the host's package database says now. */
export async function queryInstalled(host: JobHost, names: readonly string[]): Promise<Map<string, string>> {
  return (await queryHost(host, names)).installed;
}

/**
 * The installed versions, and the packages that are neither installed nor absent: what an install cut
 * off half-way leaves (dpkg's unpacked or half-configured). The query does not count those as
 * installed, so without this a half-done install of a new package would look like no install at all.
 */
export async function queryHost(
  host: JobHost,
  names: readonly string[],
): Promise<{ installed: Map<string, string>; unsettled: string[] }> {
  if (names.length === 0) return { installed: new Map(), unsettled: [] };
  const result = await host.executor.run(host.manager.queryInstalled(names));
  const installed = host.manager.parseInstalled(result.stdout);
  const unsettled = host.manager.parseUnsettled
    ? host.manager.parseUnsettled(result.stdout)
    : host.manager.name === 'apt'
      ? parseDpkgUnsettled(result.stdout)
      : [];
  return { installed, unsettled };
}

const DPKG_UNSETTLED = new Set([
  'half-installed',
  'unpacked',
  'half-configured',
  'triggers-awaited',
  'triggers-pending',
]);

/** The apt driver's query prints "name\tversion\tdb:Status-Status" per package (package-managers/apt.ts). */
export function parseDpkgUnsettled(stdout: string): string[] {
  return stdout.split('\n').flatMap((line) => {
    const [name, , status] = line.split('\t');
    return name && status && DPKG_UNSETTLED.has(status.trim()) ? [name] : [];
  });
}

export function isAt(installed: ReadonlyMap<string, string>, versions: readonly PackageTarget[]): boolean {
  return versions.every((target) => installed.get(target.name) === target.version);
}

/** At the recorded versions, and none of the touched packages that were absent then is installed now. */
export function isAtRecorded(
  installed: ReadonlyMap<string, string>,
  touched: readonly string[],
  previous: readonly PackageTarget[],
): boolean {
  const known = new Set(previous.map((p) => p.name));
  return isAt(installed, previous) && touched.every((name) => known.has(name) || !installed.has(name));
}

/**
 * Every target at its recorded or its target version (or unpacked but not configured, which reads as
 * not installed), every other touched package at its recorded one: a dependency's intended version is
 * not journaled, so a dependency moved elsewhere is not known to be ours.
 */
export function isPartlyApplied(
  installed: ReadonlyMap<string, string>,
  touched: readonly string[],
  previous: readonly PackageTarget[],
  targets: readonly PackageTarget[],
): boolean {
  return touched.every((name) => {
    const now = installed.get(name);
    const before = previous.find((p) => p.name === name)?.version;
    const target = targets.find((t) => t.name === name)?.version;
    return now === before || (target !== undefined && (now === target || now === undefined));
  });
}

/** "pcdemo is 1.0-3 (target 1.0-2, previous 1.0-1)" for each package the job touches. */
export function describeState(
  installed: ReadonlyMap<string, string>,
  names: readonly string[],
  targets: readonly PackageTarget[],
  previous?: readonly PackageTarget[],
): string {
  return names
    .map((name) => {
      const target = targets.find((t) => t.name === name)?.version;
      const before = previous?.find((p) => p.name === name)?.version ?? (previous ? 'absent' : 'unrecorded');
      return `${name} is ${installed.get(name) ?? 'absent'} (${target ? `target ${target}, ` : ''}previous ${before})`;
    })
    .join(', ');
}

export function transcript(argv: readonly string[], result: CommandResult): string {
  const exit = result.code === 0 ? '' : `(exit ${result.code})\n`;
  return `$ ${argv.join(' ')}\n${result.stdout}${result.stderr}${exit}`;
}

export function toObject(map: ReadonlyMap<string, string>): Record<string, string> {
  return Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)));
}

export function getNames(targets: readonly PackageTarget[]): string[] {
  return targets.map((target) => target.name);
}
