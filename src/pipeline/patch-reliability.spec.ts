import { describe, expect, it } from 'vitest';
import { findSharedData } from '../../test/support/shared-data.js';
import type { PlanFinding } from '../planning/types.js';
import { hasReliabilityData, loadPatchFailureProbabilities } from './patch-reliability.js';

const DATA = findSharedData('data') ?? '';
const present = DATA !== '' && hasReliabilityData(DATA);

describe('patch failure probabilities from the reliability model', () => {
  it.skipIf(!present)(
    'scores Debian patches whose target names a release; leaves the others out (needs ../shared/data)',
    () => {
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
        DATA,
        new Date('2026-12-07T00:00:00Z'),
      );
      expect(Object.keys(scores)).toEqual(['mail/debian/exim4']);
      expect(scores['mail/debian/exim4']).toBeGreaterThan(0);
      expect(scores['mail/debian/exim4']).toBeLessThan(1);
    },
  );
});
