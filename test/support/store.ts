import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/index.js';

/** A fresh, migrated SQLite store in a temporary directory. */
export async function makeTempStore(): Promise<{ store: Store; home: string; cleanup(): Promise<void> }> {
  const home = mkdtempSync(join(tmpdir(), 'patchcast-test-'));
  const store = await openStore({ home, databaseUrl: '' });
  return {
    store,
    home,
    async cleanup() {
      await store.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Row counts of the given tables, to prove a failed import left the store as it was. */
export async function countRows(store: Store, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const row = await store.db
      .selectFrom(table as 'vulnerabilities')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    out[table] = Number(row?.n ?? 0);
  }
  return out;
}
