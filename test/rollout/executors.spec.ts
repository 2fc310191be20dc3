import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPatchcastError } from '../../src/core/errors.js';
import { OutputCapture } from '../../src/rollout/executors/capture.js';
import {
  getKeyFingerprint,
  getLocalArgv,
  getPinnedKeys,
  getRemoteCommand,
  makeDryRunExecutor,
  makeLocalExecutor,
  makeSshExecutor,
  quoteArgv,
} from '../../src/rollout/executors/index.js';
import { buildDemoDebs, PCDEMO, PCDEMO_HEALTH_FILE, PCDEMO_LIB } from '../support/debs.js';
import { hasSshd, startSshd, type TestSshd } from '../support/sshd.js';
import {
  makeTestHost,
  NESTED_OVERLAY_SCRIPT,
  sweepStaleTestHosts,
  type TestHost,
} from '../support/test-hosts.js';
import { describeExecutorContract, HOSTILE_ARGS } from './executor-contract.js';

const exec = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const HOSTS_TITLE = isRoot ? 'test hosts' : 'test hosts — SKIPPED: needs root (mount namespaces, overlayfs)';
const SSH_TITLE =
  isRoot && hasSshd()
    ? 'ssh executor'
    : 'ssh executor — SKIPPED: needs root and /usr/sbin/sshd (openssh-server)';

describe('shell quoting for the remote shell', () => {
  it('round-trips hostile arguments through a real sh', async () => {
    const { stdout } = await exec('sh', ['-c', `printf '%s\\n' ${quoteArgv(HOSTILE_ARGS)}`]);
    expect(stdout).toBe(HOSTILE_ARGS.map((arg) => `${arg}\n`).join(''));
  });

  it('round-trips any text without NUL (property)', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0'));
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 8 }), async (args) => {
        const { stdout } = await exec('sh', ['-c', `printf '%s\\0' ${quoteArgv(args)}`]);
        expect(stdout).toBe(args.map((arg) => `${arg}\0`).join(''));
      }),
      { numRuns: 40 },
    );
  });

  it('refuses a NUL byte, which no remote command can receive', () => {
    expect(() => quoteArgv(['a\0b'])).toThrow(/NUL/);
  });
});

describe('argv shapes', () => {
  it('local: prefix, then sudo -n --, then the command', () => {
    const prefix = ['nsenter', '--mount=/x/ns', '--', 'chroot', '/x/m'];
    expect(getLocalArgv(['apt-get', 'update'], { prefix, sudo: true })).toEqual([
      ...prefix,
      'sudo',
      '-n',
      '--',
      'apt-get',
      'update',
    ]);
    expect(getLocalArgv(['apt-get', 'update'])).toEqual(['apt-get', 'update']);
  });

  it('ssh: exec, sudo -n --, env with the minimal environment, every word quoted', () => {
    const command = getRemoteCommand(['dpkg-query', '-W', "it's"], true, { env: { X: 'a b' } });
    expect(command).toBe(
      "exec 'sudo' '-n' '--' 'timeout' '-k' '2' '600' 'env' 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' " +
        "'LANG=C' 'LC_ALL=C' 'DEBIAN_FRONTEND=noninteractive' 'X=a b' 'dpkg-query' '-W' 'it'\\''s'",
    );
    expect(getRemoteCommand(['true'], false, { timeoutMs: 1500 })).toMatch(
      /^exec 'timeout' '-k' '2' '2' 'env' /,
    );
  });
});

describe('output cap', () => {
  it('keeps the first and last bytes of a long output and says how much it left out', () => {
    const capture = new OutputCapture(4);
    for (const chunk of ['abc', 'defgh', 'ij', 'klmn']) capture.push(Buffer.from(chunk));
    expect(capture.truncated).toBe(true);
    expect(capture.text()).toBe('abcd\n[patchcast: 6 bytes of output left out]\nklmn');
  });

  it('a local command printing over 2 MiB comes back as its first and last MiB', async () => {
    const result = await makeLocalExecutor().run([
      'sh',
      '-c',
      'printf start; head -c 3000000 /dev/zero | tr "\\0" x; printf end',
    ]);
    expect(result.stdout.startsWith('start')).toBe(true);
    expect(result.stdout.endsWith('end')).toBe(true);
    expect(result.stdout).toContain(`[patchcast: ${3_000_008 - 2 * 1024 * 1024} bytes of output left out]`);
  });
});

