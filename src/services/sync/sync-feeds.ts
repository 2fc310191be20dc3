import { PatchcastError, toPatchcastError } from '../../core/errors.js';
import { FEED_SOURCES, type FeedProgress, type FeedSource, getFeedSource } from '../../feeds/index.js';
import { loadHistory } from '../../predict/index.js';
import { appendAuditEvent, countPendingMatchKeys } from '../../store/index.js';
import { announce } from '../auth/events.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { type MatchAfterSyncReport, runMatchAfterSync } from '../matching/match-after-sync.js';
import { type ModelAfterSyncReport, runModelAfterSync } from '../model/model-after-sync.js';
import { type SyncReport, syncSource } from './sync-source.js';

export interface SyncFeedsInput {
  /** Source ids (default: every source). */
  sources?: readonly string[];
  /** Read the one source named from this URL, file or directory. */
  from?: string;
  /** Read every source from this mirror directory. */
  offlineDir?: string;
  /** Largest file accepted. */
  maxBytes?: number;
  /** Re-match what the sync changed (default true). */
  match?: boolean;
  /** Retrain the exploit model when due (default true). */
  retrain?: boolean;
  /** One progress reporter per source; `stop` is called when its source ends. */
  progress?: (source: string) => FeedProgress & { stop?: () => void };
  onStep?: (text: string) => void;
}

export type SourceReport = SyncReport | { source: string; outcome: 'failed'; message: string };

export interface SyncFeedsResult {
  reports: SourceReport[];
  /** The re-match; `skipped` with `match: false` when names are queued; absent when nothing to do. */
  match?: {
    result?: MatchAfterSyncReport | { skipped: '--no-match'; queued: number };
    error?: PatchcastError;
  };
  model?: { report?: ModelAfterSyncReport; error?: PatchcastError };
  /** The first source that failed: nothing after the syncs ran. */
  failure?: PatchcastError;
}

/**
 * Syncs intelligence (`patchcast sync`): each source's batch lands whole or not at all; after a sync
 * without failures, the model step (scheduled retrain, the day's scores) and the re-match of the
 * packages whose advisories changed. Failures are returned, not thrown, so a caller sees every
 * source's outcome. Needs `operate`; audited as `feeds:sync` with each source's outcome.
 */
export async function syncFeeds(deps: ServiceDeps, input: SyncFeedsInput = {}): Promise<SyncFeedsResult> {
  authorize(deps.actor, 'operate');
  const sources = getSources(input);
  const reports: SourceReport[] = [];
  let failure: PatchcastError | undefined;
  for (const source of sources) {
    const progress = input.progress?.(source.id);
    try {
      reports.push(
        await syncSource(deps.store, source, {
          now: deps.clock.now(),
          ...(progress ? { progress } : {}),
          ...(input.maxBytes !== undefined ? { maxBytes: input.maxBytes } : {}),
          ...(input.from ? { from: input.from } : {}),
          ...(input.offlineDir ? { offlineDir: input.offlineDir } : {}),
        }),
      );
    } catch (error) {
      const coded = toPatchcastError(error);
      failure ??= coded;
      reports.push({ source: source.id, outcome: 'failed', message: coded.message });
    } finally {
      progress?.stop?.();
    }
  }
  await recordSync(deps, reports);
  if (failure) return { reports, failure };
  // The model step first: the re-match's risk scoring reads the scores it stores.
  const model = await runModelStep(deps, input);
  const match = await runMatchStep(deps, input);
  // A re-match that ran changed findings: the API's readers (server-sent events) are told.
  if (match?.result && !('skipped' in match.result))
    await announce(deps, { kind: 'finding:changed', data: { sync: reports.map((r) => r.source) } });
  return { reports, ...(model ? { model } : {}), ...(match ? { match } : {}) };
}

function getSources(input: SyncFeedsInput): readonly FeedSource[] {
  if (input.from && input.offlineDir)
    throw new PatchcastError('USAGE_INVALID_ARGUMENT', '--from and --offline cannot be combined');
  const ids = input.sources ?? [];
  if (input.from && ids.length !== 1)
    throw new PatchcastError(
      'USAGE_INVALID_ARGUMENT',
      '--from reads one source: name exactly one (e.g. patchcast sync kev --from ./kev.json)',
    );
  if (ids.length === 0) return FEED_SOURCES;
  return ids.map((id) => {
    const source = getFeedSource(id);
    if (!source)
      throw new PatchcastError(
        'USAGE_INVALID_ARGUMENT',
        `unknown source "${id}"; known: ${FEED_SOURCES.map((s) => s.id).join(', ')}`,
        { details: { source: id } },
      );
    return source;
  });
}

/** The sync's audit event: each source's outcome and record count (each batch committed on its own). */
async function recordSync(deps: ServiceDeps, reports: readonly SourceReport[]): Promise<void> {
  const data = {
    sources: reports.map((r) => ({
      source: r.source,
      outcome: r.outcome,
      ...('records' in r ? { records: r.records } : {}),
    })),
  };
  await deps.store.db.transaction().execute((db) =>
    appendAuditEvent(db, {
      at: deps.clock.now().toISOString(),
      actor: deps.actor.id,
      action: 'feeds:sync',
      data,
    }),
  );
}

async function runMatchStep(deps: ServiceDeps, input: SyncFeedsInput): Promise<SyncFeedsResult['match']> {
  if (input.match === false) {
    const queued = await countPendingMatchKeys(deps.store.db);
    return queued > 0 ? { result: { skipped: '--no-match', queued } } : undefined;
  }
  try {
    const result = await runMatchAfterSync(deps.store, { config: deps.config, now: deps.clock.now() });
    return result ? { result } : undefined;
  } catch (error) {
    // The queue is left as it was: the next sync (or `patchcast run`) retries.
    return { error: toPatchcastError(error) };
  }
}

async function runModelStep(deps: ServiceDeps, input: SyncFeedsInput): Promise<SyncFeedsResult['model']> {
  try {
    const report = await runModelAfterSync(deps.store, {
      settings: deps.config.model,
      now: deps.clock.now(),
      actor: deps.actor.id,
      retrain: input.retrain !== false,
      loadHistory: (dir) => loadHistory(dir),
      ...(input.onStep ? { onStep: input.onStep } : {}),
    });
    return { report };
  } catch (error) {
    return { error: toPatchcastError(error) };
  }
}
