import { PatchcastError } from '../../core/errors.js';
import { revokeException as revokeExceptionRow } from '../../store/index.js';
import { changeState } from '../change.js';
import type { ServiceDeps } from '../deps.js';
import { applyPolicies } from '../risk/apply-policies.js';

/**
 * Ends an exception now (`patchcast exceptions revoke`); the findings it covered open again. Needs
 * `operate`; audited as `exception:revoke`, announced as `exception:revoked`. An unknown or revoked id is STORE_NOT_FOUND.
 */
export async function revokeException(deps: ServiceDeps, input: { id: string }) {
  return changeState(deps, 'operate', async (db, at) => {
    if (!(await revokeExceptionRow(db, input.id, at.toISOString())))
      throw new PatchcastError(
        'STORE_NOT_FOUND',
        `exception ${input.id} does not exist or is already revoked`,
        {
          hint: 'List exceptions with `patchcast exceptions list --all`.',
          details: { id: input.id },
        },
      );
    const policy = await applyPolicies(db, at, deps.config.policies);
    return {
      result: { id: input.id, revokedAt: at.toISOString(), reopened: policy.exceptions.reopened },
      audit: { action: 'exception:revoke', subject: input.id },
      event: { kind: 'exception:revoked', subject: input.id },
    };
  });
}
