import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeWithShared, hasSharedData, SHARED_DIR } from '../../test/support/shared-data.js';
import { getFeatureNames, getLabels, getPopulation, makeAsOfContext } from './features/index.js';
import { type History, loadHistory, toDay } from './history/index.js';

const DATA = join(SHARED_DIR, 'data');
const present = hasSharedData('data/cves.jsonl.gz');

/** A seeded 5 % sample of CVE ids (a stable hash, so KEV and non-KEV CVEs are sampled alike). */
function inSample(cve: string): boolean {
  let h = 2166136261;
  for (let i = 0; i < cve.length; i++) h = Math.imul(h ^ cve.charCodeAt(i), 16777619);
  return (h >>> 0) % 20 === 0;
}

describeWithShared(
  present,
  'data/cves.jsonl.gz',
  'history and features on a 5 % sample of ../shared/data',
  () => {
    let history: History;
    beforeAll(async () => {
      history = await loadHistory(DATA, { keep: inSample });
    }, 120_000);

    it('loads dated facts for the sampled CVEs only', () => {
      expect(history.ids.length).toBeGreaterThan(10_000);
      expect(history.ids.every(inSample)).toBe(true);
      expect(history.kev.length).toBeGreaterThan(30);
      expect(history.epss[0]?.day).toBe(toDay('2026-01-30'));
    });

    it('keeps KEV CVEs out of the population once listed, and labels the next 30 days', () => {
      const day = toDay('2024-01-01');
      const context = makeAsOfContext(history, day);
      const population = new Set(getPopulation(history, context));
      const labels = getLabels(history, day, 30);
      for (const listing of history.kev) {
        if (listing.addedDay <= day && !(listing.removedDay <= day))
          expect(population.has(listing.cve)).toBe(false);
        if (listing.addedDay > day && listing.addedDay <= day + 30) expect(labels[listing.cve]).toBe(1);
      }
    });

    it('names every feature once', () => {
      const names = getFeatureNames({ vocabulary: ['ivanti'] }, true);
      expect(new Set(names).size).toBe(names.length);
    });
  },
);
