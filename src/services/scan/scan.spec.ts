import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pypiAdvisory } from '../../../test/support/advisories.js';
import { makeServiceDeps } from '../../../test/support/service-deps.js';
import { countRows, makeTempStore } from '../../../test/support/store.js';
import { collectInventory } from '../../inventory/collect.js';
import { type Store, upsertVulnerabilities } from '../../store/index.js';
import { scanInventories } from './scan-inventories.js';

describe('scan service', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let dir: string;
  beforeEach(async () => {
    ({ store, cleanup } = await makeTempStore());
    dir = mkdtempSync(join(tmpdir(), 'patchcast-scan-service-'));
    await upsertVulnerabilities(store.db, [pypiAdvisory('TEST-DJANGO-1', 'django', '1.4.3')]);
  });
  afterEach(async () => {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scans against the store for a viewer and stores nothing; an agent may not', async () => {
    writeFileSync(join(dir, 'requirements.txt'), 'django==1.4.0\n');
    const collected = await collectInventory([dir], { assetId: 'app' });
    const result = await scanInventories(makeServiceDeps(store, 'viewer'), { assets: collected.assets });
    expect(result.findings.map((f) => [f.package.name, f.vulnerability.id, f.targetVersion])).toEqual([
      ['django', 'TEST-DJANGO-1', '1.4.3'],
    ]);
    expect(await countRows(store, ['assets', 'findings', 'audit_events'])).toEqual({
      assets: 0,
      findings: 0,
      audit_events: 0,
    });
    const agent = {
      ...makeServiceDeps(store, 'viewer'),
      actor: { kind: 'agent', id: 'agent:a', role: 'viewer' } as const,
    };
    await expect(scanInventories(agent, { assets: collected.assets })).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
    });
  });
});
