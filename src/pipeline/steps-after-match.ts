/**
 * The steps after matching — VEX, risk, then exceptions, SLA and history — each recorded in
 * `pipeline_steps` until it commits, so a pass killed between them (or between risk batches) is
 * finished by the next one.
 */
import type { Config } from '../config/index.js';
import { applyStoredVex } from '../matching/index.js';
import { findCoveringException } from '../risk/exceptions/covering.js';
import { type ScoredFinding, scoreFindings } from '../risk/score-findings.js';
import { applyPolicies, type PolicyResult } from '../risk/sla/index.js';
import {
  completePipelineStep,
  listExceptions,
  loadOwedSteps,
  markPipelineStepsOwed,
  type Store,
} from '../store/index.js';
import { pauseForCrashTest } from './crash-test-pause.js';
import { makeForecastLoader } from './exploit-forecast.js';

/** How many of the highest-risk open findings `updateFindings` returns by default. */
export const DEFAULT_TOP = 10;

/** What the steps after matching read: the scope, the clock, the config and the model's data. */
export interface StepsOptions {
  now: Date;
  config: Config;
  /** Only these assets; all when omitted. */
  assetIds?: string[];
  /** Progress of the exploit forecast (read from the stored scores, or computed and stored). */
  onStep?: (text: string) => void;
  /** How many of the highest-risk open findings to return (default `DEFAULT_TOP`). */
  top?: number;
  /** Assets per batch (default: the store's `FINDING_BATCH_ASSETS`). */
  batchAssets?: number;
}

export interface StepsResult {
  vex: { suppressed: number; reopened: number };
  /** The `top` highest-risk findings scored that stay open (before the policies ran). */
  top: ScoredFinding[];
  policy: PolicyResult;
}

/**
 * Starts a pass: records that it owes every step after matching on its scope, widened by what an
 * interrupted pass still owes (`pipeline_steps`). Returns the pass id and the widened scope.
 */
export async function startPass(
  store: Store,
  options: { now: Date; assetIds?: string[] },
): Promise<{ pass: string; assetIds?: string[] }> {
  const owed = await loadOwedSteps(store.db);
  const assetIds = owed && !owed.assetIds ? undefined : unite(options.assetIds, owed?.assetIds);
  const pass = await markPipelineStepsOwed(store.db, assetIds, options.now);
  return assetIds ? { pass, assetIds } : { pass };
}

function unite(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!a) return undefined;
  return b ? [...new Set([...a, ...b])] : a;
}

/** VEX, risk, then policies on the scope of `options`, each step cleared from `pipeline_steps` as it commits. */
export async function runStepsAfterMatch(
  store: Store,
  options: StepsOptions,
  pass: string,
): Promise<StepsResult> {
  const scope = options.assetIds ? { assetIds: options.assetIds } : {};
  const batching = options.batchAssets === undefined ? {} : { batchAssets: options.batchAssets };
  const vex = await store.db.transaction().execute(async (db) => {
    const result = await applyStoredVex(db, { ...scope, ...batching });
    await completePipelineStep(db, 'vex', pass);
    return result;
  });
  await pauseForCrashTest('vex');
  const top = await scoreAndRank(store, options);
  await completePipelineStep(store.db, 'risk', pass);
  await pauseForCrashTest('risk');
  const policy = await store.db.transaction().execute(async (db) => {
    // An incremental pass polices its scope; exceptions, lapses and moving due dates fleet-wide by index.
    const policyScope = options.assetIds ? { scope: { assetIds: options.assetIds } } : {};
    const result = await applyPolicies(db, options.now, options.config.policies, {
      ...batching,
      ...policyScope,
    });
    await completePipelineStep(db, 'policies', pass);
    return result;
  });
  await pauseForCrashTest('policies');
  return { vex, top, policy };
}

/**
 * Finishes what an interrupted pass left owed (after `patchcast sync` found nothing to re-match, say):
 * every step after matching again on the owed scope, as they are idempotent. Undefined when none.
 */
export async function finishOwedSteps(
  store: Store,
  options: Omit<StepsOptions, 'assetIds'>,
): Promise<StepsResult | undefined> {
  if (!(await loadOwedSteps(store.db))) return undefined;
  const { pass, assetIds } = await startPass(store, options);
  return runStepsAfterMatch(store, { ...options, ...(assetIds ? { assetIds } : {}) }, pass);
}

/**
 * Scores the findings in scope (writing their risk) and keeps the `top` highest-risk of those that
 * are open and stay open: no exception in force covers them, which the exceptions step would except.
 */
export async function scoreAndRank(store: Store, options: StepsOptions): Promise<ScoredFinding[]> {
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
    afterBatch: () => pauseForCrashTest('risk-batch'),
    ...(options.assetIds ? { assetIds: options.assetIds } : {}),
    ...(options.batchAssets === undefined ? {} : { batchAssets: options.batchAssets }),
  });
}
