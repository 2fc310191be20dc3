/**
 * Scheduled syncs inside `patchcast serve` (`server.sync.every`): on each timer tick, when the oldest
 * last sync of the scheduled sources is older than the interval, start a sync in the background
 * (`triggerSync`: one at a time per process, audited). Replicas share the store, so a replica whose
 * peers synced recently finds nothing due and does nothing.
 */
import { getDurationMinutes } from '../../config/index.js';
import { FEED_SOURCES } from '../../feeds/index.js';
import type { ServiceDeps } from '../deps.js';
import { loadSyncStatus } from './load-sync-status.js';
import { type SyncTrigger, triggerSync } from './trigger-sync.js';

/** Whether a sync is due at `now`: some scheduled source never synced, or synced longer ago than `every`. */
export async function isSyncDue(
  deps: ServiceDeps,
  input: { every: string; sources?: string[] },
): Promise<boolean> {
  const wanted = new Set(input.sources?.length ? input.sources : FEED_SOURCES.map((s) => s.id));
  const everyMs = getDurationMinutes(input.every) * 60_000;
  const now = deps.clock.now().getTime();
  return (await loadSyncStatus(deps))
    .filter((s) => wanted.has(s.source))
    .some((s) => s.lastSync === null || now - Date.parse(s.lastSync) >= everyMs);
}

/** One check of the schedule: starts a sync when one is due; undefined when none was. */
export async function runScheduledSync(
  deps: ServiceDeps,
  input: { every: string; sources?: string[] },
): Promise<SyncTrigger | undefined> {
  if (!(await isSyncDue(deps, input))) return undefined;
  return triggerSync(deps, input.sources?.length ? { sources: input.sources } : {});
}
