import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storePlan } from '../../../test/support/rollout-plan.js';
import { makeTempStore } from '../../../test/support/store.js';
import { readConfig } from '../../config/index.js';
import type { Store } from '../../store/index.js';
import { type Actor, type ServiceDeps, silentLogger, systemClock } from '../deps.js';
import { startRollout } from './control-rollout.js';
import { runControllerTick } from './controller.js';
import { leaseWork } from './job-reports.js';
import { waitForLeasableJob } from './lease-wait.js';

// No `rollout.hosts`: every host is reached through its own agent.
const CONFIG = readConfig(
  'rings:\n  - { id: canary, concurrency: 1 }\n',
  '/etc/patchcast/patchcast.yaml',
  {},
);

let store: Store;
let cleanup: () => Promise<void>;
const deps = (actor: Actor): ServiceDeps => ({
  store,
  config: CONFIG,
  clock: systemClock,
  actor,
  logger: silentLogger,
});
const agentOf = (assetId: string) => deps({ kind: 'agent', id: `agent:${assetId}`, role: 'viewer', assetId });
const controller = () => deps({ kind: 'system', id: 'system:controller', role: 'admin' });

beforeEach(async () => {
  ({ store, cleanup } = await makeTempStore());
  const now = Date.now();
  const window = {
    start: new Date(now - 3600_000).toISOString(),
    lastStart: new Date(now + 3600_000).toISOString(),
  };
  // One job at a time: h1's is released first, h2's only after it.
  await storePlan(
    store,
    'plan-1',
    ['h1', 'h2'].map((assetId) => ({
      assetId,
      ring: 'canary',
      packages: ['openssl@3.0.15-1~deb12u1'],
      ...window,
    })),
    new Date(now - 7200_000).toISOString(),
  );
  await startRollout(deps({ kind: 'cli', id: 'cli:test', role: 'admin' }), {
    planId: 'plan-1',
    approve: true,
  });
});
afterEach(() => cleanup());

describe('waitForLeasableJob', () => {
  it("wakes the agent whose host's job was released, and only that one", async () => {
    const untilMs = Date.now() + 30_000;
    const other = new AbortController();
    const h1 = waitForLeasableJob(agentOf('h1'), { untilMs });
    const h2 = waitForLeasableJob(agentOf('h2'), { untilMs, signal: other.signal });
    const ticks = [await runControllerTick(controller()), await runControllerTick(controller())];
    expect(ticks.flatMap((t) => t.actions.map((a) => a.kind))).toEqual(['start-wave', 'release']);

    expect(await h1).toBe(true);
    const work = await leaseWork(agentOf('h1'), { owner: 'agent:h1', limit: 1, executors: ['agent'] });
    expect(work.map((w) => w.job.assetId)).toEqual(['h1']);
    // h2 has nothing to lease: it was not woken with h1, and still waits until its agent goes away.
    other.abort();
    expect(await h2).toBe(false);
  });

  it('answers false at the deadline when nothing is released, and at once for a past deadline', async () => {
    expect(await waitForLeasableJob(agentOf('h1'), { untilMs: Date.now() + 300 })).toBe(false);
    expect(await waitForLeasableJob(agentOf('h1'), { untilMs: Date.now() - 1 })).toBe(false);
  });

  it('is for agents bound to a host', async () => {
    const untilMs = Date.now() + 1000;
    await expect(
      waitForLeasableJob(deps({ kind: 'token', id: 'token:v', role: 'viewer' }), { untilMs }),
    ).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN' });
    await expect(
      waitForLeasableJob(deps({ kind: 'agent', id: 'agent:x', role: 'viewer' }), { untilMs }),
    ).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN' });
  });
});
