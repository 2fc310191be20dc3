import { Client, type ClientChannel } from 'ssh2';
import { PatchcastError } from '../../core/errors.js';
import type { CommandResult, Executor, RunOptions } from '../contract.js';
import { OutputCapture } from './capture.js';
import { DEFAULT_TIMEOUT_MS, getCommandEnv, READ_FILE_MISSING, READ_FILE_SCRIPT, TIMED_OUT } from './env.js';
import { getKeyFingerprint, getKeyType, getKnownHostsName, getPinnedKeys } from './known-hosts.js';
import { exitCode } from './local.js';
import { quoteArgv } from './shell-quote.js';

interface SshTarget {
  host: string;
  port: number;
  username: string;
  /** The client's private key, PEM or OpenSSH text (unencrypted). */
  privateKey: string;
  /** Run each command through `sudo -n --` (for a user other than root with a NOPASSWD rule). */
  sudo?: boolean;
  /** Give up connecting after this long (default 15 s). */
  connectTimeoutMs?: number;
}

/** A host key must be pinned, by an OpenSSH known_hosts text or by a fingerprint: there is no "accept any key". */
export type SshExecutorOptions = SshTarget &
  ({ knownHosts: string; hostKeySha256?: undefined } | { hostKeySha256: string; knownHosts?: undefined });

/** The remote `timeout` sends SIGKILL this many seconds after SIGTERM. */
const REMOTE_KILL_AFTER_S = 2;
/** How long past the timeout the client waits for the remote `timeout` before acting itself. */
const REMOTE_GRACE_MS = 5000;
/** Between the client's own SIGTERM, SIGKILL and giving up on the channel. */
const KILL_GRACE_MS = 2000;

/**
 * The command line sent to the remote shell: `exec` so nothing stays between sshd and the command;
 * `timeout` (coreutils or busybox) because sshd ignores signal requests for root logins, so only a
 * timer on the host reliably ends a command and what it forked (timeout kills its process group,
 * and exits 124 as the contract wants); `env` to give the same minimal environment as a local
 * command (sshd drops most variables a client sends); every word quoted.
 */
export function getRemoteCommand(argv: readonly string[], sudo: boolean, options: RunOptions = {}): string {
  const env = Object.entries(getCommandEnv(options)).map(([key, value]) => `${key}=${value}`);
  const seconds = String(Math.max(1, Math.ceil((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)));
  const timeout = ['timeout', '-k', String(REMOTE_KILL_AFTER_S), seconds];
  return `exec ${quoteArgv([...(sudo ? ['sudo', '-n', '--'] : []), ...timeout, 'env', ...env, ...argv])}`;
}

/** Runs commands on a host over one reused SSH connection (reopened when it drops). */
export function makeSshExecutor(options: SshExecutorOptions): Executor {
  let connection: Promise<Client> | undefined;
  const connect = (): Promise<Client> => {
    connection ??= openConnection(options, () => {
      connection = undefined;
    });
    connection.catch(() => {
      connection = undefined;
    });
    return connection;
  };
  const executor: Executor = {
    kind: 'ssh',
    async run(argv, runOptions = {}) {
      if (argv.length === 0)
        throw new PatchcastError('INPUT_INVALID', 'executor: empty argv (no program to run)');
      const client = await connect();
      return execCommand(
        client,
        getRemoteCommand(argv, options.sudo === true, runOptions),
        runOptions,
        options,
      );
    },
    async readFile(path) {
      const result = await executor.run([...READ_FILE_SCRIPT, path]);
      if (result.code === READ_FILE_MISSING) return undefined;
      if (result.code !== 0) {
        throw new PatchcastError(
          'INPUT_NOT_FOUND',
          `cannot read ${path} on ${where(options)}: ${result.stderr.trim()}`,
        );
      }
      return result.stdout;
    },
    async close() {
      const open = connection;
      connection = undefined;
      if (open) (await open.catch(() => undefined))?.end();
    },
  };
  return executor;
}

function where(target: SshTarget): string {
  return `${target.host}:${target.port}`;
}

/** Checks the presented host key against the pinned ones; on refusal, says which key was seen and how to pin it. */
function verifyHostKey(options: SshExecutorOptions, key: Buffer): PatchcastError | undefined {
  const fingerprint = getKeyFingerprint(key);
  if (options.hostKeySha256 !== undefined) {
    if (fingerprint === options.hostKeySha256.replace(/=+$/, '')) return undefined;
  } else {
    const pinned = getPinnedKeys(options.knownHosts, options.host, options.port);
    const revoked = pinned.revoked.some((blob) => blob.equals(key));
    if (!revoked && pinned.accepted.some((blob) => blob.equals(key))) return undefined;
  }
  const type = getKeyType(key);
  return new PatchcastError(
    'HOST_UNREACHABLE',
    `${where(options)} presented host key ${fingerprint} (${type}), which is not the pinned key: connection refused`,
    {
      hint:
        `If the key changed on purpose, confirm it on the host (ssh-keygen -lf /etc/ssh/ssh_host_${type.replace('ssh-', '')}_key.pub) ` +
        `and pin it: hostKeySha256: ${fingerprint}, or a known_hosts line for ${getKnownHostsName(options.host, options.port)}.`,
      details: {
        host: options.host,
        port: options.port,
        fingerprint,
        keyType: type,
        reason: 'host-key-mismatch',
      },
    },
  );
}

function openConnection(options: SshExecutorOptions, onClose: () => void): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let refusal: PatchcastError | undefined;
    let ready = false;
    client.on('ready', () => {
      ready = true;
      resolve(client);
    });
    client.on('error', (error) => {
      if (ready) return;
      reject(
        refusal ??
          new PatchcastError(
            'HOST_UNREACHABLE',
            `cannot reach ${where(options)} as ${options.username}: ${error.message}`,
            {
              details: { host: options.host, port: options.port },
              cause: error,
            },
          ),
      );
    });
    client.on('close', onClose);
    client.connect({
      host: options.host,
      port: options.port,
      username: options.username,
      privateKey: options.privateKey,
      readyTimeout: options.connectTimeoutMs ?? 15_000,
      // Notice a dead peer so the next command reconnects instead of waiting forever.
      keepaliveInterval: 15_000,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        refusal = verifyHostKey(options, key);
        return refusal === undefined;
      },
    });
  });
}

