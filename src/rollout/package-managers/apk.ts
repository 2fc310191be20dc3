import { apkScheme } from '../../versioning/apk/index.js';
import type { CommandResult, PackageChange, PackageManager, PackageTarget, Simulation } from '../contract.js';
import { assertPackageName, outputLines, safeCompare, targetArgs } from './shared.js';

// `(2/5) Upgrading musl (1.2.3-r4 -> 1.2.3-r5)` or `(1/1) Installing foo (1.0-r0)` (apk-tools
// src/commit.c, print_change). A name may carry a repository tag: `foo@edge`.
const CHANGE =
  /^\(\d+\/\d+\) (Installing|Purging|Upgrading|Downgrading|Replacing|Re-installing) (\S+) \(([^ )]+)(?: -> ([^ )]+))?\)/;
// An apk package file name: name-version-rN; the version has no hyphen of its own.
const NAME_VERSION = /^(.+)-([^-\s]+-r\d+)$/;

/**
 * apk (Alpine). `apk add name=version` also records `name=version` in /etc/apk/world, which pins the
 * package there until the next rollout changes it: an exact version is what patchcast asks for anyway.
 */
export class ApkPackageManager implements PackageManager {
  readonly name = 'apk' as const;

  refresh(): string[] {
    return ['apk', 'update'];
  }

  /** `apk info -v` lists every installed package as name-version; the parser keeps what it finds. */
  queryInstalled(names: readonly string[]): string[] {
    names.forEach(assertPackageName);
    return ['apk', 'info', '-v'];
  }

  /** Reads `apk info -v` lines and `apk list --installed` lines (`musl-1.2.3-r4 x86_64 {musl} (MIT) [installed]`). */
  parseInstalled(stdout: string): Map<string, string> {
    const installed = new Map<string, string>();
    for (const line of stdout.split('\n')) {
      if (line.startsWith('WARNING') || line.startsWith('ERROR')) continue;
      const first = line.trim().split(/\s+/)[0] ?? '';
      const split = NAME_VERSION.exec(first);
      // An `apk list` line (it has `{origin}`) counts only when marked installed.
      const listed = !line.includes('{') || line.includes('[installed');
      if (split && listed) installed.set(split[1]!, split[2]!);
    }
    return installed;
  }

  simulate(targets: readonly PackageTarget[]): string[] {
    return ['apk', 'add', '--simulate', ...targetArgs(targets, (n, v) => `${n}=${v}`)];
  }

  parseSimulation(result: CommandResult): Simulation {
    return parseApkSimulation(result);
  }

  /** apk moves to the version the world constraint names, up or down: a rollback is the same command. */
  install(
    targets: readonly PackageTarget[],
    _options: { allowDowngrades?: boolean; allowHeld?: boolean } = {},
  ): string[] {
    return ['apk', 'add', ...targetArgs(targets, (n, v) => `${n}=${v}`)];
  }
}

/** Parses `apk add --simulate` output: one numbered line per change, `ERROR:` blocks for the resolver. */
export function parseApkSimulation(result: CommandResult): Simulation {
  const changes: PackageChange[] = [];
  const errors: string[] = [];
  let inError = false;
  for (const line of outputLines(result.stdout, result.stderr)) {
    const change = CHANGE.exec(line);
    if (change) {
      changes.push(toChange(change[1]!, change[2]!.split('@')[0]!, change[3]!, change[4]));
      continue;
    }
    if (line.startsWith('ERROR:')) {
      errors.push(line.slice('ERROR:'.length).trim());
      inError = true;
    } else if (inError && /^\s+\S/.test(line)) {
      errors.push(line.trim());
    } else {
      inError = false;
    }
  }
  return { ok: result.code === 0 && errors.length === 0, changes, held: [], errors };
}

function toChange(verb: string, name: string, first: string, second: string | undefined): PackageChange {
  if (verb === 'Installing') return { name, action: 'install', to: first };
  if (verb === 'Purging') return { name, action: 'remove', from: first };
  if (verb === 'Re-installing' || second === undefined)
    return { name, action: 'reinstall', from: first, to: first };
  if (verb === 'Replacing') return { name, action: 'reinstall', from: first, to: second };
  // Trust the verb, which apk chose with its own comparison; the check below only guards a mislabel.
  const order = safeCompare(apkScheme.compare, second, first);
  const action = verb === 'Downgrading' || (order !== undefined && order < 0) ? 'downgrade' : 'upgrade';
  return { name, action, from: first, to: second };
}