describe('known_hosts pinning', () => {
  let dir: string;
  let blob: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pc-known-hosts-'));
    await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'key')]);
    blob = (await readFile(join(dir, 'key.pub'), 'utf8')).split(' ')[1] ?? '';
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('matches [host]:port, patterns and negations, and hashed names made by ssh-keygen -H', async () => {
    const key = Buffer.from(blob, 'base64');
    expect(getPinnedKeys(`[127.0.0.1]:2222 ssh-ed25519 ${blob}`, '127.0.0.1', 2222).accepted).toEqual([key]);
    expect(getPinnedKeys(`[127.0.0.1]:2222 ssh-ed25519 ${blob}`, '127.0.0.1', 2223).accepted).toEqual([]);
    expect(getPinnedKeys(`web*,!web9 ssh-ed25519 ${blob}`, 'web1', 22).accepted).toEqual([key]);
    expect(getPinnedKeys(`web*,!web9 ssh-ed25519 ${blob}`, 'web9', 22).accepted).toEqual([]);
    expect(getPinnedKeys(`@revoked db1 ssh-ed25519 ${blob}`, 'db1', 22).revoked).toEqual([key]);
    const file = join(dir, 'known_hosts');
    await writeFile(file, `[db.example]:2200 ssh-ed25519 ${blob}\n`);
    await exec('ssh-keygen', ['-q', '-H', '-f', file]);
    const hashed = await readFile(file, 'utf8');
    expect(hashed).toMatch(/^\|1\|/);
    expect(getPinnedKeys(hashed, 'db.example', 2200).accepted).toEqual([key]);
    expect(getPinnedKeys(hashed, 'db.example', 22).accepted).toEqual([]);
  });

  it('prints the fingerprint ssh-keygen -l prints', async () => {
    const { stdout } = await exec('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'key.pub')]);
    expect(stdout.split(' ')[1]).toBe(getKeyFingerprint(Buffer.from(blob, 'base64')));
  });
});

describe('dry-run executor', () => {
  it('records each argv with its options, runs nothing and answers reads from its map', async () => {
    const executor = makeDryRunExecutor({
      files: { '/etc/os-release': 'ID=debian\n' },
      answer: (argv) =>
        argv[0] === 'dpkg-query' ? { code: 0, stdout: 'pcdemo\t1.0-1\n', stderr: '' } : undefined,
    });
    const marker = join(tmpdir(), `pc-dry-run-${process.pid}`);
    expect(await executor.run(['touch', marker], { timeoutMs: 5 })).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    expect((await executor.run(['dpkg-query', '-W', 'pcdemo'])).stdout).toBe('pcdemo\t1.0-1\n');
    expect(executor.calls).toEqual([
      { argv: ['touch', marker], options: { timeoutMs: 5 } },
      { argv: ['dpkg-query', '-W', 'pcdemo'], options: {} },
    ]);
    await expect(readFile(marker)).rejects.toThrow(/ENOENT/);
    expect(await executor.readFile('/etc/os-release')).toBe('ID=debian\n');
    expect(await executor.readFile('/etc/shadow')).toBeUndefined();
    expect(executor.kind).toBe('dry-run');
  });
});

describeExecutorContract('local, this machine', () => makeLocalExecutor());

