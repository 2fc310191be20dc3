import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pypiAdvisory } from '../../../test/support/advisories.js';
import { makeServiceDeps } from '../../../test/support/service-deps.js';
import { countRows, makeTempStore } from '../../../test/support/store.js';
import { collectInventory } from '../../inventory/collect.js';
import {
  listAuditEvents,
  listEventsAfter,
  listFindings,
  type Store,
  upsertVulnerabilities,
} from '../../store/index.js';
import { importInventory } from './import-inventory.js';
import { loadAssetDrift } from './load-asset-drift.js';
import { setBaseline } from './set-baseline.js';

describe('inventory import service', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let dir: string;
  beforeEach(async () => {
    ({ store, cleanup } = await makeTempStore());
    dir = mkdtempSync(join(tmpdir(), 'patchcast-inventory-service-'));
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'requirements.txt'), 'django==1.4.0\nrequests==2.31.0\n');
    await upsertVulnerabilities(store.db, [pypiAdvisory('TEST-DJANGO-1', 'django', '1.4.3')]);
  });
  afterEach(async () => {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('forbids a viewer and leaves the store as it was', async () => {
    const collected = await collectInventory([join(dir, 'app')], { assetId: 'web-01' });
    await expect(importInventory(makeServiceDeps(store, 'viewer'), { collected })).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
    });
    expect(await countRows(store, ['assets', 'asset_packages', 'asset_imports', 'audit_events'])).toEqual({
      assets: 0,
      asset_packages: 0,
      asset_imports: 0,
      audit_events: 0,
    });
  });

  it('imports for an operator, re-matches the asset and audits the import with the actor', async () => {
    const collected = await collectInventory([join(dir, 'app')], { assetId: 'web-01' });
    const result = await importInventory(makeServiceDeps(store, 'operator'), { collected });
    expect(result).toMatchObject({ assetIds: ['web-01'], packages: 2, registryAssets: 0 });
    expect(result.matched?.findings).toBe(1);
    const findings = await listFindings(store.db, { assetId: 'web-01' });
    expect(findings.map((f) => [f.packageName, f.vulnerabilityId, f.targetVersion])).toEqual([
      ['django', 'TEST-DJANGO-1', '1.4.3'],
    ]);
    const events = await listAuditEvents(store.db);
    expect(events.map((e) => [e.actor, e.action, e.subject])).toEqual([
      ['token:operator', 'inventory:import', 'web-01'],
    ]);
    expect(events[0]?.data).toMatchObject({
      assetIds: ['web-01'],
      packages: 2,
      sources: [join(dir, 'app', 'requirements.txt')],
    });
    // The re-match is announced to the API's event stream, whichever door imported.
    expect((await listEventsAfter(store.db, 0, 10)).map((e) => [e.kind, e.data])).toEqual([
      ['finding:changed', { assets: ['web-01'] }],
    ]);
  });

  it('with match: false stores the packages and finds nothing yet', async () => {
    const collected = await collectInventory([join(dir, 'app')], { assetId: 'web-01' });
    const result = await importInventory(makeServiceDeps(store, 'operator'), { collected, match: false });
    expect(result.matched).toBeUndefined();
    expect(await listEventsAfter(store.db, 0, 10)).toEqual([]);
    expect(await countRows(store, ['asset_packages', 'findings'])).toEqual({
      asset_packages: 2,
      findings: 0,
    });
  });

  it('sets a baseline for an operator (audited), not for a viewer; drift then compares with it', async () => {
    const collected = await collectInventory([join(dir, 'app')], { assetId: 'web-01' });
    await importInventory(makeServiceDeps(store, 'operator'), { collected, match: false });
    const viewer = makeServiceDeps(store, 'viewer');
    await expect(setBaseline(viewer, { assetId: 'web-01' })).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
    });
    expect((await loadAssetDrift(viewer, { assetId: 'web-01', against: 'baseline' })).since).toBeNull();
    const set = await setBaseline(makeServiceDeps(store, 'operator'), { assetId: 'web-01' });
    expect(set).toMatchObject({ assetId: 'web-01', packages: 2, takenAt: '2026-01-10T08:00:00.000Z' });
    const drift = await loadAssetDrift(viewer, { assetId: 'web-01', against: 'baseline' });
    expect(drift).toMatchObject({ since: '2026-01-10T08:00:00.000Z', added: [], removed: [], changed: [] });
    expect((await listAuditEvents(store.db)).map((e) => [e.actor, e.action, e.subject])).toEqual([
      ['token:operator', 'inventory:import', 'web-01'],
      ['token:operator', 'asset:baseline', 'web-01'],
    ]);
    await expect(loadAssetDrift(viewer, { assetId: 'nope', against: 'baseline' })).rejects.toMatchObject({
      code: 'STORE_NOT_FOUND',
    });
  });
});
