import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadAdvisoryEntries, loadMigrationStatus, migrateTo, migrateToLatest, openStore } from './index.js';
import { MIGRATIONS } from './migrations/index.js';

describe('migrations', () => {
  it('upgrading a 0001 store backfills the advisory lookup columns', async () => {
    const home = mkdtempSync(join(tmpdir(), 'patchcast-upgrade-'));
    const store = await openStore({ home, databaseUrl: '', migrate: false });
    try {
      await migrateTo(store, '0001-initial');
      await sql`insert into vulnerabilities (id, source) values ('PYSEC-1', 'osv')`.execute(store.db);
      await sql`insert into affected_packages (vulnerability_id, ecosystem, name, ranges) values ('PYSEC-1', 'PyPI', 'Django_Rest.Framework', '[]')`.execute(
        store.db,
      );
      expect(await migrateToLatest(store)).toEqual(MIGRATIONS.slice(1).map((m) => m.name));
      const found = await loadAdvisoryEntries(store.db, [
        { ecosystem: 'PyPI', name: 'django-rest-framework' },
      ]);
      expect([...found.values()].flat().map((e) => e.vulnerabilityId)).toEqual(['PYSEC-1']);
    } finally {
      await store.close();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('applies 0007 to a store that already had 0008 and 0009 (it landed after them)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'patchcast-unordered-'));
    const store = await openStore({ home, databaseUrl: '', migrate: false });
    try {
      const ctx = { dialect: 'sqlite', serial: 'integer', json: 'text' } as const;
      const before: Record<string, Migration> = {};
      for (const m of MIGRATIONS.filter((m) => m.name !== '0007-exploit-scores'))
        before[m.name] = { up: (db: Kysely<unknown>) => m.up(db, ctx) };
      const older = new Migrator({
        db: store.db,
        provider: { getMigrations: async () => before },
        migrationTableName: 'patchcast_migrations',
        migrationLockTableName: 'patchcast_migrations_lock',
      });
      expect((await older.migrateToLatest()).error).toBeUndefined();
      expect(await migrateToLatest(store)).toEqual(['0007-exploit-scores']);
      expect((await loadMigrationStatus(store)).every((m) => m.appliedAt !== null)).toBe(true);
    } finally {
      await store.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
