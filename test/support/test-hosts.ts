import { type ChildProcess, execFile, type SpawnOptions, spawn } from 'node:child_process';
import { mkdir, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { CommandResult, Executor, RunOptions } from '../../src/rollout/contract.js';
import { HOST_PATH } from '../../src/rollout/executors/env.js';
import { makeLocalExecutor } from '../../src/rollout/executors/local.js';

const exec = promisify(execFile);

/** Where the demo repository appears inside a host. */
export const HOST_REPO_DIR = '/mnt/pcrepo';
/** The only apt source list a host's apt reads (given through `aptOptions`). */
export const HOST_SOURCE_LIST = '/etc/apt/pcdemo.list';

/** apt options that restrict apt to the demo repository and leave the other lists alone. */
export const TEST_HOST_APT_OPTIONS: readonly string[] = [
  '-o',
  `Dir::Etc::sourcelist=${HOST_SOURCE_LIST}`,
  '-o',
  'Dir::Etc::sourceparts=-',
  '-o',
  'APT::Get::List-Cleanup=0',
];

/**
 * Mounts the host inside the persistent namespace: the overlay of `/`, then /proc, /dev and the
 * repository. A constant script: the directories arrive as "$1" and "$2".
 */
const MOUNT_SCRIPT = [
  'set -e',
  'mount -t overlay overlay -o "lowerdir=/,upperdir=$1/u,workdir=$1/w" "$1/m"',
  'mount --bind /proc "$1/m/proc"',
  'mount --bind /dev "$1/m/dev"',
  `mkdir -p "$1/m${HOST_REPO_DIR}" "$1/m/run/sshd"`,
  `mount --bind "$2" "$1/m${HOST_REPO_DIR}"`,
].join('\n');

/**
 * A rehearsal inside a host: an overlay upper on overlayfs is refused by the kernel, so the
 * rehearsal's upper lives on a tmpfs. Prints the marker file it wrote in the throw-away root.
 */
export const NESTED_OVERLAY_SCRIPT = [
  'set -e',
  'mkdir -p /run/rh',
  'mount -t tmpfs tmpfs /run/rh',
  'mkdir /run/rh/u /run/rh/w /run/rh/m',
  'mount -t overlay overlay -o lowerdir=/,upperdir=/run/rh/u,workdir=/run/rh/w /run/rh/m',
  "chroot /run/rh/m sh -c 'echo rehearsal > /etc/pcdemo-rehearsal && cat /etc/pcdemo-rehearsal'",
].join('\n');

export interface TestHost {
  /** The host's own directory: `u` (its difference from this machine), `w`, `m` (its root), `ns`. */
  readonly dir: string;
  readonly hostname: string;
  /** apt-get options that make apt see only the demo repository. */
  readonly aptOptions: readonly string[];
  /** The argv prefix that enters the host. */
  readonly prefix: readonly string[];
  /** A local executor whose commands run inside the host. */
  executor(): Executor;
  run(argv: readonly string[], options?: RunOptions): Promise<CommandResult>;
  /** Starts a long-running process inside the host (an agent, sshd); destroy() kills it. */
  spawn(argv: readonly string[], options?: SpawnOptions): ChildProcess;
  /** The installed version of a package in the host's dpkg database, or undefined. */
  installed(name: string): Promise<string | undefined>;
  /** The lines dpkg appended to the host's /var/log/dpkg.log since the host was made. */
  dpkgLog(): Promise<string[]>;
  /** Kills what was spawned, unmounts everything and removes the directory. */
  destroy(): Promise<void>;
}

let hostCount = 0;
const OWNER_FILE = 'owner.pid';

/**
 * A test host: this machine's `/` under an overlay in a persistent mount namespace, entered with
 * `nsenter … chroot`. Its package database, files and logs are its own (the upper directory); it
 * shares this machine's network, so it reaches 127.0.0.1. Needs root (mounts).
 */
export async function makeTestHost(options: {
  dir: string;
  repo: string;
  hostname?: string;
}): Promise<TestHost> {
  const { dir } = options;
  await sweepStaleTestHosts();
  const hostname = options.hostname ?? `pc-test-${process.pid}-${++hostCount}`;
  await mkdir(join(dir, 'u'), { recursive: true });
  await mkdir(join(dir, 'w'));
  await mkdir(join(dir, 'm'));
  await writeFile(join(dir, 'ns'), '');
  // Marks the directory as a test host and names the process that owns it (see sweepStaleTestHosts).
  await writeFile(join(dir, OWNER_FILE), String(process.pid));
  const ns = join(dir, 'ns');
  const root = join(dir, 'm');
  const children = new Set<ChildProcess>();
  const host = buildHost({ dir, hostname, ns, root, children });
  try {
    await exec('unshare', [
      `--mount=${ns}`,
      '--propagation',
      'private',
      'sh',
      '-c',
      MOUNT_SCRIPT,
      'sh',
      dir,
      options.repo,
    ]);
    await setUpHost(host);
  } catch (error) {
    await host.destroy();
    throw error;
  }
  return host;
}

async function setUpHost(host: TestHost & { baseline?: number }): Promise<void> {
  const write = (path: string, text: string) =>
    mustRun(host, ['sh', '-c', 'cat > "$1"', 'sh', path], { input: text });
  await write('/etc/hostname', `${host.hostname}\n`);
  await write(HOST_SOURCE_LIST, `deb [trusted=yes] file:${HOST_REPO_DIR} ./\n`);
  host.baseline = (await host.executor().readFile('/var/log/dpkg.log'))?.split('\n').length ?? 1;
}

async function mustRun(
  host: TestHost,
  argv: readonly string[],
  options?: RunOptions,
): Promise<CommandResult> {
  const result = await host.run(argv, options);
  if (result.code !== 0) {
    throw new Error(`test host ${host.hostname}: ${argv.join(' ')} exited ${result.code}: ${result.stderr}`);
  }
  return result;
}

interface HostParts {
  dir: string;
  hostname: string;
  ns: string;
  root: string;
  children: Set<ChildProcess>;
}

function buildHost(parts: HostParts): TestHost & { baseline?: number } {
  const prefix = ['nsenter', `--mount=${parts.ns}`, '--', 'chroot', parts.root];
  const executor = makeLocalExecutor({ prefix });
  const host: TestHost & { baseline?: number } = {
    dir: parts.dir,
    hostname: parts.hostname,
    aptOptions: TEST_HOST_APT_OPTIONS,
    prefix,
    executor: () => executor,
    run: (argv, options) => executor.run(argv, options),
    spawn(argv, options = {}) {
      const [program, ...args] = [...prefix, ...argv];
      const child = spawn(program as string, args, {
        env: { PATH: HOST_PATH, LANG: 'C', LC_ALL: 'C' },
        stdio: ['ignore', 'pipe', 'pipe'],
        ...options,
        // Its own process group, so destroy() takes whatever it forked along.
        detached: true,
      });
      parts.children.add(child);
      child.on('exit', () => parts.children.delete(child));
      return child;
    },
    async installed(name) {
      // dpkg-query's own ${field} syntax, not a template.
      const format = ['-f=$', '{Status}\t$', '{Version}'].join('');
      const result = await executor.run(['dpkg-query', '-W', format, '--', name]);
      const [status, version] = result.stdout.split('\t');
      return result.code === 0 && status === 'install ok installed' ? version : undefined;
    },
    async dpkgLog() {
      const text = (await executor.readFile('/var/log/dpkg.log')) ?? '';
      return text
        .split('\n')
        .slice((host.baseline ?? 1) - 1)
        .filter((line) => line !== '');
    },
    destroy: () => destroyHost(parts),
  };
  return host;
}

async function destroyHost(parts: HostParts): Promise<void> {
  for (const child of parts.children) await killChild(child);
  // Lazy unmount detaches the overlay and the binds below it even if a straggler still holds them.
  await exec('nsenter', [`--mount=${parts.ns}`, '--', 'umount', '-l', parts.root]).catch(() => {});
  await exec('umount', [parts.ns]).catch(() => {});
  await rm(parts.dir, { recursive: true, force: true, maxRetries: 3 });
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // Already gone.
    }
  };
  kill('SIGTERM');
  const timer = setTimeout(() => kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/**
 * Removes the hosts of test runs that died without their afterAll (a SIGKILLed vitest): their
 * namespace stays mounted and their sshd keeps listening. A host is stale when its owner process is
 * gone; its processes are found by their mount namespace and killed, then it is unmounted and removed.
 */
export async function sweepStaleTestHosts(): Promise<void> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  for (const line of mountinfo.split('\n')) {
    const fields = line.split(' ');
    const [root, mountPoint] = [fields[3], fields[4]];
    if (!line.includes(' - nsfs ') || root === undefined || mountPoint === undefined) continue;
    const dir = dirname(mountPoint);
    const owner = Number(await readFile(join(dir, OWNER_FILE), 'utf8').catch(() => 'NaN'));
    if (!Number.isInteger(owner) || isAlive(owner)) continue;
    await killNamespace(root);
    await destroyHost({ dir, hostname: '', ns: mountPoint, root: join(dir, 'm'), children: new Set() });
  }
}

