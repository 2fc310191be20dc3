import { PatchcastError } from '../../core/errors.js';
import type { ChangeAction, PackageTarget } from '../contract.js';

// Names and versions end up as argv elements on a root shell's command line (the SSH executor
// quotes them, the exported script single-quotes them), so both are held to the characters the
// package formats allow. A leading `-` would be read as an option, hence the first-character rule.
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+:@-]*$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+~^:-]*$/;

/** Throws `INPUT_INVALID` unless `name` is a plausible package name (no option, no blank, no shell syntax). */
export function assertPackageName(name: string): string {
  if (NAME.test(name) && name.length <= 200) return name;
  throw new PatchcastError(
    'INPUT_INVALID',
    `package name ${JSON.stringify(name)} is not a valid package name`,
    {
      details: { field: 'name', value: name },
    },
  );
}

/** Throws `INPUT_INVALID` unless `version` is a plausible package version. */
export function assertVersion(name: string, version: string): string {
  if (VERSION.test(version) && version.length <= 200) return version;
  throw new PatchcastError(
    'INPUT_INVALID',
    `version ${JSON.stringify(version)} of package ${name} is not a valid package version`,
    { details: { field: 'version', name, value: version } },
  );
}

/** Checks every target and returns `join(name, version)` for each, in order. */
export function targetArgs(
  targets: readonly PackageTarget[],
  join: (name: string, version: string) => string,
): string[] {
  return targets.map((t) => join(assertPackageName(t.name), assertVersion(t.name, t.version)));
}

/** A version without a zero epoch: rpm prints `0:1.2-3` where dnf and the plan say `1.2-3`. */
export function dropZeroEpoch(version: string): string {
  return version.replace(/^0+:/, '');
}

/** install / upgrade / downgrade / reinstall from a comparison of the new version with the old one. */
export function classifyChange(
  from: string | undefined,
  to: string,
  compare: (a: string, b: string) => number,
): ChangeAction {
  if (from === undefined) return 'install';
  const order = safeCompare(compare, to, from);
  // A pair the scheme cannot order counts as a downgrade, so the preflight blocks it rather than
  // letting through a change nobody can classify.
  if (order === undefined) return 'downgrade';
  if (order > 0) return 'upgrade';
  return order < 0 ? 'downgrade' : 'reinstall';
}

/** A comparison that answers undefined instead of throwing on a version the scheme rejects. */
export function safeCompare(
  compare: (a: string, b: string) => number,
  a: string,
  b: string,
): number | undefined {
  try {
    return compare(a, b);
  } catch {
    return undefined;
  }
}

/** Both streams as lines, trailing blanks removed; package managers split what they say between the two. */
export function outputLines(stdout: string, stderr: string): string[] {
  return `${stdout}\n${stderr}`.split('\n').map((line) => line.replace(/\s+$/, ''));
}