function execCommand(
  client: Client,
  command: string,
  options: RunOptions,
  target: SshTarget,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) {
        reject(
          new PatchcastError(
            'HOST_UNREACHABLE',
            `${where(target)} refused a command channel: ${error.message}`,
            {
              cause: error,
            },
          ),
        );
        return;
      }
      collect(channel, options, resolve, () =>
        reject(
          new PatchcastError(
            'HOST_UNREACHABLE',
            `the connection to ${where(target)} closed while a command ran (outcome unknown: read the host's state before retrying)`,
            { details: { host: target.host, port: target.port, reason: 'connection-lost' } },
          ),
        ),
      );
    });
  });
}

function collect(
  channel: ClientChannel,
  options: RunOptions,
  resolve: (result: CommandResult) => void,
  lost: () => void,
): void {
  const stdout = new OutputCapture();
  const stderr = new OutputCapture();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const startedAt = Date.now();
  let status: number | undefined;
  let settled = false;
  const timers: NodeJS.Timeout[] = [];
  const settle = (stuck: boolean): void => {
    if (settled) return;
    settled = true;
    for (const timer of timers) clearTimeout(timer);
    // No exit status: the connection went away under the command, which may or may not have finished.
    if (status === undefined && !stuck) {
      lost();
      return;
    }
    const timedOut = stuck || (status === TIMED_OUT && Date.now() - startedAt >= timeoutMs);
    resolve({
      code: stuck ? TIMED_OUT : (status ?? 1),
      stdout: stdout.text(),
      stderr: stderr.text() + (timedOut ? `patchcast: killed after ${timeoutMs} ms\n` : ''),
    });
  };
  // The remote `timeout` normally ends the command; this is for a host where it could not.
  timers.push(setTimeout(() => abandon(channel, timers, () => settle(true)), timeoutMs + REMOTE_GRACE_MS));
  channel.on('data', (chunk: Buffer) => stdout.push(chunk));
  channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  channel.on('exit', (code: number | null, signal?: string) => {
    status = exitCode(code, (signal === undefined ? null : `SIG${signal}`) as NodeJS.Signals | null);
  });
  channel.on('close', () => settle(false));
  channel.end(options.input ?? '');
}

/** Signals the command (honoured by sshd for non-root logins), closes the channel, and gives up waiting. */
function abandon(channel: ClientChannel, timers: NodeJS.Timeout[], giveUp: () => void): void {
  sendSignal(channel, 'TERM');
  timers.push(
    setTimeout(() => {
      sendSignal(channel, 'KILL');
      channel.close();
      timers.push(setTimeout(giveUp, KILL_GRACE_MS));
    }, KILL_GRACE_MS),
  );
}

/** The parts of ssh2's channel that `signal()` uses, reached directly (see sendSignal). */
interface ChannelInternals {
  outgoing?: { id?: number; state?: string };
  _client?: { _protocol?: { signal?: (id: number, name: string) => void } };
}

/**
 * Asks sshd to signal the command's process group (OpenSSH ≥ 7.9 honours "signal" requests).
 * ssh2's `channel.signal()` sends nothing once our side has sent EOF, and we always send EOF after
 * the input, so the request goes through its protocol object instead.
 */
function sendSignal(channel: ClientChannel, name: 'TERM' | 'KILL'): void {
  const internals = channel as unknown as ChannelInternals;
  const id = internals.outgoing?.id;
  const signal = internals._client?._protocol?.signal;
  if (id === undefined || signal === undefined || internals.outgoing?.state === 'closed') return;
  signal.call(internals._client?._protocol, id, name);
}
