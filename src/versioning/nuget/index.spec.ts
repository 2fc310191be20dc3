import { describe, expect, it } from 'vitest';
import { describeVersionScheme } from '../contract.js';
import { InvalidRangeError, InvalidVersionError } from '../errors.js';
import { nugetScheme as s } from './index.js';

describeVersionScheme(s, {
  ordered: [
    '0.0.1',
    '1.0.0-1',
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0-BETA',
    '1.0.0',
    '1.0.0.1',
    '1.0.1',
    '1.1',
  ],
  equal: [
    ['1.0', '1.0.0.0'],
    ['1.0.0-Beta+a', '1.0.0-beta+b'],
    ['1.01', '1.1.0'],
  ],
  invalid: ['', 'v1.0.0', '1.2.3.4.5', '1.0-', '1.0-01', '1.0.0-a^b', '1.0+'],
  ranges: [
    ['1.5.0', '[1.0,2.0)', true],
    ['2.0.0', '[1.0,2.0)', false],
    ['3.0.0', '1.0', true],
    ['1.2.0', '1.*', true],
    ['0.9.0', '1.*', false],
  ],
});

describe('nuget', () => {
  it('normalises like ToNormalizedString', () => {
    expect(s.normalize('1.0.0009.01-1.1+A')).toBe('1.0.9.1-1.1');
    expect(s.normalize('  1.022-Beta ')).toBe('1.22.0-Beta');
  });

  it('rejects parts beyond Int32 but still orders them', () => {
    expect(s.isValid('2147483648.0.0')).toBe(false);
    expect(() => s.normalize('2147483648.0.0')).toThrow(InvalidVersionError);
    expect(s.compare('2147483648.0.0', '2147483647.0.0')).toBe(1);
  });

  it('rejects malformed ranges', () => {
    expect(() => s.matches('1.0.0', '[1.0,2.0,3.0]')).toThrow(InvalidRangeError);
    expect(() => s.matches('1.0.0', '(,)')).toThrow(InvalidRangeError);
  });
});
