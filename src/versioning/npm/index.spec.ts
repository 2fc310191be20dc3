import { describe, expect, it } from 'vitest';
import { describeVersionScheme } from '../contract.js';
import { InvalidRangeError, InvalidVersionError } from '../errors.js';
import { compareNpm, npmScheme, outside, satisfiesNpm } from './index.js';

describeVersionScheme(npmScheme, {
  ordered: ['0.0.0-foo', '0.0.0', '0.10.0', '0.99.0', '1.2.3-4', '1.2.3-a', '1.2.3-a.b', '1.2.3', '2.0.0'],
  equal: [
    ['1.2.3', 'v1.2.3'],
    ['1.2.3', '=1.2.3'],
    ['1.2.3-beta+build', '1.2.3-beta+other'],
  ],
  invalid: ['', 'hello, world', '1.2', '1.2.3.4', '90071992547409910.0.0'],
  ranges: [
    ['1.2.3', '^1.2.0', true],
    ['2.0.0', '^1.2.0', false],
    ['1.2.3-pre', '^1.2.3', false],
    ['1.5.0', '>=1.0.0 <2.0.0 || >=3', true],
  ],
});

describe('npm (node-semver)', () => {
  it('reads loosely by default and strictly on request', () => {
    expect(compareNpm(' v 1.2.3', '1.2.3')).toBe(0);
    expect(() => compareNpm('v 1.2.3', '1.2.3', { loose: false })).toThrow(InvalidVersionError);
  });

  it('admits pre-releases only with includePrerelease, as node-semver does', () => {
    expect(satisfiesNpm('1.0.0-pre', '1 - 2')).toBe(false);
    expect(satisfiesNpm('1.0.0-pre', '1 - 2', { includePrerelease: true })).toBe(true);
  });

  it('answers false for a non-version and throws for a broken range', () => {
    expect(satisfiesNpm('not a version', '*')).toBe(false);
    expect(() => satisfiesNpm('1.0.0', '>=x.y')).toThrow(InvalidRangeError);
  });

  it('tells whether a version is outside a range (gtr / ltr)', () => {
    expect(outside('1.3.0', '~1.2.2', 'gtr')).toBe(true);
    expect(outside('1.2.5', '~1.2.2', 'gtr')).toBe(false);
    expect(outside('0.1.0', '^1.0.0', 'ltr')).toBe(true);
  });
});
