import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServiceDeps } from '../../../test/support/service-deps.js';
import { addPypiHost, makeTempStore } from '../../../test/support/store.js';
import type { Store } from '../../store/index.js';
import { retireAsset } from '../assets/retire-asset.js';
import { listAuditEvents } from './list-audit-events.js';
import { verifyAuditLog } from './verify-audit-log.js';

describe('audit services', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await makeTempStore());
    await addPypiHost(store, 'web-01', [['django', '3.2.0']], '2026-01-09T00:00:00.000Z');
    await retireAsset(makeServiceDeps(store, 'operator'), { assetId: 'web-01' });
  });
  afterEach(() => cleanup());

  it('lets a viewer read and verify the log the services wrote', async () => {
    const viewer = makeServiceDeps(store, 'viewer');
    expect((await listAuditEvents(viewer)).map((e) => [e.seq, e.actor, e.action])).toEqual([
      [1, 'token:operator', 'asset:retire'],
    ]);
    expect(await verifyAuditLog(viewer)).toEqual({ ok: true, count: 1, brokenAt: null });
  });

  it('reports the first broken link after the log was altered outside patchcast', async () => {
    await store.db.updateTable('audit_events').set({ actor: 'cli:mallory' }).where('seq', '=', 1).execute();
    expect(await verifyAuditLog(makeServiceDeps(store, 'viewer'))).toEqual({
      ok: false,
      count: 0,
      brokenAt: 1,
    });
  });
});
