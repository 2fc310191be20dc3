import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServiceDeps } from '../../../test/support/service-deps.js';
import { countRows, makeTempStore } from '../../../test/support/store.js';
import { readConfig } from '../../config/index.js';
import { seedStore } from '../../risk/sla/__fixtures__/store.js';
import { listAuditEvents, listFindings, type Store } from '../../store/index.js';
import { addException } from './add-exception.js';
import { listExceptions } from './list-exceptions.js';
import { revokeException } from './revoke-exception.js';

/** A policy that lets an operator request an exception without naming an approver. */
const NO_APPROVER = readConfig(
  'policies:\n  exceptions:\n    requireApprover: false\n',
  'patchcast.yaml',
  {},
);

const REQUEST = {
  scope: 'vulnerability',
  id: 'CVE-2018-6789',
  owner: 'mail team',
  reason: 'exim4 is not reachable from outside',
  expires: '2026-02-01',
};

describe('exception services', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await makeTempStore());
    await seedStore(store.db);
  });
  afterEach(() => cleanup());

  it('forbids a viewer to add or revoke and leaves the store as it was', async () => {
    const viewer = makeServiceDeps(store, 'viewer');
    const before = await countRows(store, ['exceptions', 'audit_events']);
    await expect(addException(viewer, REQUEST)).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN' });
    await expect(revokeException(viewer, { id: 'x' })).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN' });
    expect(await countRows(store, ['exceptions', 'audit_events'])).toEqual(before);
    expect(await listExceptions(viewer)).toEqual([]);
  });

  it('needs approve for a request that names an approver', async () => {
    const operator = makeServiceDeps(store, 'operator');
    await expect(addException(operator, { ...REQUEST, approver: 'ciso' })).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
      details: { permission: 'approve' },
    });
    const approved = await addException(makeServiceDeps(store, 'approver'), { ...REQUEST, approver: 'ciso' });
    expect(approved.exception.approver).toBe('ciso');
  });

  it('adds for an operator: the covered findings are excepted, and add and revoke are audited with the actor', async () => {
    const operator = makeServiceDeps(store, 'operator', NO_APPROVER);
    const added = await addException(operator, REQUEST);
    expect(added.covers).toBe(2);
    const excepted = await listFindings(store.db, { status: ['excepted'] });
    expect(excepted.map((f) => f.id).sort()).toEqual(['f-exim', 'f-exim-cache']);
    const listed = await listExceptions(makeServiceDeps(store, 'viewer'));
    expect(listed.map((e) => [e.id, e.state, e.covers])).toEqual([[added.exception.id, 'active', 2]]);

    const revoked = await revokeException(operator, { id: added.exception.id });
    expect(revoked.reopened).toBe(2);
    const events = await listAuditEvents(store.db);
    expect(events.map((e) => [e.actor, e.action, e.subject])).toEqual([
      ['token:operator', 'exception:add', added.exception.id],
      ['token:operator', 'exception:revoke', added.exception.id],
    ]);
    expect(events[0]?.data).toMatchObject({ owner: 'mail team', vulnerabilityId: 'CVE-2018-6789' });
  });

  it('refuses a finding exception for a finding that does not exist, storing nothing', async () => {
    const operator = makeServiceDeps(store, 'operator', NO_APPROVER);
    await expect(
      addException(operator, { ...REQUEST, scope: 'finding', id: 'f-none' }),
    ).rejects.toMatchObject({
      code: 'STORE_NOT_FOUND',
    });
    expect(await countRows(store, ['exceptions', 'audit_events'])).toEqual({
      exceptions: 0,
      audit_events: 0,
    });
  });
});
