import { PatchcastError } from '../../core/errors.js';
import { makeException } from '../../risk/exceptions/index.js';
import { insertException, listAuditEventsFor } from '../../store/index.js';
import { changeState } from '../change.js';
import type { ServiceDeps } from '../deps.js';
import { applyPolicies } from '../risk/apply-policies.js';
import type { AddExceptionResult } from './add-exception.js';
import { loadCoveredCounts } from './covered-counts.js';
import type { ExceptionRequestInput } from './request-exception.js';

/**
 * Approves a pending exception request (`requestException`) once: the exception is created with the
 * approver's identity and the policies re-applied, so the findings it covers are excepted. Needs
 * `approve`; audited as `exception:approve` (subject the request id), announced as `exception:approved`.
 * An unknown request is STORE_NOT_FOUND, an approved one STORE_CONFLICT.
 */
export async function approveExceptionRequest(deps: ServiceDeps, input: { requestId: string }) {
  const { requestId } = input;
  return changeState<AddExceptionResult>(deps, 'approve', async (db, at) => {
    const [requested] = await listAuditEventsFor(db, 'exception:request', requestId);
    if (!requested)
      throw new PatchcastError('STORE_NOT_FOUND', `no exception request ${requestId}`, {
        hint: 'Requests are in the audit log (action exception:request; GET /api/v1/audit).',
        details: { requestId },
      });
    if ((await listAuditEventsFor(db, 'exception:approve', requestId)).length)
      throw new PatchcastError('STORE_CONFLICT', `exception request ${requestId} is approved already`, {
        details: { requestId },
      });
    const request = JSON.parse(requested.data ?? '{}') as ExceptionRequestInput;
    const exception = makeException(
      { ...request, approver: deps.actor.id },
      deps.config.policies.exceptions,
      at,
    );
    await insertException(db, exception);
    await applyPolicies(db, at, deps.config.policies);
    const covers = (await loadCoveredCounts(db)).get(exception.id) ?? 0;
    return {
      result: { exception, covers },
      audit: { action: 'exception:approve', subject: requestId, data: { ...exception } },
      event: { kind: 'exception:approved', subject: exception.id, data: { requestId } },
    };
  });
}
