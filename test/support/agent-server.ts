/**
 * For the agent's specs: the real API listening on 127.0.0.1 over a temporary SQLite store, a stored
 * plan whose jobs go to agents (no `rollout.hosts` entry), and the rollout started and ticked until
 * those jobs are released.
 */
import type { AddressInfo } from 'node:net';
import { readConfig } from '../../src/config/index.js';
import type { JobEvent } from '../../src/core/types.js';
import { createEnrollToken } from '../../src/services/auth/agents.js';
import { type ServiceDeps, silentLogger, systemClock } from '../../src/services/deps.js';
import { startRollout } from '../../src/services/rollout/control-rollout.js';
import { runControllerTick } from '../../src/services/rollout/controller.js';
import { listJobEvents, loadJob, type Store } from '../../src/store/index.js';
import { makeTestApi } from './api.js';
import { storePlan } from './rollout-plan.js';
import { makeTempStore } from './store.js';

export interface AgentServer {
  url: string;
  store: Store;
  /** The ids of the plan's jobs, in the order given. */
  jobIds: string[];
  /** Starts the rollout and runs controller ticks until every job is released to its agent. */
  release(): Promise<void>;
  enrollToken(): Promise<string>;
  job(id: string): ReturnType<typeof loadJob>;
  events(id: string): Promise<JobEvent[]>;
  close(): Promise<void>;
}

export async function startAgentServer(input: {
  jobs: Array<{ assetId: string; packages: string[] }>;
  /** Extra lines under `rollout:` (e.g. `lease: 2s`). */
  rollout?: string[];
}): Promise<AgentServer> {
  const temp = await makeTempStore();
  const assets = [...new Set(input.jobs.map((j) => j.assetId))];
  const config = readConfig(
    [
      'rings:',
      `  - { id: canary, select: { assets: [${assets.join(', ')}] }, concurrency: 10, rehearsal: false }`,
      'rollout:',
      '  refresh: true',
      ...(input.rollout ?? []).map((line) => `  ${line}`),
    ].join('\n'),
    '/etc/patchcast/patchcast.yaml',
    {},
  );
  const now = Date.now();
  const window = {
    start: new Date(now - 3_600_000).toISOString(),
    lastStart: new Date(now + 3_600_000).toISOString(),
  };
  await storePlan(
    temp.store,
    'plan-agent',
    input.jobs.map((j) => ({ ...j, ring: 'canary', ...window })),
    new Date(now - 7_200_000).toISOString(),
  );
  const { app } = await makeTestApi(temp.store, { config });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const deps = (id: string, kind: 'system' | 'cli' = 'cli'): ServiceDeps => ({
    store: temp.store,
    config,
    clock: systemClock,
    logger: silentLogger,
    actor: { kind, id, role: 'admin' },
  });
  const jobIds = input.jobs.map((j, i) => `plan-agent/job:${j.assetId}#${i}`);
  return {
    url: `http://127.0.0.1:${port}`,
    store: temp.store,
    jobIds,
    async release() {
      await startRollout(deps('cli:test'), { planId: 'plan-agent', approve: true });
      for (let tick = 0; tick < 10; tick++) {
        await runControllerTick(deps('system:controller', 'system'));
        const jobs = await Promise.all(jobIds.map((id) => loadJob(temp.store.db, id)));
        if (jobs.every((j) => j?.status === 'ready')) return;
      }
      throw new Error('the controller did not release the jobs');
    },
    enrollToken: async () => (await createEnrollToken(deps('cli:test'), { expires: '1h', uses: 10 })).token,
    job: (id) => loadJob(temp.store.db, id),
    events: (id) => listJobEvents(temp.store.db, id),
    async close() {
      await app.close();
      await temp.cleanup();
    },
  };
}
