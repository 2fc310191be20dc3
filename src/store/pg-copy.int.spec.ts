import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPostgresAvailable, makeTestSchema } from '../../test/support/postgres.js';
import { openStore, type Store } from './index.js';
import { copyIn, copyOut, runOnClient } from './pg-copy.js';

/** COPY inside a store's transaction: it commits and rolls back with it, and a failure frees the connection. */
const postgres = await isPostgresAvailable();
describe.skipIf(!postgres)('COPY on a PostgreSQL store', () => {
  let store: Store;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const schema = await makeTestSchema();
    drop = schema.drop;
    store = await openStore({ databaseUrl: schema.url });
    await sql`create table copy_test (id text not null, n integer not null)`.execute(store.db);
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  const count = async () =>
    Number((await sql<{ n: string }>`select count(*) as n from copy_test`.execute(store.db)).rows[0]?.n);

  it('writes and reads back rows inside the transaction, escapes and all', async () => {
    const rows: string[][] = [];
    await store.db.transaction().execute(async (trx) => {
      await runOnClient(trx, (client) => copyIn(client, 'copy_test (id, n)', ['a\\tb\t1\n', 'wé\\\\b\t2\n']));
      await runOnClient(trx, (client) =>
        copyOut(client, 'select id, n from copy_test order by n', (r) => rows.push(r)),
      );
    });
    expect(rows).toEqual([
      ['a\\tb', '1'],
      ['wé\\\\b', '2'],
    ]);
    expect((await sql<{ id: string }>`select id from copy_test order by n`.execute(store.db)).rows).toEqual([
      { id: 'a\tb' },
      { id: 'wé\\b' },
    ]);
  });

  it('a row the server rejects fails the transaction, which leaves nothing, and the store goes on', async () => {
    const before = await count();
    await expect(
      store.db.transaction().execute(async (trx) => {
        await sql`insert into copy_test values ('kept?', 9)`.execute(trx);
        await runOnClient(trx, (client) =>
          copyIn(client, 'copy_test (id, n)', ['x\t3\n', 'y\tnot-a-number\n']),
        );
      }),
    ).rejects.toThrow(/invalid input syntax for type integer/);
    expect(await count()).toBe(before);
  });

  it('an error while producing the rows fails the COPY on the server and rolls back', async () => {
    const before = await count();
    function* rows() {
      yield 'z\t4\n';
      throw new Error('producer broke');
    }
    await expect(
      store.db.transaction().execute(async (trx) => {
        await runOnClient(trx, (client) => copyIn(client, 'copy_test (id, n)', rows()));
      }),
    ).rejects.toThrow('producer broke');
    expect(await count()).toBe(before);
  });

  it('an error while reading rows out ends the COPY first, then fails the transaction', async () => {
    await store.db.transaction().execute(async (trx) => {
      await runOnClient(trx, (client) => copyIn(client, 'copy_test (id, n)', ['r\t5\n', 's\t6\n']));
    });
    const seen: string[] = [];
    await expect(
      store.db.transaction().execute(async (trx) => {
        await runOnClient(trx, (client) =>
          copyOut(client, 'select id from copy_test order by n', ([id = '']) => {
            seen.push(id);
            throw new Error('consumer broke');
          }),
        );
      }),
    ).rejects.toThrow('consumer broke');
    expect(seen).toHaveLength(1);
    expect(await count()).toBeGreaterThan(0);
  });
});
