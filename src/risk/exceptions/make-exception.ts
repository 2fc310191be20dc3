import { randomUUID } from 'node:crypto';
import { PatchcastError } from '../../core/errors.js';
import type { ExceptionScope, RiskException } from '../../core/types.js';
import { diffDays, getDayOf } from '../sla/dates.js';
import type { ExceptionPolicy } from '../sla/types.js';

export const EXCEPTION_SCOPES: readonly ExceptionScope[] = ['finding', 'vulnerability', 'package', 'asset'];

/** A risk acceptance as a user asks for it. */
export interface ExceptionRequest {
  scope: string;
  /** The finding id, vulnerability id, package name or asset id, as the scope says. */
  id: string;
  /** Narrows a vulnerability or package exception to one asset. */
  assetId?: string;
  owner: string;
  reason: string;
  /** Last day the exception holds (`YYYY-MM-DD`, UTC); it lapses when that day ends. */
  expires: string;
  approver?: string;
  compensatingControl?: string;
}

/**
 * Checks a request against the exceptions policy and returns the exception to store: a known scope,
 * an owner and a reason, an expiry that is neither past nor beyond `maxDays`, an approver when the
 * policy requires one. Every problem is a `PatchcastError` that names the option and the fix.
 */
export function makeException(request: ExceptionRequest, policy: ExceptionPolicy, now: Date): RiskException {
  const scope = getScope(request.scope);
  const fail = (message: string, hint: string) => new PatchcastError('INPUT_INVALID', message, { hint });
  if (!request.id.trim()) throw fail('--id is empty', `give the ${scope} the exception covers`);
  if (!request.owner.trim()) throw fail('--owner is empty', 'name who owns the accepted risk');
  if (!request.reason.trim()) throw fail('--reason is empty', 'say why the risk is accepted');
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(request.expires) ||
    Number.isNaN(Date.parse(`${request.expires}T00:00:00Z`))
  )
    throw fail(`--expires ${request.expires} is not a date`, 'write the last day it holds as YYYY-MM-DD');
  const today = getDayOf(now);
  const days = diffDays(today, request.expires);
  if (days < 0)
    throw fail(
      `--expires ${request.expires} is in the past (today is ${today})`,
      'choose a day from today on',
    );
  if (days > policy.maxDays)
    throw fail(
      `--expires ${request.expires} is ${days} days away; policies.exceptions.maxDays allows ${policy.maxDays}`,
      'choose an earlier day, or renew the exception when it lapses',
    );
  if (policy.requireApprover && !request.approver?.trim())
    throw fail(
      '--approver is required: policies.exceptions.requireApprover is true',
      'name who approved the risk acceptance',
    );
  const exception: RiskException = {
    id: `EXC-${randomUUID().slice(0, 8)}`,
    scope,
    owner: request.owner.trim(),
    reason: request.reason.trim(),
    createdAt: now.toISOString(),
    expiresAt: `${request.expires}T23:59:59.999Z`,
  };
  if (scope === 'finding') exception.findingId = request.id;
  if (scope === 'vulnerability') exception.vulnerabilityId = request.id;
  if (scope === 'package') exception.packageName = request.id;
  if (scope === 'asset') exception.assetId = request.id;
  if (request.assetId && scope !== 'asset' && scope !== 'finding') exception.assetId = request.assetId;
  if (request.approver?.trim()) exception.approver = request.approver.trim();
  if (request.compensatingControl?.trim()) exception.compensatingControl = request.compensatingControl.trim();
  return exception;
}

function getScope(scope: string): ExceptionScope {
  const found = EXCEPTION_SCOPES.find((s) => s === scope);
  if (!found)
    throw new PatchcastError(
      'USAGE_INVALID_ARGUMENT',
      `--scope ${scope} is not one of ${EXCEPTION_SCOPES.join(', ')}`,
    );
  return found;
}
