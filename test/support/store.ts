import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, replaceAssetPackages, type Store, upsertAsset } from '../../src/store/index.js';

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

/** Adds (or re-imports) a host holding these PyPI packages, [name, version] each, as of `at`. */
export async function addPypiHost(
  store: Store,
  id: string,
  packages: ReadonlyArray<readonly [string, string]>,
  at: string,
): Promise<void> {
  await upsertAsset(
    store.db,
    { id, name: id, kind: 'host', internetExposed: false, services: [], tags: [] },
    at,
  );
  await replaceAssetPackages(
    store.db,
    { assetId: id, source: 'test', format: 'requirements-txt', importedAt: at },
    packages.map(([name, version]) => ({ ecosystem: 'PyPI', name, version })),
  );
}
