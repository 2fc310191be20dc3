import { describe, expect, it } from 'vitest';
import { PatchcastError } from '../../core/errors.js';
import { type ExceptionRequest, makeException } from './make-exception.js';

const POLICY = { maxDays: 90, requireApprover: true, pausesSla: true };
const NOW = new Date('2026-01-20T10:00:00Z');
const REQUEST: ExceptionRequest = {
  scope: 'vulnerability',
  id: 'CVE-2018-6789',
  owner: 'alice',
  reason: 'mail relay reachable only from the app subnet',
  expires: '2026-03-31',
  approver: 'bob',
  compensatingControl: 'port 25 firewalled',
};

function errorOf(request: Partial<ExceptionRequest>, policy = POLICY): PatchcastError {
  try {
    makeException({ ...REQUEST, ...request }, policy, NOW);
  } catch (error) {
    if (error instanceof PatchcastError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('adding an exception', () => {
  it('stores owner, reason, scope, approver, control, and lapses at the end of the expiry day', () => {
    const e = makeException(REQUEST, POLICY, NOW);
    expect(e).toMatchObject({
      scope: 'vulnerability',
      vulnerabilityId: 'CVE-2018-6789',
      owner: 'alice',
      approver: 'bob',
      compensatingControl: 'port 25 firewalled',
      createdAt: '2026-01-20T10:00:00.000Z',
      expiresAt: '2026-03-31T23:59:59.999Z',
    });
    expect(e.id).toMatch(/^EXC-[0-9a-f]{8}$/);
  });

  it('a package exception can be narrowed to one asset', () => {
    expect(
      makeException({ ...REQUEST, scope: 'package', id: 'exim4', assetId: 'orders-db-01' }, POLICY, NOW),
    ).toMatchObject({
      packageName: 'exim4',
      assetId: 'orders-db-01',
    });
  });

  it('refuses an expiry in the past, naming today', () => {
    const error = errorOf({ expires: '2026-01-19' });
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.message).toBe('--expires 2026-01-19 is in the past (today is 2026-01-20)');
  });

  it('allows up to policies.exceptions.maxDays days after today, and refuses one day more', () => {
    expect(makeException({ ...REQUEST, expires: '2026-04-20' }, POLICY, NOW).expiresAt).toBe(
      '2026-04-20T23:59:59.999Z',
    );
    expect(errorOf({ expires: '2026-04-21' }).message).toContain(
      '91 days away; policies.exceptions.maxDays allows 90',
    );
  });

  it('requires an approver when the policy says so, and not otherwise', () => {
    expect(errorOf({ approver: undefined }).message).toContain('--approver is required');
    const { approver: _, ...rest } = REQUEST;
    expect(makeException(rest, { ...POLICY, requireApprover: false }, NOW).approver).toBeUndefined();
  });

  it('refuses an unknown scope and a malformed date', () => {
    expect(errorOf({ scope: 'team' }).code).toBe('USAGE_INVALID_ARGUMENT');
    expect(errorOf({ expires: '31/03/2026' }).message).toContain('is not a date');
  });
});
