/**
 * Stand-in glue until the lead's src/rollout/execute-job.ts lands: runs one leased job through
 * `runJob` with heartbeats and reports every step through a `JobChannel`. The agent's own additions
 * (resume completed by the journal, stop after the current step on a signal) live here too.
 */
import type { JobChannel, LeasedJob } from '../rollout/contract.js';
import { type JobHost, type ResumeState, type RunJobResult, runJob } from '../rollout/run-job.js';
import { isLeaseStale } from './client.js';

export interface ExecuteOptions {
  resume?: ResumeState;
  log?: (line: string) => void;
  /** Asked after each delivered report: true ends the run there (a signal asked the agent to stop). */
  shouldStop?: () => boolean;
  /** Heartbeat period (default: a third of the time left on the lease, between 1 s and 60 s). */
  heartbeatMs?: number;
  clock?: () => Date;
}

export interface ExecuteResult extends Omit<RunJobResult, 'stopped'> {
  /** `lease-lost`: the server refused a report; `signal`: the agent stopped after a step. No end was sent. */
  stopped?: 'lease-lost' | 'signal';
}

export async function executeLeasedJob(
  work: LeasedJob,
  host: JobHost,
  channel: JobChannel,
  options: ExecuteOptions = {},
): Promise<ExecuteResult> {
  const log = options.log ?? (() => {});
  const clock = options.clock ?? (() => new Date());
  let leaseLost = false;
  let signalled = false;
  const sink = {
    async report(report: Parameters<JobChannel['report']>[0]) {
      try {
        await channel.report(report);
      } catch (error) {
        if (!isLeaseStale(error)) throw error;
        leaseLost = true;
        return false;
      }
      if (options.shouldStop?.()) {
        signalled = true;
        return false;
      }
      return true;
    },
  };
  const timer = setInterval(() => {
    channel.heartbeat().catch((error: unknown) => {
      if (isLeaseStale(error)) leaseLost = true;
      log(`job ${work.job.id}: heartbeat failed: ${(error as Error).message}`);
    });
  }, options.heartbeatMs ?? getHeartbeatMs(work.leaseExpiresAt, clock()));
  let result: RunJobResult;
  try {
    result = await runJob(work.spec, host, sink, {
      ...(options.resume ? { resume: options.resume } : {}),
      onPrevious: (previous) => channel.beginApply(previous),
      log: (line) => log(`job ${work.job.id}: ${line}`),
      clock,
    });
  } finally {
    clearInterval(timer);
  }
  if (result.stopped) return { ...result, stopped: signalled && !leaseLost ? 'signal' : 'lease-lost' };
  try {
    await channel.end(result.outcome, {
      ...(result.lastError ? { lastError: result.lastError } : {}),
    });
  } catch (error) {
    if (!isLeaseStale(error)) throw error;
    return { ...result, stopped: 'lease-lost' };
  }
  return result;
}

/** A third of the lease left, so two heartbeats can fail before it runs out. */
export function getHeartbeatMs(leaseExpiresAt: string, now: Date): number {
  const left = Date.parse(leaseExpiresAt) - now.getTime();
  if (!Number.isFinite(left)) return 30_000;
  return Math.min(60_000, Math.max(1000, Math.floor(left / 3)));
}
