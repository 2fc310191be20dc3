/**
 * The sync trigger: `POST /api/v1/sync` starts the CLI's sync steps (each source from its public
 * URL, then the re-match of what changed) in the background of this server process and answers 202;
 * progress and outcome show in GET /api/v1/sync/status and in the events. One sync at a time per
 * process; a trigger while one runs answers with the running one.
 */
import { toPatchcastError } from '../../core/errors.js';
import { FEED_SOURCES, type FeedSource, getFeedSource, syncSource } from '../../feeds/index.js';
import { runMatchAfterSync } from '../../pipeline/match-after-sync.js';
import { recordEvent } from '../../services/auth/events.js';
import { authorize } from '../../services/authz.js';
import type { ServiceDeps } from '../../services/deps.js';
import { appendAuditEvent } from '../../store/index.js';

let running: { startedAt: string; sources: string[]; done: Promise<void> } | undefined;

export async function triggerSync(
  deps: ServiceDeps,
  input: { sources?: string[] },
): Promise<{ started: boolean; startedAt: string; sources: string[] }> {
  authorize(deps.actor, 'operate');
  const sources = input.sources?.length
    ? input.sources.map((id) => getFeedSource(id) as FeedSource)
    : FEED_SOURCES;
  if (running) return { started: false, startedAt: running.startedAt, sources: running.sources };
  const startedAt = deps.clock.now().toISOString();
  const ids = sources.map((s) => s.id);
  await deps.store.db.transaction().execute(async (db) => {
    await appendAuditEvent(db, {
      at: startedAt,
      actor: deps.actor.id,
      action: 'sync:trigger',
      data: { sources: ids },
    });
    await recordEvent(db, { at: startedAt, kind: 'sync:requested', data: { sources: ids } });
  });
  const done = (async () => {
    for (const source of sources) {
      try {
        await syncSource(deps.store, source, {});
      } catch (error) {
        deps.logger.warn({ source: source.id, code: toPatchcastError(error).code }, 'sync failed');
      }
    }
    try {
      const match = await runMatchAfterSync(deps.store, { config: deps.config, now: deps.clock.now() });
      if (match)
        await deps.store.db.transaction().execute((db) =>
          recordEvent(db, {
            at: deps.clock.now().toISOString(),
            kind: 'finding:changed',
            data: { sync: true },
          }),
        );
    } catch (error) {
      deps.logger.warn({ code: toPatchcastError(error).code }, 're-match after sync failed');
    }
  })().finally(() => {
    running = undefined;
  });
  running = { startedAt, sources: ids, done };
  return { started: true, startedAt, sources: ids };
}
