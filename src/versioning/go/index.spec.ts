import { describe, expect, it } from 'vitest';
import { describeVersionScheme } from '../contract.js';
import { canonicalGo, compareGo, goScheme, isPseudoVersion } from './index.js';

describeVersionScheme(goScheme, {
  ordered: [
    'v0.0.0-20180925071336-cf3bd585ca2a',
    'v0.0.0',
    'v1.0.0-alpha',
    'v1.0.0-rc.1',
    'v1.0.0',
    'v1.2.4-0.20060102150405-abcdef',
    'v1.2.4',
    'v2.0.0+incompatible',
    'v2.0.1',
  ],
  equal: [
    ['v1', 'v1.0.0'],
    ['v1.2', 'v1.2.0'],
    ['1.2.3', 'v1.2.3'],
    ['v1.2.3', 'v1.2.3+meta'],
  ],
  invalid: ['bad', 'v1-pre', 'v1.2+meta', 'v01.2.3', 'v1.2.3-01', ''],
  invalidCompare: 'lowest',
});

describe('go (golang.org/x/mod)', () => {
  it('treats all invalid strings as equal, as semver.Compare does', () => {
    expect(compareGo('bad', 'v1-pre')).toBe(0);
  });

  it('canonicalises like semver.Canonical', () => {
    expect(canonicalGo('v1')).toBe('v1.0.0');
    expect(canonicalGo('v1.2.3-pre+meta')).toBe('v1.2.3-pre');
    expect(canonicalGo('1.2.3')).toBe('v1.2.3');
  });

  it('recognises pseudo-versions', () => {
    expect(isPseudoVersion('v0.0.0-20060102150405-hash')).toBe(true);
    expect(isPseudoVersion('v1.2.3-pre.0.20060102150405-hash')).toBe(true);
    expect(isPseudoVersion('v2.0.1-0.20060102150405-hash+incompatible')).toBe(true);
    expect(isPseudoVersion('v1.2.3-pre')).toBe(false);
    expect(isPseudoVersion('v0.0.0--')).toBe(false);
  });
});
