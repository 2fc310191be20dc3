import { describe, expect, it } from 'vitest';
import { InvalidRangeError, normalizeVers, parseVers, versFromNative } from './index.js';

describe('vers: ranges', () => {
  it('checks containment with the type scheme', () => {
    const range = parseVers('vers:npm/>=1.0.0|<2.0.0');
    expect(range.contains('1.5.0')).toBe(true);
    expect(range.contains('2.0.0')).toBe(false);
    expect(parseVers('vers:npm/*').contains('9.9.9')).toBe(true);
    expect(parseVers('vers:npm/<1.0.0|>=2.0.0|!=2.5.0').contains('2.5.0')).toBe(false);
    expect(parseVers('vers:npm/<1.0.0|>=2.0.0').contains('1.5.0')).toBe(false);
    expect(parseVers('vers:deb/>=1:1.0-1').contains('1:1.0-2')).toBe(true);
  });

  it('rejects malformed text, and non-canonical text in canonical mode', () => {
    for (const bad of [
      'vers:npm/|>=1.0.0',
      'vers:npm/>=1.0.0|',
      'vers:npm/>=1.0.0||<2.0.0',
      'vers:npm/>=1.0.0| <2.0.0',
      'vers:npm/=1.0.0',
      'vers:npm/1.0%2G0',
      'npm/1.0.0',
      'vers:npm/',
    ]) {
      expect(() => parseVers(bad), bad).toThrow(InvalidRangeError);
    }
    expect(() => parseVers('vers:npm/>=2.0.0|<1.0.0', 'canonical')).toThrow(InvalidRangeError);
    expect(parseVers('vers:npm/>=2.0.0|<1.0.0').toString()).toBe('vers:npm/<1.0.0|>=2.0.0');
  });

  it('decodes percent-encoding once', () => {
    expect(parseVers('vers:npm/1.0%252F0', 'canonical').constraints).toEqual([
      { comparator: '=', version: '1.0%2F0' },
    ]);
  });

  it('normalises forgiving input to the canonical string', () => {
    expect(normalizeVers('vers:npm/ >=2.0.0 | 1.0.0 ')).toBe('vers:npm/1.0.0|>=2.0.0');
    expect(normalizeVers('vers:lexicographic/1 2')).toBe('vers:lexicographic/1%202');
  });

  it('converts node-semver ranges the way univers does', () => {
    expect(versFromNative('npm', '^1.2.9')).toBe('vers:npm/>=1.2.9|<2.0.0');
    expect(versFromNative('npm', '< 3.1.3  || >= 4.0.0 <4.1.1')).toBe('vers:npm/<3.1.3|>=4.0.0|<4.1.1');
    expect(versFromNative('npm', '1.2.3 - 2.3')).toBe('vers:npm/>=1.2.3|<2.4.0');
  });
});
