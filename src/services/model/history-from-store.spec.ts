import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempStore } from '../../../test/support/store.js';
import { readConfig } from '../../config/index.js';
import type { ExploitSighting, KevEntry, Vulnerability } from '../../core/types.js';
import { cveSource } from '../../feeds/cve/index.js';
import { epssSource } from '../../feeds/epss/index.js';
import { exploitsSource } from '../../feeds/exploits/index.js';
import { kevSource } from '../../feeds/kev/index.js';
import {
  featuresAsOf,
  fromDay,
  type History,
  loadHistory,
  scoreAsOf,
  toDay,
  trainExploitModel,
} from '../../predict/index.js';
import { SMALL_TRAIN } from '../../predict/retrain-support.js';
import { addSyntheticWorld } from '../../predict/synthetic-history.js';
import {
  insertEpssScores,
  insertExploitSightings,
  listScoreDays,
  type Store,
  upsertKevEntries,
  upsertSsvcDecisions,
  upsertVulnerabilities,
} from '../../store/index.js';
import { syncSource } from '../sync/sync-source.js';
import { registerExploitModel } from './exploit-model-registry.js';
import { loadExploitHistory, loadHistoryFromStore } from './history-from-store.js';
import { runModelAfterSync } from './model-after-sync.js';

const FEEDS = fileURLToPath(new URL('../../feeds/', import.meta.url));

/** The facts both loaders have, by CVE id (indices may differ: the store reads in id order). */
function describeFacts(history: History) {
  const out = new Map<string, unknown>();
  for (const [i, id] of history.ids.entries()) {
    const facts = history.facts[i];
    out.set(id, {
      published: history.published[i],
      cvss: facts?.cvss.map((c) => ({ version: c.version, score: c.score, from: c.from })),
      cwes: facts?.cwes.map((c) => history.strings[c]),
      referenceCount: facts?.referenceCount,
      ssvc: facts?.ssvc,
      signals: history.signals.get(i)?.map((days) => [...days]) ?? null,
      kev: history.kev
        .filter((k) => k.cve === i)
        .map((k) => ({ added: k.addedDay, removed: k.removedDay, vendor: history.strings[k.vendor] })),
      epss: history.epss.map((e) => [e.day, e.score[i], e.percentile[i]]),
    });
  }
  return out;
}

describe('the History from the store equals the History from the same data as a directory', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let dir: string;
  beforeAll(async () => {
    ({ store, cleanup } = await makeTempStore());
    dir = mkdtempSync(join(tmpdir(), 'patchcast-history-'));
    copyFileSync(join(FEEDS, 'cve/__fixtures__/cves.jsonl.gz'), join(dir, 'cves.jsonl.gz'));
    copyFileSync(join(FEEDS, 'exploits/__fixtures__/exploits.jsonl.gz'), join(dir, 'exploits.jsonl.gz'));
    copyFileSync(join(FEEDS, 'kev/__fixtures__/known_exploited_vulnerabilities.json'), join(dir, 'kev.json'));
    const epss = 'epss_scores-2026-01-30.csv.gz';
    copyFileSync(join(FEEDS, `epss/__fixtures__/${epss}`), join(dir, epss));
    for (const source of [cveSource, exploitsSource, kevSource, epssSource]) {
      expect((await syncSource(store, source, { offlineDir: dir })).outcome).toBe('ok');
    }
  });
  afterAll(async () => {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the same CVEs, publication days, CVSS, CWEs, SSVC, sightings, KEV days and EPSS', async () => {
    const fromDir = await loadHistory(dir);
    // The fixture's EPSS file is 7 rows: a full file for this test.
    const fromStore = await loadHistoryFromStore(store.db, { minEpssRows: 1, pageSize: 3 });
    expect([...fromStore.ids].sort()).toEqual([...fromDir.ids].sort());
    expect(fromStore.kev.length).toBeGreaterThan(0);
    expect(fromStore.signals.size).toBeGreaterThan(0);
    expect(fromStore.epss.map((e) => e.day)).toEqual([toDay('2026-01-30')]);
    expect(describeFacts(fromStore)).toEqual(describeFacts(fromDir));
    expect(fromStore.lastDay).toBe(fromDir.lastDay);
  });

  it('reads no partial EPSS day (fewer rows than minEpssRows)', async () => {
    const history = await loadHistoryFromStore(store.db);
    expect(history.epss).toEqual([]);
  });

  it('leaves out a vendor/product pair that only the CVE’s KEV entry names', async () => {
    const history = await loadHistoryFromStore(store.db, { minEpssRows: 1 });
    const fromDir = await loadHistory(dir);
    for (const h of [history, fromDir]) {
      const i = h.indexOf.get('CVE-2021-44228') ?? -1;
      expect(h.facts[i]?.products.map((p) => h.strings[p])).not.toContain('apache:log4j2');
    }
  });
});

