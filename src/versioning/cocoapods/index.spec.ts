import { describe, expect, it } from 'vitest';
import { describeVersionScheme } from '../contract.js';
import { InvalidVersionError } from '../errors.js';
import { cocoapodsScheme as s } from './index.js';

// Orders from Pod::Version's documentation and cocoapods-core's spec/version_spec.rb.
describeVersionScheme(s, {
  ordered: [
    '0.9',
    '1.0.a.2',
    '1.0.a10',
    '1.0.b1',
    '1.0.0-alpha1',
    '1.0.0-beta',
    '1.0.0-beta.2',
    '1.0.0-rc.1',
    '1.0',
    '1.0.1',
    '1.2',
    '1.10',
    '5.6.4',
    '10.0.0',
  ],
  equal: [
    ['1.0', '1.0.0'],
    ['1.0.0-alpha1', '1.0.0.alpha.1'],
    ['1.0.a10', '1.0.a.10'],
    ['', '0'],
  ],
  invalid: ['junk', 'v1.0', '1..2', '1.0 2', '1-beta', '1.0+build'],
});

describe('cocoapods', () => {
  it('sorts a pre-release part before the release and numbers as numbers', () => {
    expect(s.compare('3.10', '3.2')).toBe(1);
    expect(s.compare('1.0.a10', '1.0.a9')).toBe(1);
    expect(s.compare('2.0.0-rc1', '2.0.0')).toBe(-1);
    expect(s.compare('99999999999999999999.1', '99999999999999999999.0')).toBe(1);
  });

  it('tolerates surrounding blanks as Pod::Version strips them', () => {
    expect(s.compare(' 1.0 ', '1.0')).toBe(0);
  });

  it('names the scheme when a version is malformed', () => {
    expect(() => s.compare('1-beta', '1.0')).toThrow(InvalidVersionError);
    expect(() => s.compare('1-beta', '1.0')).toThrow(/invalid cocoapods version "1-beta"/);
  });
});
