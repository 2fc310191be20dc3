import { pauseForCrashTest } from '../../pipeline/crash-test-pause.js';
import { listFindings, loadPendingMatchKeys, removePendingMatchKeys, type Store } from '../../store/index.js';
import { matchFleet } from '../matching/match-fleet.js';
import type { RefreshResult } from '../matching/refresh.js';
import type { PolicyResult } from '../risk/apply-policies.js';
import type { ScoredFinding } from '../risk/score-findings.js';
import { runStepsAfterMatch, type StepsOptions, startPass, withPassScope } from './steps-after-match.js';

export { DEFAULT_TOP, scoreAndRank } from './steps-after-match.js';

export interface UpdateFindingsOptions extends StepsOptions {
  /**
   * Only the packages of advisories the syncs since the last match wrote (after `patchcast sync`).
   * They are consumed only once every step succeeded: a failure leaves them queued for a retry.
   */
  advisoryKeys?: 'pending';
}

export interface UpdateFindingsResult {
  matched: RefreshResult;
  /** The open findings, highest risk first, at most `top`: the ones open when scored and still open. */
  top: ScoredFinding[];
  policy: PolicyResult;
}

/**
 * Brings findings up to date, in the one order that makes each step see the last one's result:
 * match and VEX, then risk, then exceptions, SLA due dates and the day's history (which records the
 * fresh risk). Every step after the match goes through the findings a batch of assets at a time, so
 * memory does not grow with the fleet. Every command that changes inventories, advisories or VEX goes
 * through here. A whole match (no `assetIds`, no `advisoryKeys`) also empties the queue of pending keys.
 * The steps after matching are recorded as owed before the match and cleared as each commits; steps
 * an interrupted pass left owed are done here too, on the union of both scopes.
 */
export async function updateFindings(
  store: Store,
  options: UpdateFindingsOptions,
): Promise<UpdateFindingsResult> {
  const { pass, ...widened } = await startPass(store, options);
  const scope = options.assetIds ? { assetIds: options.assetIds } : {};
  const pending = options.advisoryKeys === 'pending' ? await loadPendingMatchKeys(store.db) : undefined;
  const advisories = pending ? { advisoryKeys: pending } : {};
  const matchedFleet = await matchFleet(store, { now: options.now, ...scope, ...advisories });
  await pauseForCrashTest('match');
  // The steps run on the widened scope (none: every finding).
  const steps = await runStepsAfterMatch(store, withPassScope(options, widened), pass);
  // Re-matching these keys again is harmless (nothing changed is written), so a failure above keeps them.
  if (pending) await removePendingMatchKeys(store.db, pending);
  const ids = steps.top.map((s) => s.context.finding.id);
  const stillOpen = new Set((await listFindings(store.db, { ids, status: ['open'] })).map((f) => f.id));
  const matched = {
    ...matchedFleet,
    suppressedByVex: steps.vex.suppressed,
    reopenedByVex: steps.vex.reopened,
  };
  return { matched, top: steps.top.filter((s) => stillOpen.has(s.context.finding.id)), policy: steps.policy };
}
