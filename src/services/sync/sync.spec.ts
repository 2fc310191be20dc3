import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServiceDeps } from '../../../test/support/service-deps.js';
import { countRows, makeTempStore } from '../../../test/support/store.js';
import { listAuditEvents, type Store } from '../../store/index.js';
import { loadSyncStatus } from './load-sync-status.js';
import { syncFeeds } from './sync-feeds.js';
import { triggerSync } from './trigger-sync.js';

const KEV_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../feeds/kev/__fixtures__/known_exploited_vulnerabilities.json',
);

describe('sync services', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await makeTempStore());
  });
  afterEach(() => cleanup());

  it('forbids a viewer to sync, writing nothing, and lets it read the status', async () => {
    const viewer = makeServiceDeps(store, 'viewer');
    await expect(syncFeeds(viewer, { sources: ['kev'], from: KEV_FILE })).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
    });
    await expect(triggerSync(viewer, { sources: ['kev'] })).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN' });
    expect(await countRows(store, ['kev_entries', 'audit_events', 'events'])).toEqual({
      kev_entries: 0,
      audit_events: 0,
      events: 0,
    });
    const status = await loadSyncStatus(viewer);
    expect(status.find((s) => s.source === 'kev')).toMatchObject({ records: 0, outcome: 'never' });
  });

  it('syncs KEV from a file for an operator and audits each source outcome with the actor', async () => {
    const operator = makeServiceDeps(store, 'operator');
    const result = await syncFeeds(operator, { sources: ['kev'], from: KEV_FILE, retrain: false });
    expect(result.failure).toBeUndefined();
    const [report] = result.reports;
    expect(report).toMatchObject({ source: 'kev', outcome: 'ok' });
    const records = report && 'records' in report ? report.records : 0;
    expect(records).toBeGreaterThan(0);
    expect((await countRows(store, ['kev_entries'])).kev_entries).toBe(records);
    const events = await listAuditEvents(store.db);
    const sync = events.find((e) => e.action === 'feeds:sync');
    expect(sync).toMatchObject({
      actor: 'token:operator',
      data: { sources: [{ source: 'kev', outcome: 'ok', records }] },
    });
  });

  it('refuses an unknown source before syncing anything', async () => {
    await expect(syncFeeds(makeServiceDeps(store, 'operator'), { sources: ['nvdx'] })).rejects.toMatchObject({
      code: 'USAGE_INVALID_ARGUMENT',
    });
    expect(await countRows(store, ['audit_events'])).toEqual({ audit_events: 0 });
  });
});
