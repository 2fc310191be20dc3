/**
 * Exception requests and approvals over the API. Until services/exceptions lands, these are the use
 * cases the routes call: an operator requests (recorded in the audit log, nothing suppressed yet),
 * an approver approves (the exception is created with the approver's identity, policies re-applied),
 * an approver revokes. A request is approved at most once.
 */
import { randomUUID } from 'node:crypto';
import { PatchcastError } from '../../core/errors.js';
import type { RiskException } from '../../core/types.js';
import { type ExceptionRequest, isExceptionActive, makeException } from '../../risk/exceptions/index.js';
import { applyPolicies } from '../../risk/sla/index.js';
import { recordEvent } from '../../services/auth/events.js';
import { authorize } from '../../services/authz.js';
import type { ServiceDeps } from '../../services/deps.js';
import {
  appendAuditEvent,
  insertException,
  listAuditEventsFor,
  listExceptions,
  listFindings,
  loadAsset,
  revokeException,
} from '../../store/index.js';

export type ExceptionRequestInput = Omit<ExceptionRequest, 'approver'>;

export async function requestException(
  deps: ServiceDeps,
  input: ExceptionRequestInput,
): Promise<{ requestId: string; request: ExceptionRequestInput }> {
  authorize(deps.actor, 'operate');
  const now = deps.clock.now();
  // Checked now as it will be at approval (the approver's name stands in for the one to come).
  const draft = makeException({ ...input, approver: 'pending' }, deps.config.policies.exceptions, now);
  const requestId = `EXR-${randomUUID().slice(0, 8)}`;
  await deps.store.db.transaction().execute(async (db) => {
    if (draft.assetId && !(await loadAsset(db, draft.assetId)))
      throw new PatchcastError('STORE_NOT_FOUND', `asset ${draft.assetId} does not exist`);
    const at = now.toISOString();
    await appendAuditEvent(db, {
      at,
      actor: deps.actor.id,
      action: 'exception:request',
      subject: requestId,
      data: { ...input },
    });
    await recordEvent(db, { at, kind: 'exception:requested', subject: requestId, data: { ...input } });
  });
  return { requestId, request: input };
}

export async function approveExceptionRequest(
  deps: ServiceDeps,
  requestId: string,
): Promise<{ exception: RiskException; covers: number }> {
  authorize(deps.actor, 'approve');
  const now = deps.clock.now();
  const at = now.toISOString();
  return deps.store.db.transaction().execute(async (db) => {
    const [requested] = await listAuditEventsFor(db, 'exception:request', requestId);
    if (!requested)
      throw new PatchcastError('STORE_NOT_FOUND', `no exception request ${requestId}`, {
        hint: 'Requests are in GET /api/v1/audit (action exception:request).',
      });
    if ((await listAuditEventsFor(db, 'exception:approve', requestId)).length)
      throw new PatchcastError('STORE_CONFLICT', `exception request ${requestId} is approved already`);
    const input = JSON.parse(requested.data ?? '{}') as ExceptionRequestInput;
    const exception = makeException(
      { ...input, approver: deps.actor.id },
      deps.config.policies.exceptions,
      now,
    );
    await insertException(db, exception);
    await appendAuditEvent(db, {
      at,
      actor: deps.actor.id,
      action: 'exception:approve',
      subject: requestId,
      data: { ...exception },
    });
    await recordEvent(db, { at, kind: 'exception:approved', subject: exception.id, data: { requestId } });
    await applyPolicies(db, now, deps.config.policies);
    return { exception, covers: await countCovered(db, exception.id) };
  });
}

export async function revokeExceptionNow(
  deps: ServiceDeps,
  id: string,
): Promise<{ id: string; revokedAt: string; reopened: number }> {
  authorize(deps.actor, 'approve');
  const now = deps.clock.now();
  const at = now.toISOString();
  return deps.store.db.transaction().execute(async (db) => {
    if (!(await revokeException(db, id, at)))
      throw new PatchcastError('STORE_NOT_FOUND', `exception ${id} does not exist or is already revoked`);
    await appendAuditEvent(db, { at, actor: deps.actor.id, action: 'exception:revoke', subject: id });
    await recordEvent(db, { at, kind: 'exception:revoked', subject: id });
    const policy = await applyPolicies(db, now, deps.config.policies);
    return { id, revokedAt: at, reopened: policy.exceptions.reopened };
  });
}

export async function listExceptionStates(deps: ServiceDeps, all: boolean) {
  authorize(deps.actor, 'read');
  const now = deps.clock.now();
  const rows = await listExceptions(deps.store.db, all ? {} : { activeAt: now.toISOString() });
  return rows.map((e) => ({ ...e, active: isExceptionActive(e, now) }));
}

async function countCovered(db: Parameters<typeof listFindings>[0], id: string): Promise<number> {
  return (await listFindings(db, { status: ['excepted'] })).filter((f) => f.suppression?.ref === id).length;
}
