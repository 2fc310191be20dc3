/**
 * The wait inside an agent's long poll (`POST /api/v1/agent/lease {wait}`). Retrying the lease once a
 * second per waiting agent costs the store one locking UPDATE per agent per second (1,000 agents:
 * 1,000 a second) and still leaves a released job waiting up to a second. Instead, one watcher per
 * store and process reads which assets have a job to lease (`listLeasableAssets`, one cheap SELECT)
 * every `LEASABLE_POLL_MS` while anyone waits, and wakes only the agents whose host appears; they
 * then lease as before. The store stays the only channel, so it works across replicas and on SQLite.
 */
import { PatchcastError } from '../../core/errors.js';
import { listLeasableAssets, type Store } from '../../store/index.js';
import { authorize } from '../authz.js';
import type { Clock, Logger, ServiceDeps } from '../deps.js';

/** How often the watcher reads the leasable assets while agents wait: the most a wake-up lags a release. */
export const LEASABLE_POLL_MS = 200;

interface Waiter {
  assetId: string;
  done(found: boolean): void;
}

class LeasableWatch {
  private readonly waiters = new Set<Waiter>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** True once `assetId` has a job to lease; false at `untilMs` (epoch ms) or when `signal` aborts. */
  wait(assetId: string, untilMs: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted || Date.now() >= untilMs) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        assetId,
        done: (found) => {
          this.waiters.delete(waiter);
          clearTimeout(deadline);
          signal?.removeEventListener('abort', abort);
          resolve(found);
        },
      };
      const abort = () => waiter.done(false);
      const deadline = setTimeout(abort, untilMs - Date.now());
      signal?.addEventListener('abort', abort, { once: true });
      this.waiters.add(waiter);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer || this.waiters.size === 0) return;
    this.timer = setTimeout(() => void this.poll(), LEASABLE_POLL_MS);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    try {
      const now = this.clock.now();
      const leasable = new Set(await listLeasableAssets(this.store.db, { now, executors: ['agent'] }));
      for (const waiter of this.waiters) if (leasable.has(waiter.assetId)) waiter.done(true);
    } catch (error) {
      // A failed read wakes nobody; each waiter's deadline still ends its poll, and the agent asks again.
      this.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'lease watch failed',
      );
    } finally {
      this.timer = undefined;
      this.schedule();
    }
  }
}

const watches = new WeakMap<Store, LeasableWatch>();

/**
 * Waits until the calling agent's host has a job to lease (true: lease now) or until `untilMs` or
 * the `signal` (the client went away) (false). Needs `agent`, bound to an asset.
 */
export async function waitForLeasableJob(
  deps: ServiceDeps,
  input: { untilMs: number; signal?: AbortSignal },
): Promise<boolean> {
  authorize(deps.actor, 'agent');
  const assetId = deps.actor.assetId;
  if (!assetId) throw new PatchcastError('AUTH_FORBIDDEN', `${deps.actor.id} is bound to no asset`);
  let watch = watches.get(deps.store);
  if (!watch) {
    watch = new LeasableWatch(deps.store, deps.clock, deps.logger);
    watches.set(deps.store, watch);
  }
  return watch.wait(assetId, input.untilMs, input.signal);
}
