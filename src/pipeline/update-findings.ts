import type { Config } from '../config/index.js';
import { type RefreshResult, refreshFindings } from '../matching/index.js';
import { findCoveringException } from '../risk/exceptions/covering.js';
import { type ScoredFinding, scoreFindings } from '../risk/score-findings.js';
import { applyPolicies, type PolicyResult } from '../risk/sla/index.js';
import {
  listExceptions,
  listFindings,
  loadPendingMatchKeys,
  removePendingMatchKeys,
  type Store,
} from '../store/index.js';
import { makeForecastLoader } from './exploit-forecast.js';

/** How many of the highest-risk open findings `updateFindings` returns by default. */
export const DEFAULT_TOP = 10;

export interface UpdateFindingsOptions {
  now: Date;
  config: Config;
  /** Only these assets (an inventory import); all when omitted. */
  assetIds?: string[];
  /**
   * Only the packages of advisories the syncs since the last match wrote (after `patchcast sync`).
   * They are consumed only once every step succeeded: a failure leaves them queued for a retry.
   */
  advisoryKeys?: 'pending';
  /** Progress of the exploit forecast (read from the stored scores, or computed and stored). */
  onStep?: (text: string) => void;
  /** How many of the highest-risk open findings to return (default `DEFAULT_TOP`). */
  top?: number;
  /** Assets per batch in the steps after matching (default: the store's `FINDING_BATCH_ASSETS`). */
  batchAssets?: number;
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
 */
export async function updateFindings(
  store: Store,
  options: UpdateFindingsOptions,
): Promise<UpdateFindingsResult> {
  const scope = options.assetIds ? { assetIds: options.assetIds } : {};
  const batching = options.batchAssets === undefined ? {} : { batchAssets: options.batchAssets };
  const pending = options.advisoryKeys === 'pending' ? await loadPendingMatchKeys(store.db) : undefined;
  const advisories = pending ? { advisoryKeys: pending } : {};
  const matched = await refreshFindings(store, { now: options.now, ...scope, ...advisories, ...batching });
  const top = await scoreAndRank(store, options);
  const policy = await store.db
    .transaction()
    .execute((db) => applyPolicies(db, options.now, options.config.policies, batching));
  // Re-matching these keys again is harmless (nothing changed is written), so a failure above keeps them.
  if (pending) await removePendingMatchKeys(store.db, pending);
  const open = await listFindings(store.db, { ids: top.map((s) => s.context.finding.id), status: ['open'] });
  const stillOpen = new Set(open.map((f) => f.id));
  return { matched, top: top.filter((s) => stillOpen.has(s.context.finding.id)), policy };
}

/**
 * Scores the findings in scope (writing their risk) and keeps the `top` highest-risk of those that
 * are open and stay open: no exception in force covers them, which the exceptions step would except.
 */
export async function scoreAndRank(store: Store, options: UpdateFindingsOptions): Promise<ScoredFinding[]> {
  const exceptions = await listExceptions(store.db);
  const staysOpen = ({ context: { finding, vulnerability } }: ScoredFinding) =>
    finding.status === 'open' &&
    !findCoveringException(finding, exceptions, options.now, {
      vulnerabilityIds: vulnerability.cve ? [vulnerability.cve] : [],
    });
  return scoreFindings(store, {
    asOf: options.now,
    weights: options.config.risk.weights,
    model: makeForecastLoader(store, {
      now: options.now,
      tolerance: {
        absolute: options.config.model.scores.absoluteTolerance,
        relative: options.config.model.scores.relativeTolerance,
      },
      ...(options.onStep ? { onStep: options.onStep } : {}),
    }),
    keep: { top: options.top ?? DEFAULT_TOP, where: staysOpen },
    ...(options.assetIds ? { assetIds: options.assetIds } : {}),
    ...(options.batchAssets === undefined ? {} : { batchAssets: options.batchAssets }),
  });
}
