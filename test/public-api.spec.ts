import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as patchcast from '../src/index.js';

describe("patchcast's programmatic API (the README's example)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'patchcast-api-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports an inventory, lists findings and audits the import with the caller as actor', async () => {
    const { collectInventory, importInventory, listAuditEvents, listFindings, openStore, readConfig } =
      patchcast;
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'requirements.txt'), 'django==1.4.0\n');
    const config = readConfig('', join(dir, 'patchcast.yaml'), {});
    const store = await openStore({ home: join(dir, '.patchcast'), databaseUrl: '' });
    try {
      const deps = {
        store,
        config,
        clock: patchcast.systemClock,
        actor: { kind: 'system', id: 'script:nightly', role: 'operator' } as const,
        logger: patchcast.silentLogger,
      };
      const collected = await collectInventory([join(dir, 'app')], { assetId: 'web-01' });
      const imported = await importInventory(deps, { collected });
      expect(imported.assetIds).toEqual(['web-01']);
      const { total } = await listFindings(deps, { query: { status: ['open'] }, limit: 10 });
      expect(total).toBe(0); // no advisories in this store yet
      const [event] = await listAuditEvents(deps);
      expect(event).toMatchObject({ actor: 'script:nightly', action: 'inventory:import', subject: 'web-01' });
      const viewer = { ...deps, actor: { ...deps.actor, role: 'viewer' as const } };
      await expect(patchcast.retireAsset(viewer, { assetId: 'web-01' })).rejects.toBeInstanceOf(
        patchcast.PatchcastError,
      );
    } finally {
      await store.close();
    }
  });

  it('exports every service the CLI uses', () => {
    for (const name of [
      'listAssets',
      'retireAsset',
      'removeAsset',
      'addException',
      'listExceptions',
      'revokeException',
      'importVex',
      'listVex',
      'importInventory',
      'loadAssetDrift',
      'setBaseline',
      'listFindings',
      'explainFinding',
      'loadFindingsScan',
      'loadSlaReport',
      'listAuditEvents',
      'verifyAuditLog',
      'runPipeline',
      'syncFeeds',
      'listPatches',
      'makePlan',
      'loadModelStatus',
      'retrainModel',
      'loadPlan',
      'explainPatch',
      'loadSyncStatus',
      'authorize',
    ])
      expect(typeof (patchcast as Record<string, unknown>)[name], name).toBe('function');
  });
});
