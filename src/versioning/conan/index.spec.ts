import { describe, expect, it } from 'vitest';
import { describeVersionScheme } from '../contract.js';
import { InvalidVersionError } from '../errors.js';
import { conanScheme as s } from './index.js';

// Cases from Conan's own test_version_comparison.py (test/unittests/model/version).
describeVersionScheme(s, {
  ordered: [
    '0.0.1-3',
    '0.0.1-3-1',
    '0.0.1',
    '1.0.0-',
    '1.0.0-alpha1',
    '1.0.0',
    '1.0.0+b1',
    '1.0.0+b2',
    '1.1-pre1',
    '1.1-pre2',
    '1.1',
    '1.1.a',
    '1.2-rc1',
    '1.2.1-dev',
    '1.2.1',
    '1.22',
    '2',
    'cci.20230101',
    'cci.20240101',
  ],
  equal: [
    ['1', '1.0.0'],
    ['1.0-pre1.0', '1.0.0-pre1'],
    ['1+b1', '1.0.0+b1'],
    ['1-pre1+b1', '1.0.0-pre1+b1'],
  ],
  invalid: ['', '-1.0', '1.1*', '1.0 beta', `1.${'0'.repeat(100)}`],
});

describe('conan', () => {
  it('compares an integer item with a text item as strings, as Conan falls back to', () => {
    expect(s.compare('1.1', '1.a')).toBe(-1);
    expect(s.compare('1.1', '1.1a')).toBe(-1);
    expect(s.compare('a.b.c', 'b.c')).toBe(-1);
    expect(s.compare('1.1.1.abc', '1.1.1.abz')).toBe(-1);
  });

  it('puts a pre-release below any build of the same release, whatever the build says', () => {
    expect(s.compare('1.0.0-+2', '1.0.0+1')).toBe(-1);
    expect(s.compare('1.1-pre.1', '1.1-pre.1+b.1')).toBe(-1);
    expect(s.compare('1.1-alpha.3', '1.1-alpha.22')).toBe(-1);
    expect(s.compare('1.1-alpha.1', '1.1.0')).toBe(-1);
  });

  it('compares numbers of any length exactly', () => {
    expect(s.compare('cci.20230101', 'cci.99999999999999999999')).toBe(-1);
    expect(s.compare('1.99999999999999999999', '1.100000000000000000000')).toBe(-1);
  });

  it('names the scheme and the rule when a version is not a Conan version', () => {
    expect(() => s.compare('1.1*', '1.2')).toThrow(InvalidVersionError);
    expect(() => s.compare('1.1*', '1.2')).toThrow(/invalid conan version "1\.1\*".*cci\.20230101/);
  });
});
