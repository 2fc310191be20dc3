import { describe, expect, it } from 'vitest';
import { toDay } from '../history/index.js';
import type { Advisory } from './advisories.js';
import { buildFeatureTable, FEATURE_NAMES, type FeatureName, getFeatures, toCandidate } from './features.js';
import { getHistoryStateAsOf, getPackageStem } from './history-state.js';

/** A hand-made advisory (the fields the features read). */
function advisory(
  id: string,
  date: string,
  pkg: string,
  version: string,
  extra: Partial<Advisory> = {},
): Advisory {
  return {
    id,
    family: 'DSA',
    number: Number(id.split('-')[1]),
    revision: Number(id.split('-')[2]),
    day: toDay(date),
    package: pkg,
    title: 'security update',
    cves: [`CVE-2020-${id.split('-')[1]}`],
    fixed: [{ release: 'buster', package: pkg, version }],
    isRegressionUpdate: false,
    followedByRegression: false,
    regressionDay: Number.NaN,
    ...extra,
  };
}

const ADVISORIES = [
  advisory('DSA-1-1', '2020-01-01', 'sox', '14.4.2-1+deb10u1', {
    followedByRegression: true,
    regressionDay: toDay('2020-03-01'),
  }),
  advisory('DSA-1-2', '2020-03-01', 'sox', '14.4.2-1+deb10u2', { revision: 2, isRegressionUpdate: true }),
  advisory('DSA-2-1', '2020-02-01', 'curl', '7.64.0-4+deb10u1'),
  advisory('DSA-3-1', '2020-06-01', 'sox', '14.4.3-0+deb10u1', { cves: ['CVE-2020-1', 'CVE-2019-9'] }),
];

const value = (row: number[], name: FeatureName) => row[FEATURE_NAMES.indexOf(name)]!;

describe('reliability features', () => {
  const table = buildFeatureTable(ADVISORIES);
  const rowOf = (id: string) => {
    const i = table.advisories.findIndex((a) => a.id === id);
    return Array.from(table.features.subarray(i * FEATURE_NAMES.length, (i + 1) * FEATURE_NAMES.length));
  };

  it('has one value per feature name', () => {
    expect(table.features.length).toBe(ADVISORIES.length * FEATURE_NAMES.length);
  });

  it('counts a regression only from the day its regression update was published', () => {
    // On 2020-03-01 the regression update appears the same day: not yet known for same-day rows.
    expect(value(rowOf('DSA-1-2'), 'pkg_prior_regressions')).toBe(0);
    expect(value(rowOf('DSA-3-1'), 'pkg_prior_regressions')).toBe(1);
    expect(value(rowOf('DSA-3-1'), 'pkg_prior_advisories')).toBe(2);
    expect(value(rowOf('DSA-3-1'), 'pkg_days_since_previous')).toBe(
      toDay('2020-06-01') - toDay('2020-03-01'),
    );
  });

  it('sees a new upstream version against the previous fix in the same release', () => {
    expect(value(rowOf('DSA-1-2'), 'upstream_changed')).toBe(0);
    expect(value(rowOf('DSA-3-1'), 'upstream_changed')).toBe(1);
    expect(value(rowOf('DSA-3-1'), 'rev_zero')).toBe(1);
    expect(Number.isNaN(value(rowOf('DSA-1-1'), 'upstream_changed'))).toBe(true);
  });

  it('flags CVEs whose earlier fix needed a regression update', () => {
    expect(value(rowOf('DSA-3-1'), 'cve_regressed_before')).toBe(1);
    expect(value(rowOf('DSA-3-1'), 'cve_shipped_before_share')).toBe(0.5);
  });

  it("never reads an advisory's own label, nor anything dated on or after its day", () => {
    const target = ADVISORIES[0]!;
    const flipped = ADVISORIES.map((a) =>
      a.id === target.id ? { ...a, followedByRegression: false, regressionDay: Number.NaN } : a,
    );
    expect(Array.from(buildFeatureTable(flipped).features.subarray(0, FEATURE_NAMES.length))).toEqual(
      rowOf(target.id),
    );
    const later = ADVISORIES.filter((a) => a.day < toDay('2020-06-01'));
    const state = getHistoryStateAsOf(later, toDay('2020-06-01'));
    expect(getFeatures(state, toCandidate(ADVISORIES[3]!))).toEqual(rowOf('DSA-3-1'));
  });

  it('groups versioned source packages into one family', () => {
    expect(getPackageStem('mariadb-10.3')).toBe('mariadb');
    expect(getPackageStem('python2.7')).toBe('python');
    expect(getPackageStem('linux-4.19')).toBe('linux');
    expect(getPackageStem('openssl')).toBe('openssl');
  });
});
