import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findSharedData } from '../../../test/support/shared-data.js';
import { makeTempStore } from '../../../test/support/store.js';
import { debianAdvisoriesSource } from '../../feeds/debian-advisories/index.js';
import type { PlanFinding } from '../../planning/types.js';
import type { Store } from '../../store/index.js';
import { loadAdvisoriesFromDir } from '../reliability/reliability-advisories.js';
import { syncSource } from '../sync/sync-source.js';
import { loadPatchFailureProbabilities, loadStoredPatchFailureProbabilities } from './patch-reliability.js';

const DATA = findSharedData('data/debian_security_advisories.jsonl.gz') ? findSharedData('data') : undefined;
const FIXTURE = fileURLToPath(
  new URL('../../feeds/debian-advisories/__fixtures__/debian_security_advisories.jsonl.gz', import.meta.url),
);

const finding = (assetId: string, over: Partial<PlanFinding>): PlanFinding => ({
  id: `${assetId}-${over.packageName}`,
  assetId,
  packageName: 'exim4-base',
  ecosystem: 'Debian:9',
  installedVersion: '4.89-2+deb9u2',
  targetVersion: '4.89-2+deb9u8',
  sourceName: 'exim4',
  ...over,
});

describe('patch failure probabilities from the reliability model', () => {
  it.skipIf(DATA === undefined)(
    'scores Debian patches whose target names a release; leaves the others out (needs ../shared/data)',
    async () => {
      const scores = loadPatchFailureProbabilities(
        [
          finding('mail', { packageName: 'exim4-base' }),
          finding('mail', { packageName: 'exim4', targetVersion: '4.89-2+deb9u4' }),
          // No +debNuM suffix: the model cannot tell the release.
          finding('mail', { packageName: 'libfoo', sourceName: 'foo', targetVersion: '1.2-3' }),
          finding('app', {
            packageName: 'jinja2',
            ecosystem: 'PyPI',
            sourceName: undefined,
            targetVersion: '2.10',
          }),
        ],
        await loadAdvisoriesFromDir(DATA as string),
        new Date('2026-12-07T00:00:00Z'),
      );
      expect(Object.keys(scores)).toEqual(['mail/debian/exim4']);
      expect(scores['mail/debian/exim4']).toBeGreaterThan(0);
      expect(scores['mail/debian/exim4']).toBeLessThan(1);
    },
  );
});

describe('patch failure probabilities from the store', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await makeTempStore());
  });
  afterEach(() => cleanup());

  const findings = [
    finding('web', {
      packageName: 'libssl1.1',
      ecosystem: 'Debian:11',
      installedVersion: '1.1.1n-0+deb11u3',
      targetVersion: '1.1.1n-0+deb11u4',
      sourceName: 'openssl',
    }),
  ];
  const now = new Date('2026-12-07T00:00:00Z');

  it('gives nothing while the store holds no advisories (the planner says it used its default rate)', async () => {
    expect(await loadStoredPatchFailureProbabilities(store.db, findings, now)).toEqual({});
  });

  it('scores from the synced advisories, as from the same file read directly', async () => {
    await syncSource(store, debianAdvisoriesSource, { from: FIXTURE });
    const stored = await loadStoredPatchFailureProbabilities(store.db, findings, now);
    expect(Object.keys(stored)).toEqual(['web/debian/openssl']);
    const direct = loadPatchFailureProbabilities(
      findings,
      await loadAdvisoriesFromDir(dirname(FIXTURE)),
      now,
    );
    expect(stored).toEqual(direct);
  });
});
