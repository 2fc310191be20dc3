import { FEED_SOURCES } from '../../feeds/index.js';
import { countKevEntries, listFeedStates } from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';

export type SourceStatus = {
  source: string;
  records: number;
  /** KEV entries taken off the catalog (kev only). */
  removed: number | null;
  newest: string | null;
  lastSync: string | null;
  outcome: string;
  message: string | null;
};

/** Per source: records held, newest record, last sync and its outcome (`patchcast sync status`). */
export async function loadSyncStatus(deps: ServiceDeps): Promise<SourceStatus[]> {
  authorize(deps.actor, 'read');
  const states = await listFeedStates(deps.store.db);
  const kev = await countKevEntries(deps.store.db);
  return FEED_SOURCES.map((source) => {
    const s = states.find((x) => x.source === source.id);
    return {
      source: source.id,
      records: s?.records ?? 0,
      removed: source.id === 'kev' ? kev.removed : null,
      newest: s?.newest ?? null,
      lastSync: s?.lastSync ?? null,
      outcome: s?.outcome ?? 'never',
      message: s?.message ?? null,
    };
  });
}
