import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServiceDeps } from '../../../test/support/service-deps.js';
import { getLatestMigration, listAuditEvents, openStore, type Store } from '../../store/index.js';
import { loadMigrationStatus, migrateStore } from './migrate-store.js';

describe('store services', () => {
  let home: string;
  let store: Store;
  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'patchcast-store-service-'));
    store = await openStore({ home, databaseUrl: '', migrate: false });
  });
  afterEach(async () => {
    await store.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('shows a viewer every migration pending on a new store, and forbids it to migrate', async () => {
    const viewer = makeServiceDeps(store, 'viewer');
    const status = await loadMigrationStatus(viewer);
    expect(status.pending).toBe(status.migrations.length);
    expect(status.latest).toBe(getLatestMigration());
    await expect(migrateStore(viewer)).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN' });
    await expect(migrateStore(makeServiceDeps(store, 'operator'))).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
    });
    expect((await loadMigrationStatus(viewer)).pending).toBe(status.migrations.length);
  });

  it('migrates for an admin, audits it once, and has nothing to apply the second time', async () => {
    const admin = makeServiceDeps(store, 'admin');
    const first = await migrateStore(admin);
    expect(first.applied.at(-1)).toBe(getLatestMigration());
    expect((await migrateStore(admin)).applied).toEqual([]);
    expect((await loadMigrationStatus(admin)).pending).toBe(0);
    const events = await listAuditEvents(store.db);
    expect(events.map((e) => [e.actor, e.action])).toEqual([['token:admin', 'store:migrate']]);
  });
});
