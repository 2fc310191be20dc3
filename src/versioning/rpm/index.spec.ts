import { describe, expect, it } from 'vitest';
import { describeCompareOracles, describeVersionScheme } from '../contract.js';
import { InvalidVersionError } from '../errors.js';
import { parseRpmVersion, rpmScheme, rpmvercmp } from './index.js';

describe('rpmvercmp', () => {
  it('compares numeric segments by value and alpha segments by bytes', () => {
    expect(rpmvercmp('1.10', '1.9')).toBe(1);
    expect(rpmvercmp('1.010', '1.10')).toBe(0);
    expect(rpmvercmp('1.0a', '1.0b')).toBe(-1);
  });

  it('ranks a numeric segment above an alpha one', () => {
    expect(rpmvercmp('1.1', '1.a')).toBe(1);
    expect(rpmvercmp('2.0', '2.0.rc1')).toBe(-1);
  });

  it('treats every run of separators alike', () => {
    expect(rpmvercmp('2.0', '2_0')).toBe(0);
    expect(rpmvercmp('1..0', '1.0')).toBe(0);
  });

  it('sorts ~ before the end of the string and ^ after it', () => {
    expect(rpmvercmp('1.0~rc1', '1.0')).toBe(-1);
    expect(rpmvercmp('1.0^git1', '1.0')).toBe(1);
    expect(rpmvercmp('1.0^git1', '1.0.1')).toBe(-1);
    expect(rpmvercmp('1.0~rc1^git1', '1.0~rc1')).toBe(1);
  });

  it('compares long numbers without overflow', () => {
    expect(rpmvercmp('1.123456789012345678901', '1.123456789012345678902')).toBe(-1);
  });
});

describe('rpm scheme', () => {
  it('splits epoch, version and release as rpm does', () => {
    expect(parseRpmVersion('2:1.0-3.el9')).toEqual({ epoch: '2', version: '1.0', release: '3.el9' });
    expect(parseRpmVersion('1.0')).toEqual({ epoch: '0', version: '1.0', release: null });
    expect(parseRpmVersion('1.0-a-b')).toEqual({ epoch: '0', version: '1.0-a', release: 'b' });
  });

  it('orders the epoch first and treats a missing epoch as 0', () => {
    expect(rpmScheme.compare('1:1.0-1', '2.0-1')).toBe(1);
    expect(rpmScheme.compare('0:1.0-1', '1.0-1')).toBe(0);
  });

  it('ranks a label without release below one with any release', () => {
    expect(rpmScheme.compare('1.0', '1.0-0')).toBe(-1);
    expect(rpmScheme.compare('1.0', '1.0-')).toBe(-1);
  });

  it('orders real Red Hat labels', () => {
    expect(rpmScheme.compare('0:3.10.0-229.el7', '0:3.10.0-229.1.2.el7')).toBe(-1);
    expect(rpmScheme.compare('1.1.1k-7.el8_6', '1.1.1k-12.el8_9')).toBe(-1);
  });

  it.each(['', ' 1.0', '1.0\n', '1:-1', '2:'])('rejects %j with a typed error', (label) => {
    expect(rpmScheme.isValid(label)).toBe(false);
    expect(() => rpmScheme.compare(label, '1.0')).toThrow(InvalidVersionError);
  });
});

describeCompareOracles(rpmScheme, ['rpm.json']);

describeVersionScheme(rpmScheme, {
  ordered: ['1.a', '1.0~rc1', '1.0', '1.0-1.el9', '1.0-2.el9', '1.0^git1', '1.0.1', '1.1', '1:0.1'],
  equal: [
    ['2.0', '2_0'],
    ['0:1.0-1', '1.0-1'],
    ['1.010', '1.10'],
  ],
  invalid: ['', ' ', '1.0 -1', '1:', '-1'],
});
