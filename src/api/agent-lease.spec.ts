import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, makeTestApi } from '../../test/support/api.js';
import { storePlan } from '../../test/support/rollout-plan.js';
import { makeTempStore } from '../../test/support/store.js';
import { readConfig } from '../config/index.js';
import { createEnrollToken, enrollAgent } from '../services/auth/agents.js';
import { silentLogger, systemClock } from '../services/deps.js';
import { startRollout } from '../services/rollout/control-rollout.js';
import { runControllerTick } from '../services/rollout/controller.js';
import { type Store, upsertAsset } from '../store/index.js';
import { AGENT_SLOTS } from './agent-gate.js';

// No `rollout.hosts`: h1 is reached through its own agent.
const CONFIG = readConfig(
  'rings:\n  - { id: canary, concurrency: 1 }\n',
  '/etc/patchcast/patchcast.yaml',
  {},
);

let store: Store;
let cleanup: () => Promise<void>;
let app: FastifyInstance;
let credential: string;
const admin = () => ({
  store,
  config: CONFIG,
  clock: systemClock,
  logger: silentLogger,
  actor: { kind: 'cli', id: 'cli:test', role: 'admin' } as const,
});
let origin: string;
// Over a real socket, not inject(): Node marks a request destroyed once its body is read, which an
// earlier version took for "the agent went away" and so never held a long poll open.
const lease = async (body: Record<string, unknown>) => {
  const res = await fetch(`${origin}/api/v1/agent/lease`, {
    method: 'POST',
    headers: { ...bearer(credential), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
};

beforeEach(async () => {
  ({ store, cleanup } = await makeTempStore());
  const now = Date.now();
  await storePlan(
    store,
    'plan-1',
    [
      {
        assetId: 'h1',
        ring: 'canary',
        packages: ['openssl@3.0.15-1~deb12u1'],
        start: new Date(now - 3600_000).toISOString(),
        lastStart: new Date(now + 3600_000).toISOString(),
      },
    ],
    new Date(now - 7200_000).toISOString(),
  );
  await startRollout(admin(), { planId: 'plan-1', approve: true });
  const { token } = await createEnrollToken(admin(), { uses: 1 });
  ({ credential } = await enrollAgent(store, systemClock, {
    enrollToken: token,
    assetId: 'h1',
    hostname: 'h1',
  }));
  ({ app } = await makeTestApi(store, { config: CONFIG }));
  origin = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterEach(async () => {
  await app.close();
  await cleanup();
});

describe('POST /api/v1/agent/lease', () => {
  it('holds a long poll open until the controller releases the host’s job, then answers with it', async () => {
    const answer = lease({ wait: 30 });
    // Release only once the poll has reached the handler: authenticating it stamps the agent's
    // last_seen_at, and its first lease attempt (which finds nothing) follows at once.
    while (!(await store.db.selectFrom('agents').select('last_seen_at').executeTakeFirst())?.last_seen_at)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const controller = {
      ...admin(),
      actor: { kind: 'system', id: 'system:controller', role: 'admin' } as const,
    };
    const ticks = [await runControllerTick(controller), await runControllerTick(controller)];
    expect(ticks.flatMap((t) => t.actions.map((a) => a.kind))).toEqual(['start-wave', 'release']);
    const res = await answer;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject([{ job: { id: 'plan-1/job:h1#0', assetId: 'h1' }, token: 1 }]);
  });

  it('answers an empty list once the wait is over and nothing was released', async () => {
    expect(await lease({ wait: 1 })).toEqual({ status: 200, body: [] });
  });

  it("gives its agent slot back while it waits: more long polls than slots don't shut other agents out", async () => {
    const { token } = await createEnrollToken(admin(), { uses: AGENT_SLOTS + 1 });
    const others: string[] = [];
    for (let i = 0; i <= AGENT_SLOTS; i++) {
      const assetId = `idle-${i}`;
      await upsertAsset(
        store.db,
        { id: assetId, name: assetId, kind: 'host', internetExposed: false, services: [], tags: [] },
        new Date().toISOString(),
      );
      others.push(
        (await enrollAgent(store, systemClock, { enrollToken: token, assetId, hostname: assetId }))
          .credential,
      );
    }
    const stop = new AbortController();
    let answered = 0;
    const polls = others.map((c) =>
      fetch(`${origin}/api/v1/agent/lease`, {
        method: 'POST',
        headers: { ...bearer(c), 'content-type': 'application/json' },
        body: JSON.stringify({ wait: 30 }),
        signal: stop.signal,
      }).then(
        () => answered++,
        () => undefined,
      ),
    );
    // Were a slot held per waiting poll, this request would be let in only once one of them answered.
    expect(await lease({ wait: 0 })).toEqual({ status: 200, body: [] });
    expect(answered).toBe(0);
    stop.abort();
    await Promise.all(polls);
  });
});
