import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { isPostgresAvailable, makeTestSchema } from '../../test/support/postgres.js';
import {
  getFindingId,
  listFindings,
  migrateTo,
  migrateToLatest,
  openStore,
  type Store,
  upsertAsset,
} from './index.js';
import { MIGRATIONS } from './migrations/index.js';

/**
 * Migration 0011 keys findings by (asset, subject) and stores only ids that are not derived. An
 * upgraded store must keep every finding under the id it had, and a pre-0009 duplicate (two findings
 * of one asset about one subject) keeps the live one.
 */
function describeUpgrade(name: string, open: () => Promise<{ store: Store; cleanup(): Promise<void> }>) {
  describe(`migration 0011 on ${name}`, () => {
    let cleanup: (() => Promise<void>) | undefined;
    afterEach(async () => cleanup?.());

    it('keeps every finding id; of two about one subject, the one decided on, and its exception', async () => {
      const opened = await open();
      cleanup = opened.cleanup;
      const { store } = opened;
      await migrateTo(store, '0010-findings-bulk');
      const at = '2026-01-02T00:00:00.000Z';
      await upsertAsset(
        store.db,
        { id: 'web-1', name: 'web-1', kind: 'host', internetExposed: false, services: [], tags: [] },
        at,
      );
      await sql`insert into asset_match_state (asset_id, token, matched_at) values ('web-1', 7, ${at})`.execute(
        store.db,
      );
      await sql`insert into finding_subjects (id, vulnerability_id, ecosystem, package_name) values
        (3, 'TEST-1', 'PyPI', 'requests'), (4, 'TEST-2', 'PyPI', 'flask'), (5, 'TEST-3', 'PyPI', 'jinja2')`.execute(
        store.db,
      );
      await sql`insert into finding_matches (id, subject_id, installed_version, fixed_versions, target_version) values
        (1, 3, '2.0.0', '["2.3.0"]', '2.3.0'), (2, 4, '0.10', '["0.12.3"]', '0.12.3'),
        (3, 5, '2.7', '["2.10"]', '2.10')`.execute(store.db);
      const derived = getFindingId(7, 3);
      await sql`insert into findings (id, asset_id, subject_id, match_id, status, first_seen, last_seen, resolved_at) values
        (${derived}, 'web-1', 3, 1, 'open', ${at}, null, null),
        ('0123456789abcdef0123', 'web-1', 4, 2, 'open', '2025-12-01T00:00:00.000Z', null, null),
        ('legacy-fixed', 'web-1', 4, 2, 'fixed', '2025-11-01T00:00:00.000Z', null, ${at}),
        ('dup-open', 'web-1', 5, 3, 'open', '2025-10-01T00:00:00.000Z', null, null),
        ('dup-excepted', 'web-1', 5, 3, 'excepted', '2025-10-02T00:00:00.000Z', null, null)`.execute(
        store.db,
      );
      // An exception naming the duplicate that goes must name the one that stays.
      await sql`insert into exceptions (id, scope, finding_id, owner, reason, created_at, expires_at) values
        ('ex-1', 'finding', 'dup-open', 'sec', 'tested', ${at}, '2026-03-01T00:00:00.000Z')`.execute(
        store.db,
      );

      const applied = await migrateToLatest(store);
      expect(applied.slice(0, 2)).toEqual(['0011-findings-keyed', '0012-finding-tokens']);
      expect(applied.at(-1)).toBe(MIGRATIONS.at(-1)?.name);

      const findings = await listFindings(store.db);
      expect(findings.map((f) => [f.id, f.vulnerabilityId, f.status, f.firstSeen]).sort()).toEqual([
        [derived, 'TEST-1', 'open', at],
        ['0123456789abcdef0123', 'TEST-2', 'open', '2025-12-01T00:00:00.000Z'],
        ['dup-excepted', 'TEST-3', 'excepted', '2025-10-02T00:00:00.000Z'],
      ]);
      const exception = await store.db.selectFrom('exceptions').select('finding_id').executeTakeFirst();
      expect(exception?.finding_id).toBe('dup-excepted');
      const stored = await store.db
        .selectFrom('findings')
        .select(['subject_id', 'id'])
        .orderBy('subject_id')
        .execute();
      expect(stored.map((r) => [Number(r.subject_id), r.id])).toEqual([
        [3, null],
        [4, '0123456789abcdef0123'],
        [5, 'dup-excepted'],
      ]);
      // Both kinds of id are found again by id, and an asset's deletion still takes its findings.
      expect(
        (await listFindings(store.db, { ids: [derived, '0123456789abcdef0123', 'legacy-fixed'] })).length,
      ).toBe(2);
      await store.db.deleteFrom('assets').where('id', '=', 'web-1').execute();
      expect(await listFindings(store.db)).toEqual([]);
    });
  });
}

describeUpgrade('SQLite', async () => {
  const home = mkdtempSync(join(tmpdir(), 'patchcast-0011-'));
  const store = await openStore({ home, databaseUrl: '', migrate: false });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
});

const postgres = await isPostgresAvailable();
describe.skipIf(!postgres)('PostgreSQL', () => {
  describeUpgrade('PostgreSQL', async () => {
    const schema = await makeTestSchema();
    const store = await openStore({ databaseUrl: schema.url, migrate: false });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await schema.drop();
      },
    };
  });
});
