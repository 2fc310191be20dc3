import { describe, expect, it } from 'vitest';
import { describeCompareOracles, describeVersionScheme } from '../contract.js';
import { InvalidVersionError } from '../errors.js';
import { hackageScheme } from './index.js';

describe('hackage scheme', () => {
  it('compares dot-separated numbers, a proper prefix being smaller', () => {
    expect(hackageScheme.compare('1.0', '1')).toBe(1);
    expect(hackageScheme.compare('1.0.0.0', '1.0.0')).toBe(1);
    expect(hackageScheme.compare('0.11.3.0', '1.0')).toBe(-1);
    expect(hackageScheme.compare('2.10', '2.9.9')).toBe(1);
  });

  it('reads leading zeros as Data.Version does (numerically)', () => {
    expect(hackageScheme.compare('1.01', '1.1')).toBe(0);
    expect(hackageScheme.normalize?.('1.01.0')).toBe('1.1.0');
  });

  it.each(['', '1.', '.1', '1..2', '1.0-tag', 'v1', '1.0a', '-1'])(
    'rejects %j with a typed error',
    (version) => {
      expect(hackageScheme.isValid(version)).toBe(false);
      expect(() => hackageScheme.compare('1.0', version)).toThrow(InvalidVersionError);
    },
  );
});

describeCompareOracles(hackageScheme, ['hackage.json']);

describeVersionScheme(hackageScheme, {
  ordered: ['0', '0.1', '0.11.3.0', '1', '1.0', '1.0.0', '1.0.1', '2.10'],
  equal: [['1.01', '1.1']],
  invalid: ['', '1.', '1..2', '1.0-beta', 'v1'],
});
