import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServiceDeps } from '../../../test/support/service-deps.js';
import { countRows, makeTempStore } from '../../../test/support/store.js';
import { readConfig } from '../../config/index.js';
import type { Finding } from '../../core/types.js';
import { listAuditEvents, type Store, upsertAsset, upsertFindings } from '../../store/index.js';
import type { ServiceDeps } from '../deps.js';
import { diffPlans, explainPlanJob, listPlans, loadPlan } from './load-plan.js';
import { makePlan } from './make-plan.js';

const NOW = new Date('2026-05-04T00:00:00Z'); // a Monday
const CONFIG = readConfig(
  'windows:\n  - { id: nightly, groups: [default], cron: "0 2 * * *", duration: 4h, cutoff: 30m }\n',
  '/p/patchcast.yaml',
  {},
);

function depsFor(store: Store, role: 'viewer' | 'operator', now = NOW): ServiceDeps {
  return { ...makeServiceDeps(store, role, CONFIG), clock: { now: () => now } };
}

async function addHost(store: Store, id: string): Promise<void> {
  const at = NOW.toISOString();
  await upsertAsset(
    store.db,
    { id, name: id, kind: 'host', internetExposed: false, services: [], tags: [] },
    at,
  );
  const finding: Finding = {
    id: `f-${id}`,
    assetId: id,
    vulnerabilityId: 'CVE-2024-0001',
    ecosystem: 'Debian:12',
    packageName: 'openssl',
    installedVersion: '3.0.1',
    fixedVersions: ['3.0.2'],
    targetVersion: '3.0.2',
    status: 'open',
    firstSeen: at,
    lastSeen: at,
    risk: 0.5,
  };
  await upsertFindings(store.db, [finding]);
}

describe('plan services', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await makeTempStore());
    await addHost(store, 'web-1');
    await addHost(store, 'db-1');
  });
  afterEach(() => cleanup());

  it('lets a viewer dry-run a plan but not store one', async () => {
    const viewer = depsFor(store, 'viewer');
    const dry = await makePlan(viewer, { horizonDays: 7, dryRun: true, solve: { method: 'greedy' } });
    expect(dry.stored).toBe(false);
    expect(dry.plan.assignments.map((a) => a.assetId).sort()).toEqual(['db-1', 'web-1']);
    await expect(makePlan(viewer, { horizonDays: 7, solve: { method: 'greedy' } })).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
    });
    expect(await countRows(store, ['plans', 'audit_events'])).toEqual({ plans: 0, audit_events: 0 });
  });

  it('stores a plan for an operator, audited with the actor, and reads it back for a viewer', async () => {
    const operator = depsFor(store, 'operator');
    const first = await makePlan(operator, { horizonDays: 7, solve: { method: 'greedy' } });
    const later = depsFor(store, 'operator', new Date(NOW.getTime() + 3_600_000));
    const second = await makePlan(later, { horizonDays: 7, solve: { method: 'greedy' } });
    const events = await listAuditEvents(store.db);
    expect(events.map((e) => [e.actor, e.action, e.subject])).toEqual([
      ['token:operator', 'plan:create', first.id],
      ['token:operator', 'plan:create', second.id],
    ]);
    const viewer = depsFor(store, 'viewer');
    expect((await loadPlan(viewer)).id).toBe(second.id);
    expect((await listPlans(viewer, { limit: 5 })).map((p) => p.id)).toEqual([second.id, first.id]);
    const { before, after } = await diffPlans(viewer);
    expect([before.id, after.id]).toEqual([first.id, second.id]);
    const { explanation } = await explainPlanJob(viewer, { target: 'web-1' });
    expect(explanation).toBeTruthy();
    await expect(explainPlanJob(viewer, { target: 'nope' })).rejects.toMatchObject({
      code: 'STORE_NOT_FOUND',
    });
  });
});
