import { PatchcastError } from '../../core/errors.js';
import type { RiskException } from '../../core/types.js';
import { type ExceptionRequest, makeException } from '../../risk/exceptions/index.js';
import { type Db, insertException, listFindings, loadAsset } from '../../store/index.js';
import { authorize } from '../authz.js';
import { changeState } from '../change.js';
import type { ServiceDeps } from '../deps.js';
import { applyPolicies } from '../risk/apply-policies.js';
import { loadCoveredCounts } from './covered-counts.js';

export interface AddExceptionResult {
  exception: RiskException;
  /** How many findings it excepts now. */
  covers: number;
}

/**
 * Accepts a risk until a date (`patchcast exceptions add`): checks the request against the
 * exceptions policy, stores it, re-applies the policies so the findings it covers are excepted, and
 * audits `exception:add` with its `exception:approved` event, all in one transaction. Requesting needs `operate`; a request that names an
 * approver is an approval and needs `approve`.
 */
export async function addException(deps: ServiceDeps, request: ExceptionRequest) {
  authorize(deps.actor, request.approver === undefined ? 'operate' : 'approve');
  const exception = makeException(request, deps.config.policies.exceptions, deps.clock.now());
  return changeState<AddExceptionResult>(deps, 'operate', async (db, at) => {
    await checkTarget(db, exception);
    await insertException(db, exception);
    await applyPolicies(db, at, deps.config.policies);
    const covers = (await loadCoveredCounts(db)).get(exception.id) ?? 0;
    return {
      result: { exception, covers },
      audit: { action: 'exception:add', subject: exception.id, data: { ...exception } },
      event: {
        kind: 'exception:approved',
        subject: exception.id,
        data: { approver: exception.approver ?? null },
      },
    };
  });
}

/** A finding or asset exception must name one that exists; a vulnerability or package may not be present yet. */
export async function checkTarget(db: Db, e: RiskException): Promise<void> {
  if (e.assetId && !(await loadAsset(db, e.assetId)))
    throw new PatchcastError('STORE_NOT_FOUND', `asset ${e.assetId} does not exist`, {
      hint: 'List assets with `patchcast assets`.',
      details: { assetId: e.assetId },
    });
  if (e.findingId) {
    const [found] = await listFindings(db, { ids: [e.findingId] });
    if (!found)
      throw new PatchcastError('STORE_NOT_FOUND', `finding ${e.findingId} does not exist`, {
        hint: 'Finding ids are in `patchcast findings --json`.',
        details: { findingId: e.findingId },
      });
  }
}
