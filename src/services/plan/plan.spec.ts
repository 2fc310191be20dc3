import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServiceDeps } from '../../../test/support/service-deps.js';
import { countRows, makeTempStore } from '../../../test/support/store.js';
import { readConfig } from '../../config/index.js';
import type { Finding } from '../../core/types.js';
import {
  listAuditEvents,
  listEventsAfter,
  type Store,
  upsertAsset,
  upsertFindings,
} from '../../store/index.js';
import type { ServiceDeps } from '../deps.js';
import { approvePlan } from './approve-plan.js';
import { diffPlanAgainst, diffPlans, explainPlanJob, listPlans, loadPlan } from './load-plan.js';
import { makePlan } from './make-plan.js';

const NOW = new Date('2026-05-04T00:00:00Z'); // a Monday
const CONFIG = readConfig(
  'windows:\n  - { id: nightly, groups: [default], cron: "0 2 * * *", duration: 4h, cutoff: 30m }\n',
  '/p/patchcast.yaml',
  {},
);

function depsFor(store: Store, role: 'viewer' | 'operator' | 'approver', now = NOW): ServiceDeps {
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

  it('an approver approves a draft once; creation and approval are announced as events', async () => {
    const operator = depsFor(store, 'operator');
    const first = await makePlan(operator, { horizonDays: 7, solve: { method: 'greedy' } });
    const id = first.id as string;
    await expect(approvePlan(operator, { planId: id })).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN' });
    const approver = depsFor(store, 'approver');
    expect(await approvePlan(approver, { planId: id })).toMatchObject({
      id,
      status: 'approved',
      approvedBy: 'token:approver',
      approvedAt: NOW.toISOString(),
    });
    expect((await loadPlan(depsFor(store, 'viewer'), { planId: id })).status).toBe('approved');
    await expect(approvePlan(approver, { planId: id })).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
    expect((await listEventsAfter(store.db, 0, 10)).map((e) => [e.kind, e.subject])).toEqual([
      ['plan:created', id],
      ['plan:approved', id],
    ]);
    expect((await listAuditEvents(store.db)).map((e) => [e.actor, e.action])).toEqual([
      ['token:operator', 'plan:create'],
      ['token:approver', 'plan:approve'],
    ]);
  });

  it('diffs a plan against the one it replaced, or names that none was replaced', async () => {
    const operator = depsFor(store, 'operator');
    const first = await makePlan(operator, { horizonDays: 7, solve: { method: 'greedy' } });
    const later = depsFor(store, 'operator', new Date(NOW.getTime() + 3_600_000));
    const second = await makePlan(later, { horizonDays: 7, solve: { method: 'greedy' } });
    const viewer = depsFor(store, 'viewer');
    const { before, after } = await diffPlanAgainst(viewer, { planId: second.id as string });
    expect([before.id, after.id]).toEqual([first.id, second.id]);
    await expect(diffPlanAgainst(viewer, { planId: first.id as string })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
    });
  });
});
