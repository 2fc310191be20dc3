import { randomUUID } from 'node:crypto';
import { type ExceptionRequest, makeException } from '../../risk/exceptions/index.js';
import { changeState } from '../change.js';
import type { ServiceDeps } from '../deps.js';
import { checkTarget } from './add-exception.js';

/** A request for a risk acceptance: everything but the approver, who comes with the approval. */
export type ExceptionRequestInput = Omit<ExceptionRequest, 'approver'>;

export interface RequestExceptionResult {
  /** `EXR-…`: the id an approver approves (`approveExceptionRequest`). */
  requestId: string;
  request: ExceptionRequestInput;
}

/**
 * Requests a risk acceptance that suppresses nothing until an approver approves it (the API's
 * `POST /exception-requests`). The request is checked against the exceptions policy now, as it will
 * be at approval (with a stand-in approver), and its target must exist. Needs `operate`; the request
 * is the `exception:request` audit event (its data is the request) with its `exception:requested` event.
 */
export async function requestException(deps: ServiceDeps, input: ExceptionRequestInput) {
  return changeState<RequestExceptionResult>(deps, 'operate', async (db, at) => {
    const draft = makeException({ ...input, approver: 'pending' }, deps.config.policies.exceptions, at);
    await checkTarget(db, draft);
    const requestId = `EXR-${randomUUID().slice(0, 8)}`;
    return {
      result: { requestId, request: input },
      audit: { action: 'exception:request', subject: requestId, data: { ...input } },
      event: { kind: 'exception:requested', subject: requestId, data: { ...input } },
    };
  });
}
