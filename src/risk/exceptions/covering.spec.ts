import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeException, makeFinding } from '../sla/__fixtures__/contexts.js';
import { findCoveringException, isExceptionActive, isExceptionCovering } from './covering.js';

const finding = makeFinding(); // exim4 on orders-db-01, DEBIAN-CVE-2018-6789
const NOW = new Date('2026-01-20T00:00:00Z');

describe('exception scope', () => {
  it('one finding, by its id', () => {
    expect(
      isExceptionCovering(
        makeException({ scope: 'finding', findingId: 'f-exim4', vulnerabilityId: undefined }),
        finding,
      ),
    ).toBe(true);
    expect(
      isExceptionCovering(
        makeException({ scope: 'finding', findingId: 'f-other', vulnerabilityId: undefined }),
        finding,
      ),
    ).toBe(false);
  });

  it('a vulnerability across assets, by its id or an alias such as the CVE', () => {
    const byCve = makeException({ vulnerabilityId: 'CVE-2018-6789' });
    expect(isExceptionCovering(byCve, finding)).toBe(false);
    expect(isExceptionCovering(byCve, finding, { vulnerabilityIds: ['CVE-2018-6789'] })).toBe(true);
    expect(isExceptionCovering(makeException({ vulnerabilityId: 'DEBIAN-CVE-2018-6789' }), finding)).toBe(
      true,
    );
    expect(
      isExceptionCovering(byCve, makeFinding({ assetId: 'cache-01' }), {
        vulnerabilityIds: ['CVE-2018-6789'],
      }),
    ).toBe(true);
  });

  it('a package, on every asset or narrowed to one', () => {
    const pkg = makeException({ scope: 'package', packageName: 'exim4', vulnerabilityId: undefined });
    expect(isExceptionCovering(pkg, finding)).toBe(true);
    expect(isExceptionCovering(pkg, makeFinding({ packageName: 'exim4-base' }))).toBe(false);
    expect(isExceptionCovering({ ...pkg, assetId: 'cache-01' }, finding)).toBe(false);
  });

  it('an asset, every finding on it', () => {
    const asset = makeException({ scope: 'asset', assetId: 'orders-db-01', vulnerabilityId: undefined });
    expect(isExceptionCovering(asset, makeFinding({ vulnerabilityId: 'GHSA-x' }))).toBe(true);
    expect(isExceptionCovering(asset, makeFinding({ assetId: 'blog-01' }))).toBe(false);
  });

  it('a scope whose field is missing covers nothing', () => {
    expect(
      isExceptionCovering(makeException({ scope: 'package', vulnerabilityId: undefined }), finding),
    ).toBe(false);
  });
});

describe('exception dates', () => {
  const e = makeException(); // 2026-01-15 … end of 2026-01-24

  it('is in force from creation until expiry, and lapses by itself at expiry', () => {
    expect(isExceptionActive(e, new Date('2026-01-14T23:00:00Z'))).toBe(false);
    expect(isExceptionActive(e, new Date('2026-01-24T23:59:00Z'))).toBe(true);
    expect(isExceptionActive(e, new Date('2026-01-25T00:00:00Z'))).toBe(false);
  });

  it('a revoked exception is over from its revocation', () => {
    const revoked = { ...e, revokedAt: '2026-01-18T00:00:00.000Z' };
    expect(isExceptionActive(revoked, new Date('2026-01-17T00:00:00Z'))).toBe(true);
    expect(isExceptionActive(revoked, NOW)).toBe(false);
  });

  it('of several covering exceptions, the one that runs longest is named', () => {
    const longer = makeException({ id: 'EXC-2', expiresAt: '2026-02-28T23:59:59.999Z' });
    const found = findCoveringException(finding, [e, longer], NOW, { vulnerabilityIds: ['CVE-2018-6789'] });
    expect(found?.id).toBe('EXC-2');
  });

  it('property: an expired or revoked exception never covers a finding', () => {
    const day = 86_400_000;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 90 }),
        fc.option(fc.integer({ min: 0, max: 90 })),
        fc.integer({ min: 0, max: 10 * day }),
        fc.constantFrom('finding', 'vulnerability', 'package', 'asset'),
        (start, length, revokeAfter, after, scope) => {
          const created = Date.parse('2025-06-01T00:00:00Z') + start * day;
          const expires = created + length * day;
          const revoked = revokeAfter === null ? undefined : created + revokeAfter * day;
          const exception = makeException({
            scope: scope as 'finding',
            findingId: 'f-exim4',
            vulnerabilityId: 'DEBIAN-CVE-2018-6789',
            packageName: 'exim4',
            assetId: 'orders-db-01',
            createdAt: new Date(created).toISOString(),
            expiresAt: new Date(expires).toISOString(),
            ...(revoked === undefined ? {} : { revokedAt: new Date(revoked).toISOString() }),
          });
          const now = new Date(Math.min(expires, revoked ?? expires) + after);
          expect(isExceptionCovering(exception, finding)).toBe(true);
          expect(findCoveringException(finding, [exception], now)).toBeUndefined();
        },
      ),
    );
  });
});
