import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempStore } from '../../../test/support/store.js';
import { type Config, readConfig } from '../../config/index.js';
import type { Finding } from '../../core/types.js';
import {
  listAuditEvents,
  listJobs,
  listPlans,
  loadPlan,
  type Store,
  upsertAsset,
  upsertFindings,
} from '../../store/index.js';
import { loadLatestPlan, loadStoredPlan, makeStoredPlan } from './stored-plans.js';

const NOW = new Date('2026-05-04T00:00:00Z'); // a Monday
const HOSTS = [
  { id: 'canary-1', tags: ['canary'], services: ['web'] },
  { id: 'web-1', tags: [], services: ['web'] },
  { id: 'web-2', tags: [], services: ['web'] },
  { id: 'db-1', tags: [], services: ['db'] },
];

function makeConfig(extra = ''): Config {
  const yaml = `windows:
  - { id: nightly, groups: [default], cron: "0 2 * * *", duration: 4h, cutoff: 30m }
rings:
  - { id: canary, select: { tags: [canary] }, soak: 24h }
  - { id: broad }
planning:
  availability:
    services:
      web: { maxDown: 1 }
${extra}`;
  return readConfig(yaml, '/p/patchcast.yaml', {});
}

async function addHost(store: Store, host: { id: string; tags: string[]; services: string[] }, risk: number) {
  const at = NOW.toISOString();
  await upsertAsset(
    store.db,
    {
      id: host.id,
      name: host.id,
      kind: 'host',
      internetExposed: false,
      services: host.services,
      tags: host.tags,
    },
    at,
  );
  const finding: Finding = {
    id: `f-${host.id}`,
    assetId: host.id,
    vulnerabilityId: 'CVE-2024-0001',
    ecosystem: 'Debian:12',
    packageName: 'openssl',
    installedVersion: '3.0.1',
    fixedVersions: ['3.0.2'],
    targetVersion: '3.0.2',
    status: 'open',
    risk,
    firstSeen: at,
    lastSeen: at,
  };
  await upsertFindings(store.db, [finding]);
}

describe('stored plans', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  const plan = (config: Config, now: Date, dryRun = false) =>
    makeStoredPlan(store, {
      config,
      now,
      horizonDays: 14,
      actor: 'test',
      solve: { timeLimitSeconds: 5 },
      dryRun,
    });

  beforeEach(async () => {
    ({ store, cleanup } = await makeTempStore());
    for (const [i, host] of HOSTS.entries()) await addHost(store, host, 1 + i);
  });
  afterEach(() => cleanup());

  it('stores the plan, its waves and one leasable job per assignment, with an audit event', async () => {
    expect((await plan(makeConfig(), NOW, true)).stored).toBe(false);
    expect(await listPlans(store.db)).toEqual([]);

    const run = await plan(makeConfig(), NOW);
    const id = run.id ?? '';
    expect(run.stored).toBe(true);
    expect((await loadStoredPlan(store.db, id)).plan).toEqual(run.plan);
    expect((await loadLatestPlan(store.db))?.id).toBe(id);
    expect(await listPlans(store.db)).toMatchObject([
      { id, status: 'draft', jobCount: 4, unscheduledCount: 0 },
    ]);
    expect((await loadPlan(store.db, id))?.waves.map((w) => [w.ring, w.position])).toEqual([
      ['canary', 0],
      ['broad', 1],
    ]);
    // Availability: at most one web host down per occurrence.
    const webSlots = run.plan.assignments
      .filter((a) => a.assetId.match(/^(canary|web)/))
      .map((a) => a.slotId);
    expect(new Set(webSlots).size).toBe(webSlots.length);

    const jobs = await listJobs(store.db, { planId: id });
    const canary = run.plan.assignments.find((a) => a.assetId === 'canary-1');
    expect(jobs).toHaveLength(4);
    expect(jobs.find((j) => j.assetId === 'canary-1')).toMatchObject({
      id: `${id}/job:canary-1`,
      status: 'pending',
      notBefore: canary?.start,
      notAfter: '2026-05-04T05:30:00.000Z',
      slotId: canary?.slotId,
      waveId: `${id}/wave-1-canary`,
    });
    const [event] = (await listAuditEvents(store.db)).slice(-1);
    expect(event).toMatchObject({ action: 'plan:create', subject: id, actor: 'test', data: { jobs: 4 } });
  });

  it('re-plans without moving started jobs, supersedes the old plan and reports the diff', async () => {
    const first = await plan(makeConfig(), NOW);
    const firstId = first.id ?? '';
    const canary = first.plan.assignments.find((a) => a.assetId === 'canary-1');
    const web1 = first.plan.assignments.find((a) => a.assetId === 'web-1');
    // A worker holds web-1's job; the canary's window is under way.
    await store.db
      .updateTable('jobs')
      .set({ status: 'leased', lease_owner: 'worker-1' })
      .where('id', '=', `${firstId}/job:web-1`)
      .execute();
    await addHost(store, { id: 'web-3', tags: [], services: ['web'] }, 9);
    const later = new Date(Date.parse(canary?.start ?? '') + 5 * 60_000);
    const freeze = `freezes:\n  - { id: quarter-end, start: "2026-05-05", end: "2026-05-06" }\n`;
    const second = await plan(makeConfig(freeze), later);

    const kept = (asset: string) => second.plan.assignments.find((a) => a.assetId === asset);
    expect(kept('canary-1')).toMatchObject({ slotId: canary?.slotId, start: canary?.start });
    expect(kept('web-1')).toMatchObject({ slotId: web1?.slotId, start: web1?.start });
    expect(second.kept.sort()).toEqual(['job:canary-1', 'job:web-1']);
    expect(second.previous?.id).toBe(firstId);
    expect(second.diff?.added).toEqual(['job:web-3']);
    expect(
      second.plan.assignments.every((a) => !/2026-05-0[56]T/.test(a.start) || a.assetId === 'web-1'),
    ).toBe(true);
    expect(kept('web-3')?.reasons.join('\n')).toContain("frozen by 'quarter-end'");

    expect((await listPlans(store.db)).map((p) => [p.status, p.previousId])).toEqual([
      ['draft', firstId],
      ['superseded', undefined],
    ]);
    const old = await listJobs(store.db, { planId: firstId });
    expect(old.map((j) => j.status).sort()).toEqual(['cancelled', 'cancelled', 'cancelled', 'leased']);
    // The leased job stays with the plan it was leased under, so nothing runs twice.
    const fresh = await listJobs(store.db, { planId: second.id ?? '' });
    expect(fresh.map((j) => j.assetId).sort()).toEqual(['canary-1', 'db-1', 'web-2', 'web-3']);
  });
});
