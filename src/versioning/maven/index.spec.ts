import { describe, expect, it } from 'vitest';
import { describeVersionScheme } from '../contract.js';
import { InvalidRangeError, InvalidVersionError } from '../errors.js';
import { mavenScheme as s } from './index.js';

describeVersionScheme(s, {
  ordered: [
    '1-alpha-1',
    '1-beta',
    '1-milestone-2',
    '1-rc1',
    '1-SNAPSHOT',
    '1',
    '1-sp',
    '1-abc',
    '1-1',
    '1.0.1',
    '1.1',
  ],
  equal: [
    ['1', '1.0.0'],
    ['1-ga', '1'],
    ['1.0-CR1', '1.0-rc1'],
    ['1a1', '1-alpha-1'],
  ],
  invalid: ['', '  ', '1'.repeat(300)],
  ranges: [
    ['1.5', '[1.0,2.0)', true],
    ['2.0', '[1.0,2.0)', false],
    ['0.9', '(,1.0],[1.2,)', true],
    ['1.1', '(,1.0],[1.2,)', false],
    ['0.1', '1.0', true],
  ],
});

describe('maven ComparableVersion', () => {
  it('follows current Maven for dotted qualifiers and release qualifiers', () => {
    expect(s.compare('2-x', '2.0.x')).toBe(0);
    expect(s.compare('1.0.0.RC1', '1.0.0-RC2')).toBe(-1);
    expect(s.compare('1-final', '1-sp')).toBe(-1);
  });

  it('prints the canonical form', () => {
    expect(s.normalize('1.0-RC1')).toBe('1-rc1');
    expect(s.normalize('1.0.0-SNAPSHOT')).toBe('1-snapshot');
  });

  it('reports bad input with typed errors', () => {
    expect(() => s.compare('', '1')).toThrow(InvalidVersionError);
    expect(() => s.matches('1.0', '[1.0')).toThrow(InvalidRangeError);
    expect(() => s.matches('1.0', '[2.0,1.0]')).toThrow(InvalidRangeError);
    expect(() => s.matches('1.0', '(1.0)')).toThrow(InvalidRangeError);
  });
});
