import type { Executor, PackageManager } from './contract.js';

/**
 * What a change leaves running on old code. A package upgrade replaces files by rename, so a process
 * that had the old library or binary mapped keeps mapping the old, now deleted, inode: its
 * `/proc/PID/maps` line ends in " (deleted)". That is how needrestart finds processes to restart, and
 * the same way is used here, read through the host's executor so it works over SSH as well.
 */

/** Only files a package manager installs matter; deleted files in /tmp, /dev/shm or memfd are normal. */
const PACKAGED_PREFIXES = [
  '/usr/',
  '/lib/',
  '/lib32/',
  '/lib64/',
  '/libx32/',
  '/bin/',
  '/sbin/',
  '/opt/',
  '/etc/',
];

/*
 * Units whose restart would end sessions or the bus everyone talks over, or the runner itself
 * (patchcast's agent runs this code): they are reported for a person to restart, never restarted.
 */
const NEVER_RESTART = [
  /^dbus(-broker)?\.service$/,
  /^systemd-logind\.service$/,
  /^user@.*\.service$/,
  /^(serial-)?getty@.*\.service$/,
  /^display-manager\.service$/,
  /^(gdm|gdm3|lightdm|sddm|xdm)\.service$/,
  /^patchcast.*\.service$/,
];

/** A running process that still maps packaged files that were since deleted or replaced. */
export interface StaleProcess {
  pid: number;
  /** Its short name (`/proc/PID/comm`). */
  command: string;
  /** The systemd service it belongs to, when there is one (not for session processes). */
  unit?: string;
  files: string[];
}

/** True when the host's packages ask for a reboot (Debian's /run/reboot-required). */
export async function needsReboot(executor: Executor): Promise<boolean> {
  return (await executor.readFile('/run/reboot-required')) !== undefined;
}

/** True when systemd is the host's init: only then are units restarted with systemctl. */
export async function isSystemdHost(executor: Executor): Promise<boolean> {
  const comm = await executor.readFile('/proc/1/comm');
  return comm?.trim() === 'systemd';
}

// Constant scripts; the pids given to the second arrive as positional arguments.
const LIST_DELETED_MAPS = "grep -H -- ' (deleted)$' /proc/[0-9]*/maps 2>/dev/null; exit 0";
const DESCRIBE_PIDS =
  'for p in "$@"; do c=$(cat "/proc/$p/comm" 2>/dev/null) || continue; ' +
  'printf "%s\\t%s\\t%s\\n" "$p" "$c" "$(tr "\\n" "|" < "/proc/$p/cgroup" 2>/dev/null)"; done';

/** Processes mapping deleted packaged files, each with its systemd unit when it has one. */
export async function findStaleProcesses(executor: Executor): Promise<StaleProcess[]> {
  const listed = await executor.run(['sh', '-c', LIST_DELETED_MAPS]);
  const filesByPid = parseDeletedMaps(listed.stdout);
  if (filesByPid.size === 0) return [];
  const described = await executor.run([
    'sh',
    '-c',
    DESCRIBE_PIDS,
    'sh',
    ...[...filesByPid.keys()].map(String),
  ]);
  const stale: StaleProcess[] = [];
  for (const line of described.stdout.split('\n')) {
    const [pidText, command = '', cgroups = ''] = line.split('\t');
    const pid = Number(pidText);
    const files = filesByPid.get(pid);
    if (!files) continue;
    const unit = getServiceUnit(cgroups.split('|'));
    stale.push({ pid, command, ...(unit ? { unit } : {}), files: [...files].sort() });
  }
  return stale.sort((a, b) => a.pid - b.pid);
}

/** `grep -H` lines "/proc/PID/maps:ADDR PERMS OFFSET DEV INODE   PATH (deleted)" → pid → packaged paths. */
export function parseDeletedMaps(stdout: string): Map<number, Set<string>> {
  return parseMaps(stdout, { deletedOnly: true });
}

function parseMaps(stdout: string, options: { deletedOnly: boolean }): Map<number, Set<string>> {
  const byPid = new Map<number, Set<string>>();
  for (const line of stdout.split('\n')) {
    const match = /^\/proc\/(\d+)\/maps:\S+\s+\S+\s+\S+\s+\S+\s+\d+\s+(\/.*?)( \(deleted\))?$/.exec(line);
    if (!match || (options.deletedOnly && !match[3])) continue;
    const path = match[2]!;
    if (!PACKAGED_PREFIXES.some((prefix) => path.startsWith(prefix))) continue;
    const pid = Number(match[1]);
    const files = byPid.get(pid) ?? new Set<string>();
    files.add(path);
    byPid.set(pid, files);
  }
  return byPid;
}

/**
 * The service a process belongs to, from its /proc/PID/cgroup lines: the unified hierarchy ("0::/…")
 * or v1's name=systemd one. A delegated service's own sub-cgroups sit below its unit, so the last
 * path component that is a service is the unit.
 */
export function getServiceUnit(cgroupLines: readonly string[]): string | undefined {
  for (const line of cgroupLines) {
    const [, controllers, path] = /^(?:\d+):([^:]*):(.*)$/.exec(line) ?? [];
    if (path === undefined || (controllers !== '' && controllers !== 'name=systemd')) continue;
    const units = path.split('/').filter((part) => part.endsWith('.service'));
    if (units.length > 0) return units[units.length - 1];
  }
  return undefined;
}