/**
 * Destroys a host made by another process (a lab kept after `scripts/rollout-lab.ts up`): kills the
 * processes in its namespace, unmounts it and removes its directory.
 */
export async function destroyTestHostDir(dir: string): Promise<void> {
  const ns = join(dir, 'ns');
  const link = await readlink(`/proc/self/ns/mnt`).catch(() => undefined);
  const inode = await exec('nsenter', [`--mount=${ns}`, '--', 'readlink', '/proc/self/ns/mnt'])
    .then((r) => r.stdout.trim())
    .catch(() => undefined);
  if (inode && inode !== link) await killNamespace(inode);
  await destroyHost({ dir, hostname: '', ns, root: join(dir, 'm'), children: new Set() });
}

/** Keeps a host after this process exits (a lab): the sweep of stale hosts passes over it. */
export async function keepTestHost(host: TestHost): Promise<void> {
  await rm(join(host.dir, OWNER_FILE), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGKILLs every process whose mount namespace is `namespace` (as /proc/PID/ns/mnt reads: `mnt:[inode]`). */
async function killNamespace(namespace: string): Promise<void> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const link = await readlink(`/proc/${entry}/ns/mnt`).catch(() => undefined);
    if (link !== namespace) continue;
    try {
      process.kill(Number(entry), 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}
