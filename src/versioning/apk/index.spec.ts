import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeWithShared, hasSharedData, SHARED_DIR } from '../../../test/support/shared-data.js';
import { describeVersionScheme } from '../contract.js';
import { InvalidRangeError, InvalidVersionError } from '../errors.js';
import { apkScheme, fuzzyMatch } from './index.js';

const ORACLES = join(SHARED_DIR, 'testdata/versions/');
const HAVE_ORACLES = hasSharedData('testdata/versions');
const { compare, isValid } = apkScheme;

describe('apk scheme: apk-tools 3 order for valid versions', () => {
  it('orders numbers, letter, suffixes and revision', () => {
    expect(compare('1.2.10', '1.2.9')).toBe(1);
    expect(compare('1.2a', '1.2')).toBe(1);
    expect(compare('1.2_rc1', '1.2')).toBe(-1);
    expect(compare('1.2_p1', '1.2')).toBe(1);
    expect(compare('1.2-r10', '1.2-r9')).toBe(1);
    expect(compare('1.2_alpha_pre2', '1.2_alpha')).toBe(-1);
    expect(compare('1.0~1234-r1', '1.0~1234-r0')).toBe(1);
  });

  it('compares a dotted component with a leading zero as a string', () => {
    expect(compare('1.010', '1.09')).toBe(-1);
    expect(compare('8.2.0', '8.2.001')).toBe(-1);
    expect(compare('006', '1.0.0')).toBe(1);
  });

  it('compares numbers of any length exactly', () => {
    expect(compare('1.0_pre20191002222144', '1.0_pre20210530193627')).toBe(-1);
    expect(compare('1.99999999999999999999', '1.99999999999999999998')).toBe(1);
  });

  it('validates as apk-tools 3 does', () => {
    for (const v of ['0.1_git20240101_pre1', '1.0_pre2~1234abcd-r3', '6.0.2_p1-r0'])
      expect(isValid(v), v).toBe(true);
    for (const v of ['0.1a1', '6.0.2p1-r0', '0..8', '1-r', '0.1-r2.1', '', 'a', '.1'])
      expect(isValid(v), v).toBe(false);
  });
});

describe('apk scheme: apk-tools 2 reading of versions apk-tools 3 calls invalid', () => {
  it('orders openssh-style versions (a number after the letter) by that number, then the revision', () => {
    // OSV's Alpine data was ordered by apk-tools 2; apk-tools 3 would tie all of these.
    expect(compare('6.0.2p1-r0', '6.0.2p1-r1')).toBe(-1);
    expect(compare('6.0.2p1-r1', '6.0.2p1-r0')).toBe(1);
    expect(compare('6.0.2p1-r9', '6.0.2p1-r10')).toBe(-1);
    expect(compare('5.7.3p1-r1', '5.7.3p2-r0')).toBe(-1);
    expect(compare('6.6.2p1', '6.6.2p2')).toBe(-1);
    expect(compare('6.6.2p1', '6.6.2_p1')).toBe(1);
    expect(compare('1.8.28-r1', '1.8.28p1-r1')).toBe(-1);
    expect(compare('6.0.2p1-r3', '6.0.2p1-r3')).toBe(0);
  });

  it('does not take an installed openssh r0 for fixed by an advisory fixed in r1', () => {
    expect(fuzzyMatch('6.0.2p1-r0', '<', '6.0.2p1-r1')).toBe(true);
    expect(fuzzyMatch('6.0.2p1-r0', '>=', '6.0.2p1-r1')).toBe(false);
  });

  it('reads on past empty components, which sort below anything else at their place', () => {
    expect(compare('0..8', '0...8')).toBe(1);
    expect(compare('0...1...0', '0...1...1')).toBe(-1);
    expect(compare('0.8.21.r2', '0.8.21.r1')).toBe(1);
    expect(compare('0.r1', '0r2')).toBe(-1);
    expect(compare('1.', '1')).toBe(-1);
  });

  it('reads an empty revision number as 0, but not a word after -r', () => {
    expect(compare('1-r', '1-r0')).toBe(0);
    expect(compare('1-r2', '1-r-1')).toBe(1);
    expect(compare('1', '1-ruff')).toBe(1);
    expect(compare('1.0-rc1', '1.0')).toBe(-1);
  });

  it('sorts a version that turns invalid below one that ends or goes on there, and ties the rest', () => {
    expect(compare('1-r-0', '1-r0')).toBe(-1);
    expect(compare('1.2.0A', '1.2.0d')).toBe(-1);
    expect(compare('1.0', '1.0bc')).toBe(-1);
    expect(compare('23_foo', '4_beta')).toBe(1);
    expect(compare('1-r0-1', '1-r-2')).toBe(0);
    expect(compare('1-ruff2', '1--ruff1')).toBe(0);
  });

  it('sorts strings without a leading number below every version, by code unit among themselves', () => {
    const sorted = ['', '-r1', '.1', '.2', '_pre1', 'a', 'b', 'c', 'v1.0', '0', '0.1_alpha'];
    for (let i = 0; i + 1 < sorted.length; i++)
      expect(compare(sorted[i] as string, sorted[i + 1] as string)).toBe(-1);
    expect(compare('c', 'c')).toBe(0);
  });

  it('refuses what is not a string with a typed error', () => {
    expect(() => compare(undefined as unknown as string, '1')).toThrow(InvalidVersionError);
    expect(() => compare('1', 42 as unknown as string)).toThrow(InvalidVersionError);
  });
});

