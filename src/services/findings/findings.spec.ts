import { describe, expect, it } from 'vitest';
import { makeServiceDeps, useSeededStore } from '../../../test/support/service-deps.js';
import { countRows } from '../../../test/support/store.js';
import type { ServiceDeps } from '../deps.js';
import { explainCve } from './explain-cve.js';
import { explainFinding } from './explain-finding.js';
import { listFindings } from './list-findings.js';

describe('finding services', () => {
  const store = useSeededStore();

  it('lists what a query selects for a viewer, without writing anything', async () => {
    const viewer = makeServiceDeps(store(), 'viewer');
    const list = await listFindings(viewer, { query: { status: ['open'], packageName: 'exim4' }, limit: 1 });
    expect(list.total).toBe(2);
    expect(list.findings).toHaveLength(1);
    expect(list.asOf.day).toBe('2026-01-10');
    expect(await countRows(store(), ['audit_events'])).toEqual({ audit_events: 0 });
  });

  it('explains a finding by id and a CVE on an asset, with contributions that add up to the risk', async () => {
    const viewer = makeServiceDeps(store(), 'viewer');
    const byId = await explainFinding(viewer, { target: 'f-exim' });
    expect(byId.findings.map((f) => [f.findingId, f.cve])).toEqual([['f-exim', 'CVE-2018-6789']]);
    const [e] = byId.findings;
    const sum = (e?.contributions ?? []).reduce((total, c) => total + c.value, 0);
    expect(sum).toBeCloseTo(e?.risk ?? Number.NaN, 6);
    const byCve = await explainFinding(viewer, { target: 'CVE-2018-6789', assetId: 'cache-01' });
    expect(byCve.findings.map((f) => f.findingId)).toEqual(['f-exim-cache']);
    await expect(explainFinding(viewer, { target: 'CVE-2018-6789', assetId: 'nope' })).rejects.toMatchObject({
      code: 'INPUT_NOT_FOUND',
    });
  });

  it('refuses an agent, which may only see its own jobs', async () => {
    const agent: ServiceDeps = {
      ...makeServiceDeps(store(), 'viewer'),
      actor: { kind: 'agent', id: 'agent:web-01', role: 'viewer', assetId: 'web-01' },
    };
    await expect(listFindings(agent, { query: { status: ['open'] }, limit: 5 })).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
    });
    await expect(explainFinding(agent, { target: 'f-exim' })).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
    });
  });

  it('says a CVE the store holds no record of cannot be explained', async () => {
    await expect(
      explainCve(makeServiceDeps(store(), 'viewer'), { cve: 'CVE-2099-0001' }),
    ).rejects.toMatchObject({
      code: 'INPUT_NOT_FOUND',
    });
  });
});
