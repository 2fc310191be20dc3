import { describe, expect, it } from 'vitest';
import { InvalidVersionError, isAffected, type OsvRecordLike, UnknownEcosystemError } from './index.js';

const pkg = { ecosystem: 'npm', name: 'left-pad' };
const record = (events: object[], extra: object = {}): OsvRecordLike => ({
  id: 'GHSA-test',
  affected: [
    { package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'SEMVER', events }], ...extra },
  ],
});

describe('isAffected (OSV affected[] evaluation)', () => {
  it('applies introduced / fixed / last_affected', () => {
    const r = record([
      { introduced: '1.0.0' },
      { fixed: '1.2.0' },
      { introduced: '2.0.0' },
      { last_affected: '2.1.0' },
    ]);
    expect(isAffected(pkg, '0.9.0', r)).toBe(false);
    expect(isAffected(pkg, '1.1.9', r)).toBe(true);
    expect(isAffected(pkg, '1.2.0', r)).toBe(false);
    expect(isAffected(pkg, '2.1.0', r)).toBe(true);
    expect(isAffected(pkg, '2.1.1', r)).toBe(false);
  });

  it('sorts events given in any order', () => {
    const r = record([
      { last_affected: '2.1.0' },
      { fixed: '1.2.0' },
      { introduced: '2.0.0' },
      { introduced: '0' },
    ]);
    expect(isAffected(pkg, '1.0.0', r)).toBe(true);
    expect(isAffected(pkg, '1.5.0', r)).toBe(false);
    expect(isAffected(pkg, '2.0.5', r)).toBe(true);
  });

  it('caps a range with limit', () => {
    const r = record([{ introduced: '0' }, { limit: '3.0.0' }]);
    expect(isAffected(pkg, '2.9.9', r)).toBe(true);
    expect(isAffected(pkg, '3.0.0', r)).toBe(false);
  });

  it('counts the versions list, and for GIT ranges only the versions list', () => {
    const r: OsvRecordLike = {
      affected: [
        {
          package: { ecosystem: 'npm', name: 'left-pad' },
          ranges: [{ type: 'GIT', repo: 'https://example.test/x', events: [{ introduced: 'abc123' }] }],
          versions: ['1.3.0'],
          database_specific: { anything: true },
        } as never,
      ],
    };
    expect(isAffected(pkg, '1.3.0', r)).toBe(true);
    expect(isAffected(pkg, '1.3.1', r)).toBe(false);
  });

  it('matches ecosystem and name only, with release suffixes compared when both name one', () => {
    const deb = {
      affected: [
        {
          package: { ecosystem: 'Debian:12', name: 'openssl' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.11-1~deb12u2' }] }],
        },
      ],
    };
    expect(isAffected({ ecosystem: 'Debian:12', name: 'openssl' }, '3.0.11-1~deb12u1', deb)).toBe(true);
    expect(isAffected({ ecosystem: 'Debian', name: 'openssl' }, '3.0.11-1~deb12u1', deb)).toBe(true);
    expect(isAffected({ ecosystem: 'Debian:11', name: 'openssl' }, '1.1.1n-0+deb11u1', deb)).toBe(false);
    expect(isAffected({ ecosystem: 'Debian:12', name: 'libssl3' }, '3.0.11-1~deb12u1', deb)).toBe(false);
  });

  it('normalises PyPI names (PEP 503) before comparing them', () => {
    const r = { affected: [{ package: { ecosystem: 'PyPI', name: 'Foo_Bar' }, versions: ['1.0'] }] };
    expect(isAffected({ ecosystem: 'PyPI', name: 'foo-bar' }, '1.0', r)).toBe(true);
  });

  it('treats an empty installed version as unknown, hence affected', () => {
    expect(isAffected(pkg, '', record([{ introduced: '5.0.0' }]))).toBe(true);
  });

  it('throws typed errors for an invalid installed version or event version', () => {
    expect(() => isAffected(pkg, 'not-a-version', record([{ introduced: '0' }]))).toThrow(
      InvalidVersionError,
    );
    expect(() => isAffected(pkg, '1.0.0', record([{ introduced: '0' }, { fixed: 'garbage' }]))).toThrow(
      InvalidVersionError,
    );
    expect(() => isAffected(pkg, '1.0.0', record([{ introduced: '0', fixed: '1.0.0' }]))).toThrow(
      InvalidVersionError,
    );
  });

  it('throws UnknownEcosystemError for an ECOSYSTEM range it cannot order', () => {
    const r = {
      affected: [
        {
          package: { ecosystem: 'Nonesuch', name: 'x' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }],
        },
      ],
    };
    expect(() => isAffected({ ecosystem: 'Nonesuch', name: 'x' }, '1', r)).toThrow(UnknownEcosystemError);
  });
});