describe('apk scheme: total order over every string (fast-check)', () => {
  const version = fc
    .array(
      fc.constantFrom('0', '1', '2', '9', '.', '_', '-', 'r', 'p', 'a', 'z', 'A', '~', 'alpha', 'rc', '-r1'),
      {
        maxLength: 10,
      },
    )
    .map((parts) => parts.join(''));

  it('is antisymmetric and reflexive', () => {
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(compare(b, a)).toBe(-compare(a, b) || 0);
        expect(compare(a, a)).toBe(0);
      }),
      { numRuns: 5000 },
    );
  });

  it('is transitive, for ties too', () => {
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        const ab = compare(a, b);
        const bc = compare(b, c);
        if (ab <= 0 && bc <= 0) expect(compare(a, c)).toBe(Math.min(ab + bc, 0) < 0 ? -1 : 0);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('fuzzyMatch', () => {
  it('matches a prefix token-wise with ~', () => {
    expect(fuzzyMatch('3.6.9', '~', '3.6')).toBe(true);
    expect(fuzzyMatch('3.6.9_post1', '~', '3.6')).toBe(true);
    expect(fuzzyMatch('3.60', '~', '3.6')).toBe(false);
    expect(fuzzyMatch('3.7', '~', '3.6')).toBe(false);
  });

  it('combines ~ with < and >, and negates with ! (apk conflict form)', () => {
    expect(fuzzyMatch('3.5', '<~', '3.6')).toBe(true);
    expect(fuzzyMatch('3.6.2', '<~', '3.6')).toBe(true);
    expect(fuzzyMatch('3.7', '<~', '3.6')).toBe(false);
    expect(fuzzyMatch('3.8.0', '!~', '3.8.1')).toBe(true);
    expect(fuzzyMatch('3.8.1', '!~', '3.8')).toBe(false);
  });

  it('supports the plain operators', () => {
    expect(fuzzyMatch('1.2-r1', '>=', '1.2')).toBe(true);
    expect(fuzzyMatch('1.2', '=', '1.2-r0')).toBe(false);
  });

  it('rejects unknown operators with a typed error', () => {
    expect(() => fuzzyMatch('1', '=>?', '1')).toThrow(InvalidRangeError);
    expect(() => fuzzyMatch('1', '', '1')).toThrow(InvalidRangeError);
  });
});

describeWithShared(HAVE_ORACLES, 'testdata/versions', 'apk scheme against the shared oracles', () => {
  it.each(['alpine.json', 'alpine.generated.json'])('agrees with every case of %s', (file) => {
    const cases = JSON.parse(readFileSync(`${ORACLES}${file}`, 'utf8')).cases as {
      a: string;
      b: string;
      cmp: number;
    }[];
    expect(cases.filter((c) => compare(c.a, c.b) !== c.cmp)).toEqual([]);
  });
});

describeVersionScheme(apkScheme, {
  ordered: ['1.0_alpha', '1.0_beta2', '1.0_rc1', '1.0', '1.0-r1', '1.0_p1', '1.0a', '1.0.1', '1.2', '1.10'],
  equal: [
    ['1.0-r1', '1.0-r01'],
    ['1-r', '1-r0'],
  ],
  invalid: ['', 'a', '.1', '-r1', '_pre1', 'v1.0'],
  invalidCompare: 'lowest',
});
