/**
 * The agent's report of its own host (`patchcast.agent-report/1`, see
 * ../inventory/agent-report/readme.md), read with patchcast's own parsers of /etc/os-release and the
 * dpkg status database under the managed root, with which packages running processes use.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { PackageURL } from 'packageurl-js';
import { PatchcastError } from '../core/errors.js';
import { AGENT_REPORT_SCHEMA } from '../inventory/agent-report/index.js';
import { apkInstalledFormat } from '../inventory/apk-installed/index.js';
import { dpkgStatusFormat } from '../inventory/dpkg-status/index.js';
import { parseOsReleaseText } from '../inventory/os-release.js';
import { rpmQaFormat } from '../inventory/rpm-qa/index.js';
import type { Executor } from '../rollout/contract.js';
import { makeLocalExecutor, runArgv } from '../rollout/executors/local.js';
import { getPackageManager } from '../rollout/package-managers/index.js';
import { findPackagesInUse } from '../rollout/restart.js';

export const DPKG_STATUS = 'var/lib/dpkg/status';

export interface AgentReport {
  schema: typeof AGENT_REPORT_SCHEMA;
  host: { hostname: string };
  os: { id: string; version_id?: string };
  collectedAt: string;
  packages: Array<{
    name: string;
    version: string;
    arch?: string;
    source?: string;
    sourceVersion?: string;
    inUse?: boolean;
  }>;
}

export interface HostReportOptions {
  /**
   * Names of the packages running processes map (`loadPackagesInUse`): every package gets `inUse`
   * true or false. Absent: usage is unknown and no package says anything about it.
   */
  inUse?: ReadonlySet<string>;
}

/** The host name: the root's /etc/hostname, else this machine's (when the root is `/`). */
export async function loadHostname(root: string): Promise<string> {
  const text = await readOptional(join(root, 'etc/hostname'));
  const name = text?.split('\n')[0]?.trim();
  if (name) return name;
  return osHostname();
}

/**
 * Builds the report of the package installation rooted at `root`. Undefined when the root has no
 * package database (dpkg, apk or rpm).
 */
export async function loadHostReport(
  root: string,
  now: Date,
  options: HostReportOptions = {},
): Promise<AgentReport | undefined> {
  const database = await readPackageDatabase(root);
  if (database === undefined) return undefined;
  const osText =
    (await readOptional(join(root, 'etc/os-release'))) ??
    (await readOptional(join(root, 'usr/lib/os-release')));
  if (osText === undefined)
    throw new PatchcastError(
      'INPUT_NOT_FOUND',
      `no os-release under ${root} (etc/os-release, usr/lib/os-release)`,
      {
        hint: 'Point --root at the root of an installed system.',
      },
    );
  const fields = parseOsReleaseText(osText);
  const parsed = database.format.parse({ path: database.path, content: database.content });
  return {
    schema: AGENT_REPORT_SCHEMA,
    host: { hostname: await loadHostname(root) },
    os: {
      id: (fields.ID ?? 'linux').toLowerCase(),
      ...(fields.VERSION_ID ? { version_id: fields.VERSION_ID } : {}),
    },
    collectedAt: now.toISOString(),
    packages: parsed.packages.map((p) => {
      const arch = p.purl ? getArch(p.purl) : undefined;
      return {
        name: p.name,
        version: p.version,
        ...(arch ? { arch } : {}),
        ...(p.sourceName ? { source: p.sourceName, sourceVersion: p.sourceVersion ?? p.version } : {}),
        ...(options.inUse ? { inUse: options.inUse.has(p.name) } : {}),
      };
    }),
  };
}

/**
 * The names of the packages whose files running processes map (the way needrestart looks: every
 * process's /proc/PID/maps, the mapped files' owners asked of dpkg; a program maps its own binary, so
 * the programs of listening services count too). Undefined when that cannot be known from here: not
 * root (other users' maps are unreadable), or a `root` that is not the running system (its processes
 * run someone else's files). Also undefined when the scan sees nothing at all, which on a running
 * system (this agent maps libc) means it could not look, not that nothing is in use. One grep over
 * /proc and a few dpkg-query calls: the agent runs it only when it reports its inventory.
 */
