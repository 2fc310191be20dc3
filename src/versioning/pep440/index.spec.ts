import { describe, expect, it } from 'vitest';
import { describeVersionScheme } from '../contract.js';
import { InvalidRangeError, InvalidVersionError } from '../errors.js';
import { isPep440Version, pep440Scheme as s } from './index.js';

describeVersionScheme(s, {
  ordered: ['1.0.dev0', '1.0a1', '1.0b2.post3', '1.0rc1', '1.0', '1.0+local', '1.0.post1', '1.1', '1!0.1'],
  equal: [
    ['1.0', '1.0.0'],
    ['1.0-1', '1.0.post1'],
    ['1.0alpha', '1.0a0'],
  ],
  invalid: ['', '   '],
  ranges: [
    ['1.4.5', '~=1.4.2', true],
    ['1.5.0', '~=1.4.2', false],
    ['2.0+local', '==2.0', true],
    ['1.3.1', '>=1.0,!=1.3.*,<2', false],
  ],
});

describe('pep440 ordering', () => {
  it('orders dev, pre, final, post and local like packaging', () => {
    expect(s.compare('1.0.dev456', '1.0a1')).toBe(-1);
    expect(s.compare('1.0a12.dev456', '1.0a12')).toBe(-1);
    expect(s.compare('1.0.post456.dev34', '1.0.post456')).toBe(-1);
    expect(s.compare('1.2+abc', '1.2+1')).toBe(-1);
    expect(s.compare('1.0', '99999999999999999999.0')).toBe(-1);
  });

  it('orders non-PEP 440 strings by the legacy rule, before every PEP 440 version', () => {
    expect(isPep440Version('0.9-doduo')).toBe(false);
    expect(s.isValid('0.9-doduo')).toBe(false);
    expect(s.compare('2.0.1rc2-git', '0.0.1')).toBe(-1);
    expect(s.compare('0.9-doduo', '0.9-eevee')).toBe(-1);
    expect(() => s.compare('', '1.0')).toThrow(InvalidVersionError);
  });

  it('normalises to the canonical spelling', () => {
    expect(s.normalize('v1.0-ALPHA.2_post-3.DEV+Ubuntu-1')).toBe('1.0a2.post3.dev0+ubuntu.1');
    expect(s.normalize('0100!0.0')).toBe('100!0.0');
    expect(() => s.normalize('1.0-doduo')).toThrow(InvalidVersionError);
  });
});

describe('pep440 specifiers', () => {
  it('applies the exclusive-comparison rules of PEP 440', () => {
    expect(s.matches('2.0.post1', '>2')).toBe(false);
    expect(s.matches('2.0b1', '<2')).toBe(false);
    expect(s.matches('2.0b1', '<2.0rc1')).toBe(true);
    expect(s.matches('1.0+local', '>1.0')).toBe(false);
  });

  it('matches pre-releases unless told not to', () => {
    expect(s.matches('2.0a1', '>=1.0')).toBe(true);
    expect(s.matches('2.0a1', '>=1.0', { prereleases: false })).toBe(false);
  });

  it('supports prefix matching, === and rejects bad specifiers', () => {
    expect(s.matches('2.0.0.0', '==2.0.*')).toBe(true);
    expect(s.matches('2!1.0', '==1.*')).toBe(false);
    expect(s.matches('foobar', '===FooBar')).toBe(true);
    expect(s.matches('foobar', '==1.0')).toBe(false);
    expect(() => s.matches('1.0', '=>1.0')).toThrow(InvalidRangeError);
    expect(() => s.matches('1.0', '~=1')).toThrow(InvalidRangeError);
  });
});
