import { describe, expect, it } from 'vitest';
import { makeServiceDeps, useSeededStore } from '../../../test/support/service-deps.js';
import { countRows } from '../../../test/support/store.js';
import { readConfig } from '../../config/index.js';
import { listAuditEvents, listEventsAfter, listFindings } from '../../store/index.js';
import { addException } from './add-exception.js';
import { approveExceptionRequest } from './approve-exception-request.js';
import { listExceptions } from './list-exceptions.js';
import { requestException } from './request-exception.js';
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
  const store = useSeededStore();

  it('forbids a viewer to add or revoke and leaves the store as it was', async () => {
    const viewer = makeServiceDeps(store(), 'viewer');
    const before = await countRows(store(), ['exceptions', 'audit_events']);
    await expect(addException(viewer, REQUEST)).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN' });
    await expect(revokeException(viewer, { id: 'x' })).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN' });
    expect(await countRows(store(), ['exceptions', 'audit_events'])).toEqual(before);
    expect(await listExceptions(viewer)).toEqual([]);
  });

  it('needs approve for a request that names an approver', async () => {
    const operator = makeServiceDeps(store(), 'operator');
    await expect(addException(operator, { ...REQUEST, approver: 'ciso' })).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
      details: { permission: 'approve' },
    });
    const approved = await addException(makeServiceDeps(store(), 'approver'), {
      ...REQUEST,
      approver: 'ciso',
    });
    expect(approved.exception.approver).toBe('ciso');
  });

  it('adds for an operator: the covered findings are excepted, and add and revoke are audited with the actor', async () => {
    const operator = makeServiceDeps(store(), 'operator', NO_APPROVER);
    const added = await addException(operator, REQUEST);
    expect(added.covers).toBe(2);
    const excepted = await listFindings(store().db, { status: ['excepted'] });
    expect(excepted.map((f) => f.id).sort()).toEqual(['f-exim', 'f-exim-cache']);
    const listed = await listExceptions(makeServiceDeps(store(), 'viewer'));
    expect(listed.map((e) => [e.id, e.state, e.covers])).toEqual([[added.exception.id, 'active', 2]]);

    const revoked = await revokeException(operator, { id: added.exception.id });
    expect(revoked.reopened).toBe(2);
    const events = await listAuditEvents(store().db);
    expect(events.map((e) => [e.actor, e.action, e.subject])).toEqual([
      ['token:operator', 'exception:add', added.exception.id],
      ['token:operator', 'exception:revoke', added.exception.id],
    ]);
    expect(events[0]?.data).toMatchObject({ owner: 'mail team', vulnerabilityId: 'CVE-2018-6789' });
  });

  it('refuses a finding exception for a finding that does not exist, storing nothing', async () => {
    const operator = makeServiceDeps(store(), 'operator', NO_APPROVER);
    await expect(
      addException(operator, { ...REQUEST, scope: 'finding', id: 'f-none' }),
    ).rejects.toMatchObject({
      code: 'STORE_NOT_FOUND',
    });
    expect(await countRows(store(), ['exceptions', 'audit_events'])).toEqual({
      exceptions: 0,
      audit_events: 0,
    });
  });

  it('announces add and revoke as events in their transactions', async () => {
    const operator = makeServiceDeps(store(), 'operator', NO_APPROVER);
    const added = await addException(operator, REQUEST);
    await revokeException(operator, { id: added.exception.id });
    const events = await listEventsAfter(store().db, 0, 10);
    expect(events.map((e) => [e.kind, e.subject])).toEqual([
      ['exception:approved', added.exception.id],
      ['exception:revoked', added.exception.id],
    ]);
    // A refused change announces nothing.
    await expect(revokeException(operator, { id: added.exception.id })).rejects.toMatchObject({
      code: 'STORE_NOT_FOUND',
    });
    expect(await listEventsAfter(store().db, 0, 10)).toHaveLength(2);
  });

  it('a request suppresses nothing until an approver approves it, once', async () => {
    const request = REQUEST;
    await expect(requestException(makeServiceDeps(store(), 'viewer'), request)).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
    });
    const operator = makeServiceDeps(store(), 'operator');
    const { requestId } = await requestException(operator, request);
    expect(requestId).toMatch(/^EXR-/);
    expect(await listFindings(store().db, { status: ['excepted'] })).toEqual([]);
    await expect(approveExceptionRequest(operator, { requestId })).rejects.toMatchObject({
      code: 'AUTH_FORBIDDEN',
    });
    const approver = makeServiceDeps(store(), 'approver');
    const approved = await approveExceptionRequest(approver, { requestId });
    expect(approved.exception.approver).toBe('token:approver');
    expect(approved.covers).toBe(2);
    await expect(approveExceptionRequest(approver, { requestId })).rejects.toMatchObject({
      code: 'STORE_CONFLICT',
    });
    await expect(approveExceptionRequest(approver, { requestId: 'EXR-none' })).rejects.toMatchObject({
      code: 'STORE_NOT_FOUND',
    });
    expect((await listAuditEvents(store().db)).map((e) => [e.actor, e.action, e.subject])).toEqual([
      ['token:operator', 'exception:request', requestId],
      ['token:approver', 'exception:approve', requestId],
    ]);
    expect((await listEventsAfter(store().db, 0, 10)).map((e) => [e.kind, e.subject])).toEqual([
      ['exception:requested', requestId],
      ['exception:approved', approved.exception.id],
    ]);
  });

  it('refuses a request for an asset that does not exist, storing nothing', async () => {
    await expect(
      requestException(makeServiceDeps(store(), 'operator'), { ...REQUEST, assetId: 'no-such-host' }),
    ).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
    expect(await countRows(store(), ['exceptions', 'audit_events', 'events'])).toEqual({
      exceptions: 0,
      audit_events: 0,
      events: 0,
    });
  });
});
