import type { Executor, JobSpec, PackageManager, StepOutcome } from './contract.js';
import {
  findStaleProcesses,
  isRestartable,
  isSystemdHost,
  loadOwners,
  needsReboot,
  type StaleProcess,
} from './restart.js';

/** What scopes a service restart to the job's own change. */
export interface RestartScope {
  manager: PackageManager;
  /** The packages the job changed: only services running their old files are restarted. */
  packages: readonly string[];
}

export interface RestartStepOptions {
  /** How the host is rebooted (default `systemctl reboot`). */
  rebootArgv?: readonly string[];
  /** Resolves once the host answers again after a reboot; rejects when it does not come back. */
  waitForHost?: () => Promise<void>;
}

export interface RestartStepResult {
  outcome: StepOutcome;
  /** Why the step failed or was skipped, one line. */
  reason?: string;
  data: Record<string, unknown>;
  /** The commands' output, for the report's excerpt. */
  output: string;
}

/**
 * The restart step after a change: a reboot when the job asks for one (always, or when the host says
 * it is required), else a restart of each service still running replaced code. A failed restart fails
 * the step, which rolls the job back: a service that does not come back on the new code is what a
 * rollout must not leave behind.
 */
export async function restartAfterChange(
  spec: Pick<JobSpec, 'reboot' | 'restartServices'>,
  executor: Executor,
  options: RestartStepOptions = {},
  scope?: RestartScope,
): Promise<RestartStepResult> {
  const rebootRequired = spec.reboot === 'never' ? undefined : await needsReboot(executor);
  if (spec.reboot === 'always' || rebootRequired === true) {
    return reboot(
      executor,
      options,
      spec.reboot === 'always' ? 'the job always reboots' : '/run/reboot-required exists',
    );
  }
  if (!spec.restartServices) {
    return {
      outcome: 'skipped',
      reason: 'the job restarts no services',
      data: { rebootRequired },
      output: '',
    };
  }
  const { stale, unrelated } = await findStaleForJob(executor, scope);
  if (!(await isSystemdHost(executor))) {
    const reason = 'systemd is not PID 1 on this host, so no service was restarted';
    return { outcome: 'skipped', reason, data: { rebootRequired, stale }, output: '' };
  }
  const units = [...new Set(stale.flatMap((process) => (process.unit ? [process.unit] : [])))].sort();
  const restartable = units.filter(isRestartable);
  const left = {
    units: units.filter((unit) => !isRestartable(unit)),
    pids: stale.filter((p) => !p.unit).map((p) => p.pid),
    unrelated: unrelated.map((p) => p.unit ?? p.pid),
  };
  let output = '';
  for (const unit of restartable) {
    const result = await executor.run(['systemctl', 'restart', '--', unit]);
    output += `$ systemctl restart ${unit}\n${result.stdout}${result.stderr}`;
    if (result.code !== 0) {
      const reason = `systemctl restart ${unit} exited with ${result.code}`;
      return {
        outcome: 'failed',
        reason,
        data: { rebootRequired, stale, restarted: [], failedUnit: unit, left },
        output,
      };
    }
  }
  return { outcome: 'ok', data: { rebootRequired, stale, restarted: restartable, left }, output };
}

async function reboot(
  executor: Executor,
  options: RestartStepOptions,
  why: string,
): Promise<RestartStepResult> {
  if (!options.waitForHost) {
    const reason = `a reboot is needed (${why}) but this runner cannot wait for the host to come back`;
    return { outcome: 'failed', reason, data: { reboot: why }, output: '' };
  }
  const argv = options.rebootArgv ?? ['systemctl', 'reboot'];
  let output = `$ ${argv.join(' ')}\n`;
  try {
    const result = await executor.run(argv, { timeoutMs: 60_000 });
    output += result.stdout + result.stderr;
    if (result.code !== 0) {
      return {
        outcome: 'failed',
        reason: `${argv.join(' ')} exited with ${result.code}`,
        data: { reboot: why },
        output,
      };
    }
  } catch (error) {
    // The host going away while it reboots is the expected way for the command to end.
    output += `(connection ended: ${error instanceof Error ? error.message : String(error)})\n`;
  }
  await options.waitForHost();
  return { outcome: 'ok', data: { reboot: why, rebooted: true }, output };
}

/**
 * The stale processes this job made stale: those mapping an old file of one of its packages, or a
 * deleted file no package owns any more (a library the new version no longer ships). Processes stale
 * only from other packages (an earlier upgrade nobody restarted after) are left for their own job.
 */
async function findStaleForJob(
  executor: Executor,
  scope: RestartScope | undefined,
): Promise<{ stale: StaleProcess[]; unrelated: StaleProcess[] }> {
  const all = await findStaleProcesses(executor);
  if (!scope || all.length === 0) return { stale: all, unrelated: [] };
  const owners = await loadOwners(executor, scope.manager, [...new Set(all.flatMap((p) => p.files))]);
  const ours = new Set(scope.packages);
  const isOurs = (file: string) => {
    const names = owners.get(file);
    return names === undefined || names.some((name) => ours.has(name));
  };
  const stale = all.filter((process) => process.files.some(isOurs));
  return { stale, unrelated: all.filter((process) => !stale.includes(process)) };
}
