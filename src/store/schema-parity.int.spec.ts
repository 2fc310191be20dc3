import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPostgresAvailable, makeTestSchema } from '../../test/support/postgres.js';
import { openStore, type Store } from './connect.js';
import { listStoreTables } from './migrate.js';

const available = await isPostgresAvailable();

async function describeTables(store: Store): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of await listStoreTables(store)) out[t.name] = [...t.columns].sort();
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

describe.skipIf(!available)('patchcast db migrate', () => {
  it('gives the same tables and columns on SQLite and PostgreSQL', async () => {
    const home = mkdtempSync(join(tmpdir(), 'patchcast-parity-'));
    const schema = await makeTestSchema();
    const sqlite = await openStore({ home, databaseUrl: '' });
    const postgres = await openStore({ databaseUrl: schema.url });
    try {
      const [a, b] = await Promise.all([describeTables(sqlite), describeTables(postgres)]);
      expect(Object.keys(a)).toContain('vulnerabilities');
      expect(Object.keys(a).length).toBeGreaterThanOrEqual(19);
      expect(b).toEqual(a);
    } finally {
      await sqlite.close();
      await postgres.close();
      await schema.drop();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