/** Whether patchcast may restart this unit itself (see NEVER_RESTART). */
export function isRestartable(unit: string): boolean {
  return !NEVER_RESTART.some((pattern) => pattern.test(unit));
}

/** A package some running process has files of mapped. */
export interface PackageInUse {
  name: string;
  pids: number[];
  /** Some of those processes listen on a socket (a service others depend on). */
  listening: boolean;
}

// grep, not awk: gawk stops at the first maps file it may not read (a process that just exited, or /proc/1 in a container).
const LIST_MAPPED_FILES = "grep -H -- ' /' /proc/[0-9]*/maps 2>/dev/null; exit 0";

/**
 * The packages whose files running processes map (libraries and the programs themselves), and which of
 * them belong to processes listening on a socket: what a change to those packages would need restarted.
 */
export async function findPackagesInUse(
  executor: Executor,
  manager: PackageManager,
): Promise<PackageInUse[]> {
  const mapped = await executor.run(['sh', '-c', LIST_MAPPED_FILES]);
  const pidsByFile = new Map<string, Set<number>>();
  for (const [pid, files] of parseMaps(mapped.stdout, { deletedOnly: false })) {
    for (const file of files) {
      const pids = pidsByFile.get(file) ?? new Set<number>();
      pids.add(pid);
      pidsByFile.set(file, pids);
    }
  }
  const owners = await loadOwners(executor, manager, [...pidsByFile.keys()]);
  const listening = await loadListeningPids(executor);
  const byPackage = new Map<string, Set<number>>();
  for (const [file, pids] of pidsByFile) {
    for (const name of owners.get(file) ?? []) {
      const set = byPackage.get(name) ?? new Set<number>();
      for (const pid of pids) set.add(pid);
      byPackage.set(name, set);
    }
  }
  return [...byPackage]
    .map(([name, pids]) => {
      const sorted = [...pids].sort((a, b) => a - b);
      return { name, pids: sorted, listening: sorted.some((pid) => listening.has(pid)) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

const OWNER_BATCH = 200;

/** file → owning package names, asked of the package database in batches; a file no package owns is absent. */
export async function loadOwners(
  executor: Executor,
  manager: PackageManager,
  files: readonly string[],
): Promise<Map<string, string[]>> {
  const owners = new Map<string, string[]>();
  for (let start = 0; start < files.length; start += OWNER_BATCH) {
    const batch = files.slice(start, start + OWNER_BATCH);
    if (manager.name === 'apt') await addDpkgOwners(executor, batch, owners);
    else if (manager.name === 'dnf') await addRpmOwners(executor, batch, owners);
    else await addApkOwners(executor, batch, owners);
  }
  return owners;
}

/*
 * On a merged-/usr Debian the database may list /lib/x/libc.so.6 while processes map /usr/lib/x/libc.so.6:
 * each /usr path is asked under both names.
 */
async function addDpkgOwners(executor: Executor, files: readonly string[], owners: Map<string, string[]>) {
  const aliases = new Map<string, string>();
  for (const file of files) {
    const short = /^\/usr(\/(?:lib|lib32|lib64|libx32|bin|sbin)\/.*)$/.exec(file)?.[1];
    if (short) aliases.set(short, file);
  }
  const result = await executor.run(['dpkg-query', '-S', '--', ...files, ...aliases.keys()]);
  for (const line of result.stdout.split('\n')) {
    const split = line.lastIndexOf(': ');
    if (split < 0) continue;
    const path = line.slice(split + 2);
    const file = aliases.get(path) ?? path;
    const names = line
      .slice(0, split)
      .split(', ')
      .map((name) => name.replace(/:[a-z0-9-]+$/, ''));
    owners.set(file, [...new Set([...(owners.get(file) ?? []), ...names])]);
  }
}

async function addRpmOwners(executor: Executor, files: readonly string[], owners: Map<string, string[]>) {
  // rpm answers in the order asked, one line per owner: exact when the counts agree, else ask file by file.
  const result = await executor.run(['rpm', '-qf', '--qf', '%{NAME}\\n', '--', ...files]);
  const lines = result.stdout.split('\n').filter((line) => line !== '');
  if (lines.length !== files.length && files.length > 1) {
    for (const file of files) await addRpmOwners(executor, [file], owners);
    return;
  }
  files.forEach((file, index) => {
    const name = lines[index];
    if (name && !name.includes(' ')) owners.set(file, [name]);
  });
}

async function addApkOwners(executor: Executor, files: readonly string[], owners: Map<string, string[]>) {
  const result = await executor.run(['apk', 'info', '--who-owns', '--', ...files]);
  for (const line of result.stdout.split('\n')) {
    const match = /^(\S+) is owned by (\S+)-\d\S*$/.exec(line);
    if (match) owners.set(match[1]!, [match[2]!]);
  }
}

/** Pids of processes with a listening socket, from `ss`; empty when the host has no `ss`. */
async function loadListeningPids(executor: Executor): Promise<Set<number>> {
  const result = await executor.run(['ss', '-H', '-l', '-t', '-u', '-n', '-p']);
  const pids = new Set<number>();
  for (const match of result.stdout.matchAll(/pid=(\d+)/g)) pids.add(Number(match[1]));
  return pids;
}
