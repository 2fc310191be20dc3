import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempStore } from '../../../test/support/store.js';
import { insertException, makeException, seedStore } from '../../risk/sla/__fixtures__/store.js';
import { type Db, listAuditEvents, listFindings, revokeException, type Store } from '../../store/index.js';
import { applyExceptions } from './apply-exceptions.js';

describe('applying exceptions to findings', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await makeTempStore());
    await seedStore(store.db);
  });
  afterEach(async () => cleanup());

  const statuses = async (db: Db) =>
    Object.fromEntries(
      (await listFindings(db)).map((f) => [
        f.id,
        [f.status, f.suppression?.kind ?? null, f.suppression?.ref ?? null],
      ]),
    );
  const apply = (iso: string) => store.db.transaction().execute((db) => applyExceptions(db, new Date(iso)));

  it('a vulnerability exception (named by its CVE) excepts its findings on every asset, visibly, and lapses at expiry', async () => {
    await insertException(store.db, makeException()); // 2026-01-15 … end of 2026-01-24
    expect(await apply('2026-01-16T00:00:00Z')).toEqual({ excepted: 2, reopened: 0, active: 2 });
    expect(await statuses(store.db)).toEqual({
      'f-exim': ['excepted', 'exception', 'EXC-1'],
      'f-exim-cache': ['excepted', 'exception', 'EXC-1'],
      'f-openssl': ['open', null, null],
      'f-exim-base': ['suppressed', 'vex', 'vex.json'], // VEX stays VEX
    });
    const [excepted] = await listFindings(store.db, { status: ['excepted'] });
    expect(excepted?.suppression?.justification).toBe(
      'mail relay isolated (owner alice, approved by bob; until 2026-01-24)',
    );
    expect(await apply('2026-01-24T23:00:00Z')).toMatchObject({ excepted: 0, active: 2 });

    expect(await apply('2026-01-25T00:00:00Z')).toEqual({ excepted: 0, reopened: 2, active: 0 });
    expect((await statuses(store.db))['f-exim']).toEqual(['open', null, null]);
    await apply('2026-01-26T00:00:00Z');
    const lapses = (await listAuditEvents(store.db)).filter((e) => e.action === 'exception:lapsed');
    expect(lapses.map((e) => e.subject)).toEqual(['EXC-1']);
  });

  it('a revoked exception reopens the finding it covered', async () => {
    await insertException(
      store.db,
      makeException({ id: 'EXC-F', scope: 'finding', findingId: 'f-openssl', vulnerabilityId: undefined }),
    );
    await apply('2026-01-16T00:00:00Z');
    expect((await statuses(store.db))['f-openssl']).toEqual(['excepted', 'exception', 'EXC-F']);
    expect(await revokeException(store.db, 'EXC-F', '2026-01-17T00:00:00.000Z')).toBe(true);
    expect(await apply('2026-01-17T00:00:01Z')).toMatchObject({ reopened: 1 });
    expect((await statuses(store.db))['f-openssl']).toEqual(['open', null, null]);
  });

  it('an exception on a package narrowed to one asset covers only that asset', async () => {
    await insertException(
      store.db,
      makeException({
        scope: 'package',
        packageName: 'exim4',
        assetId: 'cache-01',
        vulnerabilityId: undefined,
      }),
    );
    await apply('2026-01-16T00:00:00Z');
    const s = await statuses(store.db);
    expect([s['f-exim']?.[0], s['f-exim-cache']?.[0]]).toEqual(['open', 'excepted']);
  });
});