/** The synthetic world written into a store the way the feeds write it. */
async function writeSyntheticWorld(store: Store, cves: number): Promise<void> {
  const vulns: Vulnerability[] = [];
  const sightings: ExploitSighting[] = [];
  const kev: KevEntry[] = [];
  addSyntheticWorld(
    {
      addCve: (r) =>
        vulns.push({
          id: r.cve,
          source: 'cve',
          aliases: [],
          details: r.description ?? '',
          published: r.published ?? '',
          cvss: (r.cvss ?? []).map((c) => ({
            version: c.version ?? '',
            vector: c.vector ?? '',
            score: c.score ?? 0,
            source: c.source,
          })),
          cwes: r.cwe ?? [],
          references: [],
          // As the cve feed writes a CPE name's pair: with the version it names.
          affected: (r.affected ?? []).map((a) => ({
            ecosystem: 'CPE',
            name: `${a.vendor}:${a.product}`,
            versions: ['1.0'],
          })),
        }),
      addSignal: (s) =>
        sightings.push({
          cveId: s.cve,
          source: s.source,
          url: `https://poc/${s.cve}/${s.date}`,
          seenAt: s.date,
        }),
      addKev: (k) =>
        kev.push({
          cveId: k.cveID,
          vendor: k.vendorProject,
          product: k.product,
          dateAdded: k.dateAdded,
          ransomware: false,
        }),
    },
    { cves },
  );
  await upsertVulnerabilities(store.db, vulns);
  await insertExploitSightings(store.db, sightings);
  await upsertKevEntries(store.db, kev);
}

describe('the model on a store without a data directory', () => {
  const T = toDay('2024-06-01');
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await makeTempStore());
    await writeSyntheticWorld(store, 1500);
  });
  afterAll(() => cleanup());

  it('a KEV entry, sighting, SSVC decision or EPSS day dated after T changes no feature as of T', async () => {
    const before = await loadHistoryFromStore(store.db, { minEpssRows: 10 });
    const listed = new Set(before.kev.map((k) => before.ids[k.cve]));
    const later = (i: number) => fromDay(T + 1 + (i % 20));
    const unlisted = before.ids.filter((id) => !listed.has(id)).slice(0, 200);
    await upsertKevEntries(
      store.db,
      unlisted.map((cveId, i) => ({
        cveId,
        vendor: 'ivanti',
        product: 'gateway',
        dateAdded: later(i),
        ransomware: false,
      })),
    );
    await insertExploitSightings(
      store.db,
      unlisted.map((cveId, i) => ({
        cveId,
        source: 'metasploit',
        url: `https://msf/${cveId}`,
        seenAt: later(i),
      })),
    );
    await upsertSsvcDecisions(
      store.db,
      unlisted.map((cveId, i) => ({
        cveId,
        decidedAt: `${later(i)}T00:00:00Z`,
        automatable: 'yes',
        source: 'cisa-adp',
      })),
    );
    await insertEpssScores(
      store.db,
      unlisted.map((cveId) => ({ cveId, scoreDate: fromDay(T + 1), score: 0.9, percentile: 0.99 })),
    );
    const after = await loadHistoryFromStore(store.db, { minEpssRows: 10 });
    expect(after.kev.length).toBe(before.kev.length + unlisted.length);
    expect(after.epss).toHaveLength(1);
    const encoders = { vocabulary: ['remote', 'gateway'] };
    for (const id of before.ids)
      expect(featuresAsOf(after, id, T, encoders, true)?.values).toEqual(
        featuresAsOf(before, id, T, encoders, true)?.values,
      );
    // …and they are seen once T moves past them.
    const id = unlisted[0] ?? '';
    expect(featuresAsOf(after, id, T + 30, encoders, true)?.values).not.toEqual(
      featuresAsOf(before, id, T + 30, encoders, true)?.values,
    );
  });

  it('scores as of T from the store, and stores the day after a sync with model.data unset', async () => {
    const history = await loadExploitHistory(store.db, { minEpssRows: 10 });
    const artifact = trainExploitModel(history, {
      asOf: toDay('2024-03-01'),
      horizon: 30,
      epss: false,
      ...SMALL_TRAIN,
    });
    const scores = scoreAsOf(history, artifact, T);
    expect(scores.cves.length).toBeGreaterThan(100);
    await registerExploitModel(store.db, artifact, new Date('2024-03-02T00:00:00Z'), {
      source: 'test',
      promote: true,
    });
    const settings = readConfig('model:\n  retrain: { enabled: false }\n', '/p/patchcast.yaml', {}).model;
    expect(settings.data).toBeUndefined();
    const report = await runModelAfterSync(store, {
      settings,
      now: new Date('2024-06-01T06:00:00Z'),
      actor: 'test',
      retrain: false,
      loadHistory: () => Promise.reject(new Error('no data directory is set')),
    });
    expect(report.scores.stored).toBe(true);
    expect(report.scores.day?.day).toBe('2024-06-01');
    expect((await listScoreDays(store.db, 1))[0]?.scored).toBe(report.scores.day?.scored);
  });

  it('skips (with the reason) when the store holds no CVE and model.data is unset', async () => {
    const empty = await makeTempStore();
    try {
      const settings = readConfig('model: {}\n', '/p/patchcast.yaml', {}).model;
      const report = await runModelAfterSync(empty.store, {
        settings,
        now: new Date(),
        actor: 'test',
        retrain: true,
        loadHistory: () => Promise.reject(new Error('unused')),
      });
      expect(report.scores).toMatchObject({ stored: false, reason: expect.stringMatching(/no CVE records/) });
    } finally {
      await empty.cleanup();
    }
  });
});
