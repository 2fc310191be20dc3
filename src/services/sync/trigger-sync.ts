import { toPatchcastError } from '../../core/errors.js';
import { FEED_SOURCES, type FeedSource, getFeedSource } from '../../feeds/index.js';
import { authorize } from '../authz.js';
import { changeState } from '../change.js';
import type { ServiceDeps } from '../deps.js';
import { syncFeeds } from './sync-feeds.js';

export interface SyncTrigger {
  /** False when a sync this process started is still running: the answer is that one. */
  started: boolean;
  startedAt: string;
  sources: string[];
}

let running: { startedAt: string; sources: string[]; done: Promise<void> } | undefined;

/**
 * Starts `syncFeeds` (each source from its public URL, then the model step and the re-match of what
 * changed) in the background of this process and returns at once (the API's `POST /sync`, 202).
 * One sync at a time per process. Needs `operate`; the trigger is audited as `sync:trigger` and
 * announced as `sync:requested`; the sync itself audits `feeds:sync`, and a re-match that ran is
 * announced as `finding:changed`. Progress and outcome are in `loadSyncStatus`.
 */
export async function triggerSync(
  deps: ServiceDeps,
  input: { sources?: string[] } = {},
): Promise<SyncTrigger> {
  authorize(deps.actor, 'operate');
  const sources: readonly FeedSource[] = input.sources?.length
    ? input.sources.map((id) => getFeedSource(id) as FeedSource)
    : FEED_SOURCES;
  if (running) return { started: false, startedAt: running.startedAt, sources: running.sources };
  const ids = sources.map((s) => s.id);
  const { startedAt } = await changeState(deps, 'operate', async (_db, at) => ({
    result: { startedAt: at.toISOString() },
    audit: { action: 'sync:trigger', data: { sources: ids } },
    event: { kind: 'sync:requested', data: { sources: ids } },
  }));
  const done = runSync(deps, ids).finally(() => {
    running = undefined;
  });
  running = { startedAt, sources: ids, done };
  return { started: true, startedAt, sources: ids };
}

async function runSync(deps: ServiceDeps, sources: string[]): Promise<void> {
  try {
    const result = await syncFeeds(deps, { sources });
    for (const report of result.reports)
      if (report.outcome === 'failed')
        deps.logger.warn({ source: report.source, message: report.message }, 'sync failed');
    if (result.match?.error)
      deps.logger.warn({ code: result.match.error.code }, 're-match after sync failed');
  } catch (error) {
    deps.logger.warn({ code: toPatchcastError(error).code }, 'sync failed');
  }
}
