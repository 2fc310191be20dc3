import { rpmScheme } from '../../versioning/rpm/index.js';
import type {
  ChangeAction,
  CommandResult,
  PackageChange,
  PackageManager,
  PackageTarget,
  Simulation,
} from '../contract.js';
import { assertPackageName, dropZeroEpoch, outputLines, safeCompare, targetArgs } from './shared.js';

// rpm prints the epoch as 0 when there is none (EPOCHNUM), so every version has the same shape.
const QUERY_FORMAT = '%{NAME}\\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n';

type Section = ChangeAction | 'skip' | 'other';

/** The transaction table's section headers (dnf 4, dnf/cli/output.py) → what happens to its rows. */
function sectionOf(header: string): Section {
  if (/^Installing/.test(header)) return 'install';
  if (/^Upgrading/.test(header)) return 'upgrade';
  if (/^Downgrading/.test(header)) return 'downgrade';
  if (/^Reinstalling/.test(header)) return 'reinstall';
  if (/^Removing/.test(header)) return 'remove';
  if (/^Skipping/.test(header)) return 'skip';
  return 'other';
}

// A row: ` name  arch  [epoch:]version-release  repository  size unit`.
const ROW = /^ (\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+[\d.,]+ ?[kMG]?$/;
// The rest of a row whose name was too long and got a line of its own.
const ROW_TAIL = /^\s+(\S+)\s+(\S+)\s+(\S+)\s+[\d.,]+ ?[kMG]?$/;
// An obsoleted package under the row that replaces it: `     replacing  name.arch version`.
const REPLACING = /^\s+replacing\s+(\S+)\.[^.\s]+\s+(\S+)$/;

export interface DnfOptions {
  /**
   * Extra options put right after `dnf` in every dnf command, e.g. `--installroot=… --config=…
   * --setopt=reposdir=… --disablerepo=* --enablerepo=…` (tests keep dnf inside a temp root this way).
   */
  dnfOptions?: readonly string[];
  /** `rpm --root` for the installed-versions query, matching a dnf `--installroot` (tests only). */
  rpmRoot?: string;
}

/**
 * dnf 4 / rpm (Fedora, RHEL 8+, and derivatives). Checked against dnf 4.14 and rpm 4.18 (see
 * readme.md and dnf.int.spec.ts).
 */
export class DnfPackageManager implements PackageManager {
  readonly name = 'dnf' as const;
  readonly #options: readonly string[];
  readonly #rpmRoot: string | undefined;

  constructor(options: DnfOptions = {}) {
    this.#options = [...(options.dnfOptions ?? [])];
    this.#rpmRoot = options.rpmRoot;
  }

  /** Expire the cached metadata now; dnf otherwise refreshes by its own `metadata_expire`. */
  refresh(): string[] {
    return ['dnf', ...this.#options, '-y', 'makecache', '--refresh'];
  }

  queryInstalled(names: readonly string[]): string[] {
    const root = this.#rpmRoot === undefined ? [] : ['--root', this.#rpmRoot];
    return ['rpm', ...root, '-q', '--qf', QUERY_FORMAT, ...names.map(assertPackageName)];
  }

  /**
   * `package foo is not installed` lines (and exit 1) are skipped. An install-only package such as
   * the kernel can be installed in several versions: the highest one counts.
   */
  parseInstalled(stdout: string): Map<string, string> {
    const installed = new Map<string, string>();
    for (const line of stdout.split('\n')) {
      const [name, version] = line.trim().split('\t');
      if (!name || !version) continue;
      const clean = dropZeroEpoch(version);
      const known = installed.get(name);
      if (known === undefined || (safeCompare(rpmScheme.compare, clean, known) ?? 0) > 0)
        installed.set(name, clean);
    }
    return installed;
  }

  /** `--assumeno` resolves the transaction, prints it and answers no: nothing is downloaded or changed. */
  simulate(targets: readonly PackageTarget[]): string[] {
    return ['dnf', ...this.#options, '--assumeno', 'install', ...targetArgs(targets, (n, v) => `${n}-${v}`)];
  }

  parseSimulation(result: CommandResult): Simulation {
    return parseDnfSimulation(result);
  }

  /**
   * `dnf install name-version` installs that exact version whether the installed one is older or newer
   * (dnf(8), install), so a rollback is the same command; `dnf downgrade` would refuse the targets that
   * are not at a higher version. Without `allowDowngrades` the preflight is what stops a downgrade.
   */
  install(
    targets: readonly PackageTarget[],
    _options: { allowDowngrades?: boolean; allowHeld?: boolean } = {},
  ): string[] {
    return ['dnf', ...this.#options, '-y', 'install', ...targetArgs(targets, (n, v) => `${n}-${v}`)];
  }

  /** What a rollback runs for a package the job newly installed (the runner's getRemoveArgv uses it). */
  remove(names: readonly string[]): string[] {
    return ['dnf', ...this.#options, '-y', 'remove', '--', ...names.map(assertPackageName)];
  }
}

/** Parses `dnf --assumeno install` output: the transaction table, skipped packages and errors. */
export function parseDnfSimulation(result: CommandResult): Simulation {
  const changes: PackageChange[] = [];
  const held: string[] = [];
  const errors: string[] = [];
  let section: Section | undefined;
  let pendingName: string | undefined;
  let inError = false;
  for (const line of outputLines(result.stdout, result.stderr)) {
    if (inError && /^\s+\S/.test(line)) {
      errors.push(line.trim());
      continue;
    }
    inError = false;
    const filtered =
      /^All matches were filtered out by (?:exclude|modular) filtering for argument: (\S+)/.exec(line);
    if (filtered) held.push(stripVersion(filtered[1]!));
    if (line.startsWith('Error:')) {
      const rest = line.slice('Error:'.length).trim();
      if (rest) errors.push(rest);
      inError = true;
      continue;
    }
    // Section headers start with a capital: `Upgrading:`; `(add '--best --allowerasing' …):` is a note.
    if (/^[A-Z].*:$/.test(line)) {
      section = sectionOf(line);
      pendingName = undefined;
      continue;
    }
    if (line === '' || line.startsWith('Transaction Summary') || line.startsWith('===')) {
      section = undefined;
      continue;
    }
    if (section === undefined || section === 'other') continue;
    const row = readRow(line, pendingName);
    pendingName = row === undefined && /^ \S+$/.test(line) ? line.trim() : undefined;
    const replacing = REPLACING.exec(line);
    if (replacing) changes.push({ name: replacing[1]!, action: 'remove', from: replacing[2]! });
    else if (row && section === 'skip') errors.push(`skipped: ${row.name}-${row.version}`);
    else if (row && section !== 'skip') changes.push(rowChange(section, row.name, row.version));
  }
  // Not anchored at the line's start: where dnf prints its question, the answer follows on the same line.
  const aborted = result.code === 1 && /Operation aborted\.?$/m.test(`${result.stdout}\n${result.stderr}`);
  const ok = (result.code === 0 || aborted) && errors.length === 0;
  return { ok, changes, held: [...new Set(held)], errors };
}

function readRow(
  line: string,
  pendingName: string | undefined,
): { name: string; version: string } | undefined {
  const tail = pendingName === undefined ? undefined : ROW_TAIL.exec(line);
  if (tail) return { name: pendingName!, version: tail[2]! };
  const row = ROW.exec(line);
  return row ? { name: row[1]!, version: row[3]! } : undefined;
}

function rowChange(action: ChangeAction, name: string, version: string): PackageChange {
  // The table shows the version a row ends at; for a removal that is the installed one.
  if (action === 'remove') return { name, action, from: version };
  return { name, action, to: version };
}

/** `openssl-1:3.0.7-25.el9` → `openssl`: an argument is name-[epoch:]version-release. */
function stripVersion(argument: string): string {
  return /^(.+)-[^-]+-[^-]+$/.exec(argument)?.[1] ?? argument;
}
