/**
 * The shared test kit of the feed sources, used by every member's index.spec.ts: a fresh store and
 * loopback feed server per test, an HTTP client that retries without waiting, and the checks every
 * source must pass (retries through 429/500 then a 304; a refused input leaves the store as it was).
 * A source only reads and yields batches; these checks run it through the sync service that writes
 * them (src/services/sync/sync-source.ts), as `patchcast sync` does, so the kit lives with the other
 * store-backed test support rather than in src/feeds.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import { makeHttpClient } from '../../src/feeds/http.js';
import type { FeedSource } from '../../src/feeds/types.js';
import { type SyncOptions, syncSource } from '../../src/services/sync/sync-source.js';
import { listFeedStates, type Store } from '../../src/store/index.js';
import { type FeedServer, startFeedServer } from './feed-server.js';
import { countRows, makeTempStore } from './store.js';

/** What each test gets afresh: a migrated temporary store, its home directory, a loopback feed server. */
export interface FeedTestbed {
  store: Store;
  home: string;
  server: FeedServer;
}

/** An HTTP client whose retries do not wait, so failure paths run instantly. */
export const http = makeHttpClient({ baseDelayMs: 1, sleep: async () => undefined });

/** Registers hooks that give each test of the calling `describe` a fresh testbed, and tear it down. */
export function useFeedTestbed(): FeedTestbed {
  const testbed = {} as FeedTestbed;
  let cleanup: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    const temp = await makeTempStore();
    cleanup = temp.cleanup;
    Object.assign(testbed, { store: temp.store, home: temp.home, server: await startFeedServer() });
  });
  afterEach(async () => {
    await testbed.server.close();
    await cleanup?.();
  });
  return testbed;
}

export interface EtagRoute {
  path: string;
  body: Buffer | string;
  etag: string;
}

/**
 * Serves `route` failing first with 429 then 500, and syncs it twice: the first sync gets through the
 * retries and writes `records`; the second asks with the etag, gets 304 and writes nothing.
 */
export async function expectRetriedThenNotModified(
  t: FeedTestbed,
  source: FeedSource,
  route: EtagRoute,
  records: number,
  options: Pick<SyncOptions, 'now'> = {},
): Promise<void> {
  t.server.set(route.path, { body: route.body, etag: route.etag, failFirst: [429, 500], retryAfter: 0 });
  const sync = { from: `${t.server.url}${route.path}`, http, ...options };
  expect(await syncSource(t.store, source, sync)).toMatchObject({ outcome: 'ok', records });
  expect(await syncSource(t.store, source, sync)).toMatchObject({ outcome: 'unchanged', records: 0 });
  expect(t.server.requests.map((r) => r.ifNoneMatch ?? null)).toEqual([null, null, null, route.etag]);
}

/**
 * A check that syncing `from` is refused with `message` and changes nothing: after a good sync of
 * `baseline`, the rows of `tables` stay as they were and the source's sync state records the failure.
 */
export function makeRefusalCheck(
  t: FeedTestbed,
  source: FeedSource,
  baseline: string,
  tables: string[],
): (from: string, message: RegExp, maxBytes?: number) => Promise<void> {
  return async (from, message, maxBytes) => {
    await syncSource(t.store, source, { from: baseline, http });
    const before = await countRows(t.store, tables);
    await expect(syncSource(t.store, source, { from, http, maxBytes })).rejects.toThrow(message);
    expect(await countRows(t.store, tables)).toEqual(before);
    const state = (await listFeedStates(t.store.db)).find((s) => s.source === source.id);
    expect(state?.outcome).toBe('failed');
  };
}
