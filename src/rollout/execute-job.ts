/**
 * Runs one leased job on its host and tells the store about it through a `JobChannel`: the same code
 * for a controller's worker (channel = the services) and an agent (channel = the API). It heartbeats
 * the lease while the job runs, records the versions found before apply before the install starts,
 * reports each step, and ends the job. A report the store refuses (the lease moved on) stops the run
 * at once; a host that cannot be reached before apply is a transient failure, retried after a backoff.
 */
import { PatchcastError } from '../core/errors.js';
import type { JobChannel, JobOutcome, LeasedJob, PackageTarget, StepName } from './contract.js';
import { passDrillBoundary } from './drill-hook.js';
import { FENCE_DIR, makeFencedExecutor } from './host-fence.js';
import { type JobHost, type RunJobOptions, runJob } from './run-job.js';

export interface ExecuteOptions extends Omit<RunJobOptions, 'resume' | 'onPrevious'> {
  /** How often to renew the lease (default: a third of the time left on it, at most 60 s). */
  heartbeatMs?: number;
  /** The host's fence directory (host-fence.ts), or false for a host nothing else can reach (a fake in tests). */
  fenceDir?: string | false;
}

export interface ExecuteResult {
  outcome: JobOutcome | 'lease-lost' | 'unreachable';
  lastError?: string;
}

function isStale(error: unknown): boolean {
  return error instanceof PatchcastError
    ? error.code === 'ROLLOUT_LEASE_STALE'
    : (error as { code?: string })?.code === 'ROLLOUT_LEASE_STALE';
}

export async function executeJob(
  work: LeasedJob,
  host: JobHost,
  channel: JobChannel,
  options: ExecuteOptions = {},
): Promise<ExecuteResult> {
  let lost = false;
  const left = Date.parse(work.leaseExpiresAt) - Date.now();
  const every = options.heartbeatMs ?? Math.max(1000, Math.min(60_000, Math.floor(left / 3)));
  const timer = setInterval(() => {
    channel.heartbeat().catch((error) => {
      if (isStale(error)) lost = true;
    });
  }, every);
  timer.unref?.();
  const previous = work.resume.previous
    ?.filter((p): p is { name: string; version: string } => p.version !== null)
    .map((p): PackageTarget => ({ name: p.name, version: p.version }));
  // Every command runs under the job's fence on the host (host-fence.ts): an older holder still at
  // work there is waited for, then barred.
  const { fenceDir = FENCE_DIR, ...runOptions } = options;
  const fenced =
    fenceDir === false
      ? undefined
      : makeFencedExecutor(host.executor, { jobId: work.job.id, token: work.token }, fenceDir);
  try {
    await fenced?.claim();
    const result = await runJob(
      work.spec,
      fenced ? { ...host, executor: fenced } : host,
      {
        async report(report) {
          if (lost) return false;
          try {
            passDrillBoundary(`before step:${report.step}`);
            await channel.report(report);
            passDrillBoundary(`after step:${report.step}`);
            return true;
          } catch (error) {
            if (isStale(error)) return false;
            throw error;
          }
        },
      },
      {
        ...runOptions,
        resume: {
          ...(previous ? { previous } : {}),
          ...(work.resume.lastStep ? { lastStep: work.resume.lastStep as StepName } : {}),
          ...(work.resume.lastOutcome ? { lastOutcome: work.resume.lastOutcome } : {}),
          ...(work.resume.rollingBack ? { rollingBack: true } : {}),
        },
        onPrevious: async (found) => {
          if (lost)
            throw new PatchcastError('ROLLOUT_LEASE_STALE', `job ${work.job.id}: lease lost before apply`);
          // Everything the install touches (targets and the dependencies it changes), and `null` for a
          // target that was not installed: the rollback removes it.
          const recorded: Array<{ name: string; version: string | null }> = found.map((p) => ({ ...p }));
          for (const t of work.spec.targets)
            if (!found.some((p) => p.name === t.name)) recorded.push({ name: t.name, version: null });
          passDrillBoundary('before apply:begin');
          await channel.beginApply(recorded);
          passDrillBoundary('after apply:begin');
        },
      },
    );
    if (result.stopped === 'lease-lost')
      return { outcome: 'lease-lost', ...(result.lastError ? { lastError: result.lastError } : {}) };
    try {
      passDrillBoundary(`before end:${result.outcome}`);
      await channel.end(result.outcome, result.lastError ? { lastError: result.lastError } : {});
      passDrillBoundary(`after end:${result.outcome}`);
    } catch (error) {
      if (isStale(error)) return { outcome: 'lease-lost' };
      throw error;
    }
    return { outcome: result.outcome, ...(result.lastError ? { lastError: result.lastError } : {}) };
  } catch (error) {
    if (isStale(error)) return { outcome: 'lease-lost' };
    // The host could not be reached (or the run broke): transient; the next holder re-checks the host.
    const message = error instanceof Error ? error.message : String(error);
    try {
      await channel.end('failed', { lastError: `host unreachable: ${message}`, transient: true });
    } catch (endError) {
      if (!isStale(endError)) throw endError;
    }
    return { outcome: 'unreachable', lastError: message };
  } finally {
    clearInterval(timer);
  }
}
