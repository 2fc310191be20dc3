/**
 * The controller process (`patchcast controller`, and inside `patchcast serve`): every tick it
 * reconciles the running rollouts (controller.ts) and runs the released jobs of hosts it reaches
 * itself — SSH, local and dry-run — up to `rollout.workers` at once, each through `executeJob` with
 * the services as its channel. Agent hosts' jobs are left to their agents.
 */
import { randomBytes } from 'node:crypto';
import type { JobChannel } from '../../rollout/contract.js';
import { executeJob } from '../../rollout/execute-job.js';
import { connectHost } from '../../rollout/hosts.js';
import { getHostEntry } from '../../rollout/job-spec.js';
import { loadAsset } from '../../store/index.js';
import type { ServiceDeps } from '../deps.js';
import { runControllerTick, type TickResult } from './controller.js';
import {
  beginApply,
  durationSeconds,
  endJob,
  heartbeat,
  type LeasedJobWork,
  leaseWork,
  reportStep,
} from './job-reports.js';

const CONTROLLER_EXECUTORS = ['ssh', 'local', 'dry-run'];

export interface ControllerOptions {
  /** Stop when aborted. */
  signal?: AbortSignal;
  /** Return once no rollout is running and no job is in flight (tests, drills, cron). */
  untilIdle?: boolean;
  /** This process's name in leases (default `controller-<random>`). */
  owner?: string;
  onTick?: (tick: TickResult, inFlight: number) => void;
  /** Tick interval override in ms (default `rollout.tick`). */
  tickMs?: number;
}

/** A channel that reports through the services, as this controller. */
export function makeServiceChannel(deps: ServiceDeps, work: LeasedJobWork): JobChannel {
  const lease = { jobId: work.job.id, token: work.token };
  return {
    heartbeat: async () => void (await heartbeat(deps, lease)),
    beginApply: async (previous) => void (await beginApply(deps, { ...lease, previous })),
    report: async (report) => void (await reportStep(deps, { ...lease, report })),
    end: async (outcome, detail) => void (await endJob(deps, { ...lease, outcome, ...detail })),
  };
}

/** Runs one leased job on its host (connect, execute, close); never throws. */
async function runLeased(deps: ServiceDeps, work: LeasedJobWork): Promise<void> {
  const channel = makeServiceChannel(deps, work);
  let connection: ReturnType<typeof connectHost> | undefined;
  try {
    const asset = await loadAsset(deps.store.db, work.job.assetId);
    const entry = getHostEntry(deps.config, asset ?? { id: work.job.assetId, tags: [] });
    connection = connectHost(entry, work.spec);
    const result = await executeJob(
      work,
      connection,
      channel,
      connection.waitForHost ? { waitForHost: connection.waitForHost } : {},
    );
    deps.logger.info(
      { jobId: work.job.id, outcome: result.outcome, lastError: result.lastError },
      'job ended',
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.logger.error({ jobId: work.job.id, error: message }, 'job could not run');
    await channel.end('failed', { lastError: message }).catch(() => undefined);
  } finally {
    await connection?.executor.close().catch(() => undefined);
  }
}

export async function runController(deps: ServiceDeps, options: ControllerOptions = {}): Promise<void> {
  const owner = options.owner ?? `controller-${randomBytes(3).toString('hex')}`;
  const inFlight = new Map<string, Promise<void>>();
  const tickMs = options.tickMs ?? durationSeconds(deps.config.rollout.tick) * 1000;
  const workers = deps.config.rollout.workers;
  let idleTicks = 0;
  for (;;) {
    if (options.signal?.aborted) break;
    let tick: TickResult | undefined;
    let leased = 0;
    try {
      tick = await runControllerTick(deps);
      const free = workers - inFlight.size;
      if (free > 0) {
        for (const work of await leaseWork(deps, { owner, limit: free, executors: CONTROLLER_EXECUTORS })) {
          leased++;
          const running = runLeased(deps, work).finally(() => inFlight.delete(work.job.id));
          inFlight.set(work.job.id, running);
        }
      }
      options.onTick?.(tick, inFlight.size);
    } catch (error) {
      // The store went away for a moment (a restart, a dropped connection): the jobs in flight go on,
      // and the next tick reads the state again. Exiting would abandon them until their leases ran out.
      const message = error instanceof Error ? error.message : String(error);
      deps.logger.error({ error: message }, 'controller tick failed; trying again next tick');
    }
    if (options.untilIdle) {
      const busy = !tick || inFlight.size > 0 || leased > 0 || tick.actions.some((a) => a.applied);
      idleTicks = busy ? 0 : idleTicks + 1;
      // Idle twice in a row: every rollout is over, or waits for time (a soak, a window) or a person.
      if (idleTicks >= 2) break;
    }
    const pause = new Promise((resolve) =>
      setTimeout(resolve, inFlight.size > 0 ? Math.min(tickMs, 250) : tickMs),
    );
    await Promise.race([pause, ...inFlight.values()]);
  }
  await Promise.allSettled(inFlight.values());
}
