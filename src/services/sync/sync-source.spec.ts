import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countRows, makeTempStore } from '../../../test/support/store.js';
import type { KevEntry } from '../../core/types.js';
import type { FeedRead, FeedSource } from '../../feeds/index.js';
import { listFeedStates, type Store } from '../../store/index.js';
import { syncSource } from './sync-source.js';

const entry = (cveId: string): KevEntry => ({ cveId, dateAdded: '2024-05-01', ransomware: false });

/** A source reading nothing from disk: it yields the given batches and notes when its reading ended. */
function makeSource(batches: KevEntry[][], ended: string[]): FeedSource {
  return {
    id: 'kev',
    description: 'test source',
    defaultUrl: null,
    mirrorNames: [],
    async *read(): FeedRead {
      try {
        for (const records of batches) yield { kind: 'kev', records };
        return { newest: '2024-05-01' };
      } finally {
        ended.push('cleaned up');
      }
    },
  };
}

describe('syncSource: the sync service writes what a source yields', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await makeTempStore());
  });
  afterEach(() => cleanup());

  it('writes every batch in one transaction and keeps the newest date in the sync state', async () => {
    const ended: string[] = [];
    const source = makeSource(
      [[entry('CVE-2024-0001')], [entry('CVE-2024-0002'), entry('CVE-2024-0003')]],
      ended,
    );
    expect(await syncSource(store, source, { from: 'memory' })).toMatchObject({ outcome: 'ok', records: 3 });
    expect(await countRows(store, ['kev_entries'])).toEqual({ kev_entries: 3 });
    expect((await listFeedStates(store.db)).find((s) => s.source === 'kev')).toMatchObject({
      records: 3,
      newest: '2024-05-01',
    });
    expect(ended).toEqual(['cleaned up']);
  });

  it('a batch the store refuses undoes the batches before it, stops the reading and records the failure', async () => {
    const ended: string[] = [];
    const broken = { cveId: 'CVE-2024-0009', ransomware: false } as KevEntry;
    const source = makeSource([[entry('CVE-2024-0001')], [broken], [entry('CVE-2024-0002')]], ended);
    await expect(syncSource(store, source, { from: 'memory' })).rejects.toThrow();
    expect(await countRows(store, ['kev_entries'])).toEqual({ kev_entries: 0 });
    expect(ended).toEqual(['cleaned up']);
    expect((await listFeedStates(store.db)).find((s) => s.source === 'kev')?.outcome).toBe('failed');
  });
});