describe.skipIf(!isRoot)(HOSTS_TITLE, () => {
  let dir: string;
  let repo: string;
  let host: TestHost;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pc-hosts-'));
    repo = (await buildDemoDebs(join(dir, 'repo'))).dir;
    host = await makeTestHost({ dir: join(dir, 'host-a'), repo, hostname: 'pc-host-a' });
  });
  afterAll(async () => {
    await host?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  describeExecutorContract('local, inside a test host', () => host.executor());

  it('is its own machine: its hostname, and an apt install changes its dpkg database and not this one', async () => {
    expect(await host.executor().readFile('/etc/hostname')).toBe('pc-host-a\n');
    expect(await readFile('/etc/hostname', 'utf8')).not.toBe('pc-host-a\n');
    expect((await host.run(['apt-get', ...host.aptOptions, 'update'])).code).toBe(0);
    const install = await host.run(['apt-get', ...host.aptOptions, 'install', '-y', `pcdemo=${PCDEMO.base}`]);
    expect(install.code, install.stderr).toBe(0);
    expect(await host.installed('pcdemo')).toBe(PCDEMO.base);
    expect(await host.executor().readFile(PCDEMO_HEALTH_FILE)).toBe('ok\n');
    const here = await exec('dpkg-query', ['-W', 'pcdemo']).catch((error: { code: number }) => error);
    expect(here).toMatchObject({ code: 1 });
    expect((await host.dpkgLog()).filter((line) => / install pcdemo:all /.test(line))).toHaveLength(1);
  });

  it('the demo packages behave as named: a failing postinst, a broken health, a rollback', async () => {
    const apt = (...args: string[]) => host.run(['apt-get', ...host.aptOptions, '-y', ...args]);
    expect((await apt('update')).code).toBe(0);
    expect((await apt('install', `pcdemo=${PCDEMO.base}`, `pcdemo-lib=${PCDEMO_LIB.base}`)).code).toBe(0);
    const failing = await apt('install', `pcdemo=${PCDEMO.failingPostinst}`);
    expect(failing.code).not.toBe(0);
    expect(failing.stderr + failing.stdout).toContain('postinst fails on purpose');
    expect(await host.installed('pcdemo')).toBeUndefined();
    expect((await apt('install', `pcdemo=${PCDEMO.brokenHealth}`)).code).toBe(0);
    expect(await host.executor().readFile(PCDEMO_HEALTH_FILE)).toBe('broken\n');
    expect(
      (await apt('install', '--allow-downgrades', `pcdemo=${PCDEMO.fix}`, `pcdemo-lib=${PCDEMO_LIB.fix}`))
        .code,
    ).toBe(0);
    expect(await host.installed('pcdemo')).toBe(PCDEMO.fix);
    expect(await host.installed('pcdemo-lib')).toBe(PCDEMO_LIB.fix);
    expect(await host.executor().readFile(PCDEMO_HEALTH_FILE)).toBe('ok\n');
    const upgrades = (await host.dpkgLog()).filter((line) => / (upgrade|install) pcdemo:all /.test(line));
    expect(upgrades.map((line) => line.split(' ').slice(-1)[0])).toEqual([
      PCDEMO.base,
      PCDEMO.failingPostinst,
      PCDEMO.brokenHealth,
      PCDEMO.fix,
    ]);
  });

  it('hosts are apart from each other', async () => {
    const other = await makeTestHost({ dir: join(dir, 'host-b'), repo, hostname: 'pc-host-b' });
    try {
      expect(await other.executor().readFile('/etc/hostname')).toBe('pc-host-b\n');
      expect(await other.installed('pcdemo')).toBeUndefined();
    } finally {
      await other.destroy();
    }
  });

  it('a host left behind by a killed test run is swept: its processes killed, unmounted, removed', async () => {
    const orphanDir = join(dir, 'orphan');
    const script = fileURLToPath(new URL('../support/orphan-test-host.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, orphanDir, repo], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const orphan = JSON.parse(line.toString()) as { dir: string; pid: number };
    child.kill('SIGKILL');
    await once(child, 'exit');
    const mounted = async () => (await readFile('/proc/self/mountinfo', 'utf8')).includes(orphanDir);
    expect(await mounted()).toBe(true);
    await sweepStaleTestHosts();
    expect(await mounted()).toBe(false);
    expect(existsSync(orphanDir)).toBe(false);
    const state = await readFile(`/proc/${orphan.pid}/status`, 'utf8').catch(() => 'State:\tgone');
    expect(state).toMatch(/State:\t(Z|gone)/);
    expect(await host.installed('bash')).toBeDefined();
  });

  it('a rehearsal inside a host works with a tmpfs upper and leaves the host untouched', async () => {
    const rehearsal = await host.run([
      'unshare',
      '-m',
      '--propagation',
      'private',
      'sh',
      '-c',
      NESTED_OVERLAY_SCRIPT,
    ]);
    expect(rehearsal).toMatchObject({ code: 0, stdout: 'rehearsal\n' });
    expect(await host.executor().readFile('/etc/pcdemo-rehearsal')).toBeUndefined();
  });
});

describe.skipIf(!isRoot || !hasSshd())(SSH_TITLE, () => {
  let dir: string;
  let host: TestHost;
  let sshd: TestSshd;
  const target = () => ({ host: '127.0.0.1', port: sshd.port, username: 'root', privateKey: sshd.clientKey });
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pc-ssh-'));
    const repo = (await buildDemoDebs(join(dir, 'repo'))).dir;
    host = await makeTestHost({ dir: join(dir, 'host'), repo, hostname: 'pc-ssh-host' });
    sshd = await startSshd(host);
  });
  afterAll(async () => {
    await sshd?.stop();
    await host?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  describeExecutorContract('ssh into a test host (known_hosts)', () =>
    makeSshExecutor({ ...target(), knownHosts: sshd.knownHosts }),
  );

  it('lands in the test host, and an apt install over SSH changes that host only', async () => {
    const executor = makeSshExecutor({ ...target(), hostKeySha256: sshd.hostKeyFingerprint });
    try {
      expect(await executor.readFile('/etc/hostname')).toBe('pc-ssh-host\n');
      const apt = (...args: string[]) => executor.run(['apt-get', ...host.aptOptions, '-y', ...args]);
      expect((await apt('update')).code).toBe(0);
      expect((await apt('install', `pcdemo-lib=${PCDEMO_LIB.base}`)).code).toBe(0);
      expect(await host.installed('pcdemo-lib')).toBe(PCDEMO_LIB.base);
      const here = await exec('dpkg-query', ['-W', 'pcdemo-lib']).catch((error: { code: number }) => error);
      expect(here).toMatchObject({ code: 1 });
    } finally {
      await executor.close();
    }
  });

  it('refuses a host whose key is not the pinned one, naming host:port and the key seen', async () => {
    const wrong = `SHA256:${Buffer.alloc(32).toString('base64').replace(/=+$/, '')}`;
    const executor = makeSshExecutor({ ...target(), hostKeySha256: wrong });
    const error = await executor.run(['true']).catch((e: unknown) => e);
    expect(isPatchcastError(error) && error.code).toBe('HOST_UNREACHABLE');
    expect(String((error as Error).message)).toContain(
      `127.0.0.1:${sshd.port} presented host key ${sshd.hostKeyFingerprint}`,
    );
    expect((error as { hint: string }).hint).toContain(`hostKeySha256: ${sshd.hostKeyFingerprint}`);
    const unlisted = makeSshExecutor({
      ...target(),
      knownHosts: sshd.knownHosts.replace(`]:${sshd.port}`, ']:1'),
    });
    await expect(unlisted.run(['true'])).rejects.toThrow(/not the pinned key/);
  });

  it('reconnects after the connection drops, and reports a command cut off by the drop as unreachable', async () => {
    const executor = makeSshExecutor({ ...target(), knownHosts: sshd.knownHosts });
    try {
      expect((await executor.run(['echo', 'one'])).stdout).toBe('one\n');
      // The parent of the command's `timeout` is sshd's session process: killing it cuts the connection mid-command.
      await expect(
        executor.run(['sh', '-c', 'kill -9 "$(cut -d" " -f4 /proc/$PPID/stat)"; sleep 5']),
      ).rejects.toThrow(/outcome unknown/);
      expect((await executor.run(['echo', 'two'])).stdout).toBe('two\n');
    } finally {
      await executor.close();
    }
  });

  it('refuses a host whose key changed since it was pinned', async () => {
    const pinned = sshd.knownHosts;
    const port = sshd.port;
    await sshd.stop();
    sshd = await startSshd(host, { port, hostKey: 'host_key_rotated' });
    expect(sshd.knownHosts).not.toBe(pinned);
    const executor = makeSshExecutor({ ...target(), knownHosts: pinned });
    await expect(executor.run(['true'])).rejects.toThrow(`presented host key ${sshd.hostKeyFingerprint}`);
  });
});
