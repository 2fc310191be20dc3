import { describe, expect, it } from 'vitest';
import { isPostgresAvailable, makeTestSchema } from '../../test/support/postgres.js';
import { openStore } from './connect.js';
import { describeStoreContract } from './contract.js';
import { enqueueJobs, leaseJobs, loadMigrationStatus } from './index.js';

const available = await isPostgresAvailable();

describe.skipIf(!available)('PostgreSQL', () => {
  describeStoreContract('PostgreSQL', async () => {
    const schema = await makeTestSchema();
    const store = await openStore({ databaseUrl: schema.url });
    return { store, cleanup: schema.drop };
  });

  it('opens a fresh schema beside another schema that already holds a patchcast store', async () => {
    const first = await makeTestSchema();
    const second = await makeTestSchema();
    const a = await openStore({ databaseUrl: first.url });
    try {
      const b = await openStore({ databaseUrl: second.url });
      try {
        expect((await loadMigrationStatus(b)).every((m) => m.appliedAt !== null)).toBe(true);
      } finally {
        await b.close();
      }
    } finally {
      await a.close();
      await first.drop();
      await second.drop();
    }
  });

  it('two workers leasing with FOR UPDATE SKIP LOCKED never take the same job', async () => {
    const schema = await makeTestSchema();
    const first = await openStore({ databaseUrl: schema.url });
    const second = await openStore({ databaseUrl: schema.url });
    try {
      const ids = Array.from({ length: 200 }, (_, i) => `job-${String(i).padStart(3, '0')}`);
      await enqueueJobs(
        first.db,
        ids.map((id) => ({ id, assetId: `host-${id}` })),
        '2026-01-01T00:00:00.000Z',
      );
      // The rollout controller releases jobs; workers lease only released ones.
      await first.db.updateTable('jobs').set({ status: 'ready', executor: 'ssh' }).execute();
      const now = new Date('2026-01-01T01:00:00Z');
      const drain = async (worker: typeof first, owner: string) => {
        const taken: string[] = [];
        for (;;) {
          const jobs = await leaseJobs(worker.db, { owner, limit: 3, leaseSeconds: 600, now });
          if (jobs.length === 0) return taken;
          taken.push(...jobs.map((j) => j.id));
        }
      };
      const [a, b] = await Promise.all([drain(first, 'worker-a'), drain(second, 'worker-b')]);
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBeGreaterThan(0);
      expect(new Set([...a, ...b]).size).toBe(a.length + b.length);
      expect([...a, ...b].sort()).toEqual(ids);
    } finally {
      await first.close();
      await second.close();
      await schema.drop();
    }
  });
});
