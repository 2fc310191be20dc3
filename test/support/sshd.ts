import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { getKeyFingerprint } from '../../src/rollout/executors/known-hosts.js';
import type { TestHost } from './test-hosts.js';

export const SSHD = '/usr/sbin/sshd';

/** True when OpenSSH's server is installed (`.ci/run` installs openssh-server). */
export function hasSshd(): boolean {
  return existsSync(SSHD);
}

/** Inside the host: sshd's config, keys and pid file. */
const SSH_DIR = '/etc/pcssh';

export interface TestSshd {
  port: number;
  /** The client's private key (OpenSSH format), authorised for root. */
  clientKey: string;
  /** A known_hosts text pinning the server's key for [127.0.0.1]:port. */
  knownHosts: string;
  hostKeyFingerprint: string;
  stop(): Promise<void>;
}

export interface SshdOptions {
  /** Listen here (default: a free port); a restart on the same port with another key tests key changes. */
  port?: number;
  /** Name of the host key file under /etc/pcssh, generated when absent (default `host_key`). */
  hostKey?: string;
}

/**
 * Starts a real OpenSSH sshd inside a test host, on 127.0.0.1 only, with keys generated now, so
 * commands that arrive over SSH change that host's overlay and nothing else.
 */
export async function startSshd(host: TestHost, options: SshdOptions = {}): Promise<TestSshd> {
  const port = options.port ?? (await getFreePort());
  const hostKey = `${SSH_DIR}/${options.hostKey ?? 'host_key'}`;
  const config = `${SSH_DIR}/sshd_config_${port}`;
  await must(host, ['mkdir', '-p', SSH_DIR, '/run/sshd']);
  await generateKey(host, hostKey);
  await generateKey(host, `${SSH_DIR}/client_key`);
  await must(host, ['cp', `${SSH_DIR}/client_key.pub`, `${SSH_DIR}/authorized_keys`]);
  await must(host, ['sh', '-c', 'cat > "$1"', 'sh', config], { input: getSshdConfig(port, hostKey) });
  const child = host.spawn([SSHD, '-D', '-e', '-f', config]);
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString('utf8');
  });
  child.stdout?.resume();
  await waitForPort(port, () =>
    child.exitCode !== null ? `sshd exited ${child.exitCode}: ${log}` : undefined,
  );
  const publicKey = (await host.executor().readFile(`${hostKey}.pub`))?.trim() ?? '';
  const [type, blob] = publicKey.split(/\s+/);
  return {
    port,
    clientKey: (await host.executor().readFile(`${SSH_DIR}/client_key`)) ?? '',
    knownHosts: `[127.0.0.1]:${port} ${type} ${blob}\n`,
    hostKeyFingerprint: getKeyFingerprint(Buffer.from(blob ?? '', 'base64')),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function getSshdConfig(port: number, hostKey: string): string {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    `AuthorizedKeysFile ${SSH_DIR}/authorized_keys`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'PrintMotd no',
    `PidFile ${SSH_DIR}/sshd_${port}.pid`,
    '',
  ].join('\n');
}

async function generateKey(host: TestHost, path: string): Promise<void> {
  const exists = await host.run(['test', '-e', path]);
  if (exists.code === 0) return;
  await must(host, ['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'patchcast-test', '-f', path]);
}

async function must(host: TestHost, argv: string[], options?: { input: string }): Promise<void> {
  const result = await host.run(argv, options);
  if (result.code !== 0)
    throw new Error(`${argv.join(' ')} in ${host.hostname} exited ${result.code}: ${result.stderr}`);
}

/** A port the kernel just handed out on 127.0.0.1; free again once the probe server closes. */
export async function getFreePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/** Waits (at most 20 s) until something accepts on 127.0.0.1:port; `failed` explains an early death. */
async function waitForPort(port: number, failed: () => string | undefined): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const reason = failed();
    if (reason !== undefined) throw new Error(reason);
    if (await canConnect(port)) return;
    await sleep(100);
  }
  throw new Error(`sshd did not listen on 127.0.0.1:${port} within 20 s`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
