import { describe, expect, it } from 'vitest';
import { getScoreChanges, type StoredScore, summarizeScores } from './score-days.js';

const stored = (probability: number | null, percentile: number | null, modelVersion = 'm1'): StoredScore => ({
  probability,
  percentile,
  modelVersion,
});

describe('daily score rows', () => {
  const previous = new Map<string, StoredScore>([
    ['CVE-1', stored(0.2, 99)],
    ['CVE-2', stored(0.0001, 20)],
    ['CVE-3', stored(0.05, 89)],
    ['CVE-4', stored(0.3, 95)],
    ['CVE-5', stored(null, null)],
  ]);
  const today = {
    cves: ['CVE-1', 'CVE-2', 'CVE-3', 'CVE-6', 'CVE-5'],
    probabilities: [0.21, 0.0004, 0.05, 0.01, 0.02],
    percentiles: [99, 25, 91, 60, 70],
  };

  it('stores new CVEs, returning ones, moves past the tolerance, top-decile changes and exits only', () => {
    const rows = getScoreChanges(previous, today, 'm1', { absolute: 0.0005, relative: 0.1 });
    expect(rows).toEqual([
      // CVE-1 moved 5 % (< 10 %) and CVE-2 moved 0.0003 (< 0.0005): not stored.
      { cve: 'CVE-3', probability: 0.05, percentile: 91 },
      { cve: 'CVE-6', probability: 0.01, percentile: 60 },
      { cve: 'CVE-5', probability: 0.02, percentile: 70 },
      { cve: 'CVE-4', probability: null, percentile: null },
    ]);
  });

  it('stores every CVE when the model changed (a keyframe)', () => {
    expect(getScoreChanges(previous, today, 'm2')).toHaveLength(6);
  });

  it("summarises the distribution and the previous top decile's churn", () => {
    const summary = summarizeScores(today, new Set(['CVE-1', 'CVE-4']));
    expect(summary.scored).toBe(5);
    expect(summary.expectedKev).toBeCloseTo(0.2904);
    expect(summary.shareAbove).toBeCloseTo(0.2);
    expect(summary.topDecileChurn).toBe(0.5);
    expect(summary.topDecileThreshold).toBe(0.05);
    expect(summarizeScores(today, null).topDecileChurn).toBeNull();
  });
});