export async function loadPackagesInUse(
  root: string,
  executor: Executor = makeLocalExecutor(),
): Promise<Set<string> | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  if ((await realpath(root).catch(() => undefined)) !== '/') return undefined;
  const found = await findPackagesInUse(executor, getPackageManager('apt'));
  if (found.length === 0) return undefined;
  return new Set(found.map((p) => p.name));
}

/** The apk database (Alpine) and the rpm database directory (RHEL family, SUSE), under the root. */
export const APK_INSTALLED = 'lib/apk/db/installed';
export const RPM_DATABASES = ['var/lib/rpm', 'usr/lib/sysimage/rpm'];
/** What the agent asks rpm for: the query format patchcast's rpm-qa reader expects. */
const RPM_QUERY_FORMAT = '%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n';

/**
 * The package database of the installation at `root`, read with patchcast's own readers: dpkg's
 * status file, apk's installed database, or rpm's (through `rpm --root ROOT -qa`, since its database
 * is a Berkeley DB or SQLite file only rpm should read). Undefined when there is none.
 */
async function readPackageDatabase(
  root: string,
): Promise<{ path: string; content: Buffer; format: typeof dpkgStatusFormat } | undefined> {
  const dpkg = join(root, DPKG_STATUS);
  const status = await readOptional(dpkg, 'buffer');
  if (status !== undefined) return { path: dpkg, content: status, format: dpkgStatusFormat };
  const apk = join(root, APK_INSTALLED);
  const installed = await readOptional(apk, 'buffer');
  if (installed !== undefined) return { path: apk, content: installed, format: apkInstalledFormat };
  for (const dir of RPM_DATABASES) {
    if ((await stat(join(root, dir)).catch(() => undefined)) === undefined) continue;
    // The database found is named to rpm: its own default is a build-time macro (Debian's rpm, for
    // one, says ~/.rpmdb), and a default that misses the root's database lists nothing and exits 0.
    const listing = await runArgv([
      'rpm',
      '--root',
      root,
      '--dbpath',
      `/${dir}`,
      '-qa',
      '--queryformat',
      RPM_QUERY_FORMAT,
    ]);
    if (listing.code !== 0)
      throw new PatchcastError(
        'INPUT_INVALID',
        `rpm -qa under ${root} exited ${listing.code}: ${listing.stderr.trim()}`,
        {
          hint: 'Install rpm on this host, or point --root at the installed system.',
        },
      );
    return { path: join(root, dir), content: Buffer.from(listing.stdout), format: rpmQaFormat };
  }
  return undefined;
}

/**
 * What changes when the package manager changes its database: the dpkg status file's or the apk
 * database's mtime and size (both are rewritten whole through a rename), or the rpm database
 * directory's files' newest mtime.
 */
export async function getDatabaseStamp(root: string): Promise<string | undefined> {
  for (const file of [DPKG_STATUS, APK_INSTALLED]) {
    const info = await stat(join(root, file)).catch(() => undefined);
    if (info) return `${info.mtimeMs}:${info.size}`;
  }
  for (const dir of RPM_DATABASES) {
    const names = await readdir(join(root, dir)).catch(() => undefined);
    if (!names) continue;
    let newest = 0;
    for (const name of names)
      newest = Math.max(newest, (await stat(join(root, dir, name)).catch(() => undefined))?.mtimeMs ?? 0);
    return `rpm:${newest}:${names.length}`;
  }
  return undefined;
}

function getArch(purl: string): string | undefined {
  try {
    return PackageURL.fromString(purl).qualifiers?.arch;
  } catch {
    return undefined;
  }
}

async function readOptional(path: string): Promise<string | undefined>;
async function readOptional(path: string, as: 'buffer'): Promise<Buffer | undefined>;
async function readOptional(path: string, as?: 'buffer'): Promise<string | Buffer | undefined> {
  try {
    return as === 'buffer' ? await readFile(path) : await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw new PatchcastError('INPUT_NOT_FOUND', `cannot read ${path}: ${(error as Error).message}`, {
      hint: 'Run the agent as root, or point --root at a readable system root.',
    });
  }
}
