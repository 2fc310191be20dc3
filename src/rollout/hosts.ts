/**
 * How the controller reaches a host it runs jobs on: the executor its `rollout.hosts` entry names
 * (SSH with its pinned key, this machine optionally entered through a prefix, or a dry run) and the
 * package manager driver of its job.
 */
import { readFileSync } from 'node:fs';
import { PatchcastError } from '../core/errors.js';
import type { Executor, JobSpec, PackageManager } from './contract.js';
import { makeDryRunExecutor, makeLocalExecutor, makeSshExecutor } from './executors/index.js';
import type { HostEntry } from './job-spec.js';
import { getPackageManager } from './package-managers/index.js';

export interface HostConnection {
  executor: Executor;
  manager: PackageManager;
  /** After a reboot: resolves once the host answers again, booted after the reboot was asked for. */
  waitForHost?: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits for a rebooted host: polls `/proc/uptime` over the executor (which reconnects) until the host
 * answers with an uptime shorter than the time since the reboot was asked for, i.e. it really went
 * down and came back, not merely answered before going down. Gives up after `limitMs`.
 */
export function makeWaitForHost(
  executor: Executor,
  options: { limitMs?: number; pollMs?: number; now?: () => number } = {},
): () => Promise<void> {
  const { limitMs = 15 * 60_000, pollMs = 5000, now = Date.now } = options;
  return async () => {
    const asked = now();
    while (now() - asked < limitMs) {
      await sleep(pollMs);
      try {
        const result = await executor.run(['cat', '/proc/uptime'], { timeoutMs: 10_000 });
        const uptimeMs = Number.parseFloat(result.stdout) * 1000;
        if (result.code === 0 && uptimeMs < now() - asked) return;
      } catch {
        // Still down (or booting): ask again.
      }
    }
    throw new PatchcastError(
      'HOST_UNREACHABLE',
      `the host did not come back within ${Math.round(limitMs / 60_000)} min of its reboot`,
    );
  };
}

function readKeyFile(path: string, what: string, assetId: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new PatchcastError(
      'CONFIG_INVALID',
      `rollout.hosts: ${what} ${path} for ${assetId} cannot be read`,
      {
        hint: 'Point the ssh entry at a readable file (paths are relative to patchcast.yaml).',
        cause: error,
        details: { assetId, path },
      },
    );
  }
}

/** The executor and package manager for a job's host, from its `rollout.hosts` entry. */
export function connectHost(entry: HostEntry, spec: JobSpec): HostConnection {
  const manager = getPackageManager(
    spec.manager,
    entry.aptOptions ? { apt: { aptOptions: entry.aptOptions } } : {},
  );
  switch (entry.executor) {
    case 'local':
      return { executor: makeLocalExecutor(entry.prefix ? { prefix: entry.prefix } : {}), manager };
    case 'dry-run':
      return { executor: makeDryRunExecutor(), manager };
    case 'ssh': {
      const ssh = entry.ssh;
      if (!ssh)
        throw new PatchcastError(
          'CONFIG_INVALID',
          `rollout.hosts: the ssh entry for ${spec.assetId} has no ssh section`,
          {
            hint: 'Give ssh: { host, port, user, privateKey, knownHosts }.',
            details: { assetId: spec.assetId },
          },
        );
      const executor = makeSshExecutor({
        host: ssh.host,
        port: ssh.port,
        username: ssh.user,
        privateKey: readKeyFile(ssh.privateKey, 'privateKey', spec.assetId),
        knownHosts: readKeyFile(ssh.knownHosts, 'knownHosts', spec.assetId),
        sudo: ssh.sudo,
      });
      return { executor, manager, waitForHost: makeWaitForHost(executor) };
    }
    default:
      throw new PatchcastError(
        'INPUT_INVALID',
        `asset ${spec.assetId} is patched by its own agent, not by the controller`,
        {
          details: { assetId: spec.assetId },
        },
      );
  }
}
