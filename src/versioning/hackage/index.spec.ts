import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeVersionScheme } from '../contract.js';
import { InvalidVersionError } from '../errors.js';
import { hackageScheme } from './index.js';

const ORACLES = fileURLToPath(new URL('../../../../shared/testdata/versions/', import.meta.url));
const HAVE_ORACLES = existsSync(ORACLES);

interface CompareCase {
  a: string;
  b: string;
  cmp: -1 | 0 | 1;
}

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

describe.skipIf(!HAVE_ORACLES)(
  HAVE_ORACLES
    ? 'hackage scheme against the shared oracles'
    : `hackage oracles skipped: ${ORACLES} not found`,
  () => {
    it('passes every case of hackage.json', () => {
      const cases = JSON.parse(readFileSync(`${ORACLES}hackage.json`, 'utf8')).cases as CompareCase[];
      expect(cases.filter((c) => hackageScheme.compare(c.a, c.b) !== c.cmp)).toEqual([]);
      expect(cases.length).toBeGreaterThan(0);
    });
  },
);

describeVersionScheme(hackageScheme, {
  ordered: ['0', '0.1', '0.11.3.0', '1', '1.0', '1.0.0', '1.0.1', '2.10'],
  equal: [['1.01', '1.1']],
  invalid: ['', '1.', '1..2', '1.0-beta', 'v1'],
});
