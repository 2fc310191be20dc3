import { describe, expect, it } from 'vitest';
import { makeServiceDeps, useSeededStore } from '../../../test/support/service-deps.js';
import { explainPatch } from './explain-patch.js';
import { listPatches } from './list-patches.js';

describe('patch services', () => {
  const store = useSeededStore();

  it('groups the open findings into patches per asset for a viewer and explains one', async () => {
    const viewer = makeServiceDeps(store(), 'viewer');
    const { total, patches } = await listPatches(viewer, { limit: 10 });
    expect(total).toBe(patches.length);
    expect(patches.map((p) => [p.asset, p.package]).sort()).toEqual([
      ['cache-01', 'exim4'],
      ['orders-db-01', 'exim4'],
      ['orders-db-01', 'libssl1.1'],
    ]);
    const exim = patches.find((p) => p.asset === 'cache-01');
    const explained = await explainPatch(viewer, { patchId: exim?.id ?? '' });
    expect(explained.findings.map((f) => f.id)).toEqual(['f-exim-cache']);
  });

  it('says an unknown patch id is not found, and refuses an agent', async () => {
    const viewer = makeServiceDeps(store(), 'viewer');
    await expect(explainPatch(viewer, { patchId: 'nope/Debian/none' })).rejects.toMatchObject({
      code: 'INPUT_NOT_FOUND',
    });
    const agent = { ...viewer, actor: { kind: 'agent', id: 'agent:x', role: 'viewer' } as const };
    await expect(listPatches(agent, { limit: 1 })).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN' });
  });
});
