import { describe, expect, it } from 'vitest';
import { describeCompareOracles, describeVersionScheme } from '../contract.js';
import { InvalidVersionError } from '../errors.js';
import { dpkgScheme, parseDpkgVersion } from './index.js';

describe('dpkg scheme', () => {
  it('orders epochs first, then upstream, then revision', () => {
    expect(dpkgScheme.compare('1:0.1', '2.0')).toBe(1);
    expect(dpkgScheme.compare('2.0-1', '2.0-2')).toBe(-1);
    expect(dpkgScheme.compare('2.0-10', '2.0-9')).toBe(1);
    expect(dpkgScheme.compare('0:1.0', '1.0')).toBe(0);
  });

  it('sorts ~ before everything, even the end of the string', () => {
    expect(dpkgScheme.compare('1.0~rc1', '1.0')).toBe(-1);
    expect(dpkgScheme.compare('1.0~~', '1.0~')).toBe(-1);
    expect(dpkgScheme.compare('1.0~rc1-1', '1.0~rc2-1')).toBe(-1);
  });

  it('sorts letters before other punctuation and compares digit runs numerically', () => {
    expect(dpkgScheme.compare('1.0a', '1.0+')).toBe(-1);
    expect(dpkgScheme.compare('1.0+b1', '1.0')).toBe(1);
    expect(dpkgScheme.compare('1.09', '1.9')).toBe(0);
    expect(dpkgScheme.compare('1.0.10', '1.0.9')).toBe(1);
  });

  it('reads the last hyphen as the start of the revision', () => {
    expect(parseDpkgVersion('2:1.2-3-4')).toEqual({ epoch: 2, upstream: '1.2-3', revision: '4' });
    expect(parseDpkgVersion('1.2')).toEqual({ epoch: 0, upstream: '1.2', revision: '' });
  });

  it('treats a missing revision like revision 0, as dpkg does', () => {
    expect(dpkgScheme.compare('1.0', '1.0-0')).toBe(0);
    expect(dpkgScheme.compare('1.0', '1.0-1')).toBe(-1);
  });

  it('accepts what dpkg only warns about (upstream not starting with a digit)', () => {
    expect(dpkgScheme.isValid('a-0')).toBe(true);
    expect(dpkgScheme.compare('b-0', 'a-0')).toBe(1);
  });

  it.each([
    ['', 'empty'],
    ['1.0 1', 'embedded space'],
    [':1.0', 'empty epoch'],
    ['a:1.0', 'non-numeric epoch'],
    ['1.0:2', 'colon without an epoch'],
    ['1:', 'nothing after the colon'],
    ['1.0-', 'empty revision'],
    ['-1', 'empty upstream'],
    ['9999999999:1', 'epoch above INT_MAX'],
    ['1.0\u00e9', 'non-ASCII character'],
  ])('rejects %j (%s) with a typed error', (version) => {
    expect(dpkgScheme.isValid(version)).toBe(false);
    expect(() => dpkgScheme.compare(version, '1.0')).toThrow(InvalidVersionError);
    expect(() => dpkgScheme.compare('1.0', version)).toThrow(/invalid dpkg version/);
  });

  it('trims surrounding blanks as dpkg does', () => {
    expect(dpkgScheme.compare(' 1.0-1\t', '1.0-1')).toBe(0);
  });
});

describeCompareOracles(dpkgScheme, ['debian.json', 'debian.generated.json']);

describeVersionScheme(dpkgScheme, {
  ordered: [
    '0.9~rc1',
    '0.9',
    '0.9-1',
    '0.9-1+deb9u1',
    '0.9a',
    '0.9+b1',
    '0.10',
    '1.0~~',
    '1.0~',
    '1.0',
    '1:0.1',
  ],
  equal: [
    ['1.0', '0:1.0'],
    ['1.0', '1.0-0'],
    ['1.09', '1.9'],
  ],
  invalid: ['', '1.0 2', ':1', 'x:1', '1:', '1.0-', '-1', '1.0\u00e9'],
});
