import { describe, expect, it } from 'vitest';
import { describeVersionScheme } from '../contract.js';
import { semverScheme } from './index.js';

describeVersionScheme(semverScheme, {
  ordered: [
    '0.0.0-foo',
    '0.0.0',
    '0.9.9',
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0-beta.11',
    '1.0.0',
    '1.0.0.1',
    '1.2.3',
    '999999999999999999999999999991',
  ],
  equal: [
    ['1.2.3', 'v1.2.3'],
    ['1.2.3+build', '1.2.3+other'],
    ['1.2', '1.2.0'],
    ['01.2.3', '1.2.3'],
  ],
  invalid: ['', 'bad', '1.2.3-', '1..2', 'v', '1.2.3+', '-1.2.3', '1.2.3 '],
});

describe('semver (OSV SEMVER)', () => {
  it('orders numbers of any length exactly', () => {
    expect(semverScheme.compare('999999999999999999999999999991', '999999999999999999999999999999')).toBe(-1);
    expect(semverScheme.compare('18446744073709551616.0.0', '18446744073709551615.0.0')).toBe(1);
  });

  it('reads a pre-release glued to the numbers, as OSV does', () => {
    expect(semverScheme.compare('2.0.0rc2', '2.0.0')).toBe(-1);
    expect(semverScheme.compare('2.0.0rc2', '2.0.0-rc1')).toBe(1);
  });

  it('compares pre-release identifiers per SemVer §11', () => {
    expect(semverScheme.compare('1.2.3-r2', '1.2.3-r100')).toBe(1);
    expect(semverScheme.compare('1.2.3-a.b.c.10.d.5', '1.2.3-a.b.c.5.d.100')).toBe(1);
    expect(semverScheme.compare('1.0.0-1', '1.0.0-alpha')).toBe(-1);
  });

  it('normalizes to the canonical text', () => {
    expect(semverScheme.normalize?.('v01.002.3-rc.01+b')).toBe('1.2.3-rc.1+b');
  });
});
