import { describe, expect, it } from 'vitest';
import { describeVersionScheme } from '../contract.js';
import { InvalidRangeError, InvalidVersionError } from '../errors.js';
import { rubygemsScheme as s } from './index.js';

describeVersionScheme(s, {
  ordered: ['0.9', '1.0.a', '1.0.a.10', '1.0.b1', '1.0.rc1', '1.0', '1.0.1', '1.10', '2.0.0-1', '2'],
  equal: [
    ['1.0', '1.0.0'],
    ['1.2.b1', '1.2.b.1'],
    ['1.0.0-rc1', '1.0.0.pre.rc1'],
  ],
  invalid: ['junk', '1..2', '1.0 2', 'v1.0'],
  ranges: [
    ['1.4.5', '~> 1.4.4', true],
    ['1.5', '~> 1.4.4', false],
    ['1.5', '>= 1.0, < 2', true],
    ['2.0.a', '~> 2.0', false],
  ],
});

describe('rubygems', () => {
  it('orders pre-release letters before numbers and ignores trailing zeros', () => {
    expect(s.compare('1.0.a10', '1.0.a.9')).toBe(1);
    expect(s.compare('5.x', '5.0.0.rc2')).toBe(1);
    expect(s.compare('999999999999999999999999999991', '999999999999999999999999999999')).toBe(-1);
  });

  it('reads a blank version as 0 and rejects malformed requirements', () => {
    expect(s.normalize('  ')).toBe('0');
    expect(s.matches('', '< 0.1')).toBe(true);
    expect(() => s.matches('1.0', '>> 1')).toThrow(InvalidRangeError);
    expect(() => s.compare('1beta', '1')).toThrow(InvalidVersionError);
  });
});
