/**
 * The agent's report of its own host (`patchcast.agent-report/1`, see
 * ../inventory/agent-report/readme.md), read with patchcast's own parsers of /etc/os-release and the
 * dpkg status database under the managed root, with which packages running processes use.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { PackageURL } from 'packageurl-js';
import { PatchcastError } from '../core/errors.js';
import { AGENT_REPORT_SCHEMA } from '../inventory/agent-report/index.js';
import { dpkgStatusFormat } from '../inventory/dpkg-status/index.js';
import { parseOsReleaseText } from '../inventory/os-release.js';
import type { Executor } from '../rollout/contract.js';
import { makeLocalExecutor } from '../rollout/executors/local.js';
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
 * dpkg database (only dpkg-based hosts are inventoried by the agent so far).
 */
export async function loadHostReport(
  root: string,
  now: Date,
  options: HostReportOptions = {},
): Promise<AgentReport | undefined> {
  const statusPath = join(root, DPKG_STATUS);
  const status = await readOptional(statusPath, 'buffer');
  if (status === undefined) return undefined;
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
  const parsed = dpkgStatusFormat.parse({ path: statusPath, content: status });
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

/**
 * What changes when dpkg changes its database: the status file's mtime and size (dpkg rewrites it
 * whole through a rename, so either moves on every install or removal).
 */
export async function getDpkgStamp(root: string): Promise<string | undefined> {
  try {
    const info = await stat(join(root, DPKG_STATUS));
    return `${info.mtimeMs}:${info.size}`;
  } catch {
    return undefined;
  }
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
