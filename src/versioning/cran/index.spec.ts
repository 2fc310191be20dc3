import { describe, expect, it } from 'vitest';
import { describeCompareOracles, describeVersionScheme } from '../contract.js';
import { InvalidVersionError } from '../errors.js';
import { cranScheme } from './index.js';

describe('cran scheme', () => {
  it('reads "." and "-" alike and compares components as numbers', () => {
    expect(cranScheme.compare('1.2-3', '1.2.3')).toBe(0);
    expect(cranScheme.compare('0.01.0', '0.1-0')).toBe(0);
    expect(cranScheme.compare('1.10-1', '1.9-2')).toBe(1);
  });

  it('ranks the longer version higher when one is a prefix of the other', () => {
    expect(cranScheme.compare('1.8', '1.8.0')).toBe(-1);
    expect(cranScheme.compare('1.0-0', '1.0')).toBe(1);
  });

  it('normalizes to dotted components without leading zeros', () => {
    expect(cranScheme.normalize?.('0.01-0')).toBe('0.1.0');
  });

  it('compares components beyond 2^53 exactly', () => {
    expect(cranScheme.compare('1.90071992547409931', '1.90071992547409930')).toBe(1);
  });

  it.each(['', '1.', '.1', '1..2', '1.0a', 'v1.0', '1.0 ', '1_0'])(
    'rejects %j with a typed error',
    (version) => {
      expect(cranScheme.isValid(version)).toBe(false);
      expect(() => cranScheme.compare(version, '1.0')).toThrow(InvalidVersionError);
    },
  );
});

describeCompareOracles(cranScheme, ['cran.json', 'cran.generated.json']);

describeVersionScheme(cranScheme, {
  ordered: ['0.1', '0.1-1', '0.9.13', '0.10', '1.0', '1.0.0', '1.0-1', '1.10-0'],
  equal: [
    ['1.2-3', '1.2.3'],
    ['0.01.0', '0.1-0'],
  ],
  invalid: ['', '1.', '1..2', '1.0a', 'v1'],
});
