/**
 * The steps after matching — VEX, risk, then exceptions, SLA and history — each recorded in
 * `pipeline_steps` until it commits, so a pass killed between them (or between risk batches) is
 * finished by the next one.
 */
import type { Config } from '../../config/index.js';
import type { Asset, RiskException } from '../../core/types.js';
import { pauseForCrashTest } from '../../pipeline/crash-test-pause.js';
import {
  type FleetFinding,
  type FleetScored,
  getVulnerabilityFactors,
  makeControlCounter,
  makeFleetRisk,
  makeFleetTop,
  type VulnerabilityFactors,
} from '../../risk/fleet-risk.js';
import { scoreFinding } from '../../risk/score/index.js';
import type { VulnerabilityContext } from '../../risk/types.js';
import {
  completePipelineStep,
  type Db,
  type FindingRiskRows,
  type FindingRiskSubject,
  type FindingRiskWrite,
  type FindingScope,
  getFindingId,
  listAssets,
  listExceptions,
  loadAssetTokens,
  loadFindingAssetIds,
  loadFindingRiskRows,
  loadFindingRiskRowsOfSubjects,
  loadFindingRiskSubjects,
  loadFindingUsage,
  loadFindingUsageOfSubjects,
  loadOwedSteps,
  loadSubjectIdsOf,
  makeRiskChangeTest,
  markPipelineStepsOwed,
  type Store,
  writeFindingRisks,
} from '../../store/index.js';
import { loadStoredAssetDrift } from '../inventory/load-asset-drift.js';
import { applyStoredVex } from '../matching/apply-vex.js';
import { makeForecastLoader } from '../model/exploit-forecast.js';
import { applyPolicies, type PolicyResult } from '../risk/apply-policies.js';
import { loadFindingContexts } from '../risk/finding-contexts.js';
import { compareScored, type ScoredFinding } from '../risk/score-findings.js';
import { type LoadModelProbabilities, makeVulnerabilityCache } from '../risk/vulnerability-context.js';

/** How many of the highest-risk open findings `updateFindings` returns by default. */
export const DEFAULT_TOP = 10;

/** What the steps after matching read: the scope, the clock, the config and the model's data. */
export interface StepsOptions {
  now: Date;
  config: Config;
  /** Only these assets; all when omitted (and no `vulnerabilityIds`). */
  assetIds?: string[];
  /**
   * Also (or, without `assetIds`, only) the findings of these vulnerabilities on every asset (their
   * advisory, EPSS, forecast or KEV listing changed): VEX and risk only; the policies run on all.
   */
  vulnerabilityIds?: string[];
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

/** The scope a pass works on: undefined fields, every finding. */
export interface PassScope {
  assetIds?: string[];
  vulnerabilityIds?: string[];
}

/**
 * Starts a pass: records that it owes every step after matching on its scope, widened by what an
 * interrupted pass still owes (`pipeline_steps`). Returns the pass id and the widened scope.
 */
export async function startPass(
  store: Store,
  options: { now: Date } & PassScope,
): Promise<{ pass: string } & PassScope> {
  const owed = await loadOwedSteps(store.db);
  const all = (owed && !owed.assetIds) || (!options.assetIds && !options.vulnerabilityIds);
  if (all) return { pass: await markPipelineStepsOwed(store.db, undefined, options.now) };
  const assetIds = [...new Set([...(options.assetIds ?? []), ...(owed?.assetIds ?? [])])];
  if (!options.vulnerabilityIds)
    return { pass: await markPipelineStepsOwed(store.db, assetIds, options.now), assetIds };
  // `pipeline_steps` records assets only: a pass scoped by vulnerabilities owes every asset until it
  // commits, so a crash is finished by a whole pass (slower, never wrong).
  const pass = await markPipelineStepsOwed(store.db, undefined, options.now);
  return { pass, assetIds, vulnerabilityIds: options.vulnerabilityIds };
}

/** `options` on a pass's scope (`startPass`), whatever scope `options` had. */
export function withPassScope<T extends PassScope>(options: T, scope: PassScope): T {
  const { assetIds: _a, vulnerabilityIds: _v, ...rest } = options;
  return {
    ...rest,
    ...(scope.assetIds ? { assetIds: scope.assetIds } : {}),
    ...(scope.vulnerabilityIds ? { vulnerabilityIds: scope.vulnerabilityIds } : {}),
  } as T;
}

/** VEX, risk, then policies on the scope of `options`, each step cleared from `pipeline_steps` as it commits. */
export async function runStepsAfterMatch(
  store: Store,
  options: StepsOptions,
  pass: string,
): Promise<StepsResult> {
  const scope = {
    ...(options.assetIds ? { assetIds: options.assetIds } : {}),
    ...(options.vulnerabilityIds ? { vulnerabilityIds: options.vulnerabilityIds } : {}),
  };
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
  const { pass, ...scope } = await startPass(store, options);
  return runStepsAfterMatch(store, withPassScope(options, scope), pass);
}

/**
 * Scores the findings in scope and keeps the `top` highest-risk of those that are open and stay open:
 * no exception in force covers them, which the exceptions step would except. The fleet's fast path
 * (`scoreFleet`) computes every risk from per-vulnerability and per-asset factors and writes only the
 * risks that changed; only the top findings get full contexts and `scoreFinding`'s contributions.
 */
export async function scoreAndRank(store: Store, options: StepsOptions): Promise<ScoredFinding[]> {
  const model = makeForecastLoader(store, {
    now: options.now,
    tolerance: {
      absolute: options.config.model.scores.absoluteTolerance,
      relative: options.config.model.scores.relativeTolerance,
    },
    ...(options.onStep ? { onStep: options.onStep } : {}),
  });
  const fleet = await scoreFleet(store.db, { ...options, model });
  if (fleet.top.length === 0) return [];
  const contexts = await loadFindingContexts(store.db, {
    asOf: options.now,
    findingIds: fleet.top.map((s) => s.finding.id),
    model,
  });
  const weights = options.config.risk.weights;
  const scored = contexts.map((context) => ({ context, score: scoreFinding(context, weights, options.now) }));
  return scored.sort(compareRanked);
}

/** What `scoreFleet` did: findings scored, risks written (changed), and the top list. */
export interface FleetScoreResult {
  scored: number;
  written: number;
  top: FleetScored[];
}

/**
 * Every risk in scope (`FindingScope`: these assets' findings and these vulnerabilities' findings;
 * all when neither is given), a batch of assets at a time: each vulnerability's factors once, each
 * asset's once, per finding only usage and controls; writes the risks that changed.
 */
export async function scoreFleet(
  db: Db,
  options: StepsOptions & { model?: LoadModelProbabilities },
): Promise<FleetScoreResult> {
  const asOf = options.now;
  const weights = options.config.risk.weights;
  const shared = await loadFleetShared(db, asOf);
  const risk = makeFleetRisk({ weights });
  const countControls = makeControlCounter(shared.controls);
  const hasControls = shared.controls.length > 0;
  const top = makeFleetTop(options.top ?? DEFAULT_TOP, shared.exceptions, asOf);
  const vulnerabilities = makeVulnerabilityCache(db, {
    asOf,
    ...(options.model ? { model: options.model } : {}),
  });
  const factors = new Map<string, VulnerabilityFactors>();
  const subjects = new Map<number, FindingRiskSubject>();
  const isChanged = makeRiskChangeTest(db);
  let scored = 0;
  let written = 0;
  for await (const batch of loadScopeBatches(db, options)) {
    const rows = batch.assetIds
      ? await loadFindingRiskRows(db, batch.assetIds)
      : await loadFindingRiskRowsOfSubjects(db, batch.subjectIds);
    const missing = [...new Set(rows.subject)].filter((id) => !subjects.has(id));
    for (const [id, subject] of await loadFindingRiskSubjects(db, missing)) subjects.set(id, subject);
    const vulnerabilityIds = new Set(missing.map((id) => getSubject(subjects, id).vulnerabilityId));
    const known = await vulnerabilities.load([...vulnerabilityIds]);
    for (const id of vulnerabilityIds)
      factors.set(id, getVulnerabilityFactors(known.get(id) as VulnerabilityContext, weights, asOf));
    for (const assetId of rows.assetIds)
      if (!risk.hasAsset(assetId))
        risk.setAsset(getAsset(shared, assetId), await countDrift(db, shared, assetId));
    const usage = batch.assetIds
      ? await loadFindingUsage(db, batch.assetIds)
      : await loadFindingUsageOfSubjects(db, batch.subjectIds);
    const tokens = await loadAssetTokens(db, rows.assetIds);
    const skipped = batch.assetIds ? undefined : batch.skipAssets;
    const changed: FindingRiskWrite[] = [];
    for (let k = 0; k < rows.subject.length; k++) {
      const assetId = rows.assetIds[rows.asset[k] as number] as string;
      // The scope's assets were scored whole already.
      if (skipped?.has(assetId)) continue;
      scored++;
      const subjectId = rows.subject[k] as number;
      const subject = getSubject(subjects, subjectId);
      const v = factors.get(subject.vulnerabilityId) as VulnerabilityFactors;
      const inUse = usage.size ? usage.get(assetId)?.get(subjectId) : undefined;
      const controls = hasControls
        ? countControls(assetId, subject, v.cve, () => toFleetFinding(rows, k, subject, tokens, inUse))
        : 0;
      const r = risk.getRisk(assetId, v, inUse, controls);
      if (isChanged(rows.risk[k] as number, r)) changed.push({ assetId, subjectId, risk: r });
      if (top.mayEnter(r))
        top.add({ finding: toFleetFinding(rows, k, subject, tokens, inUse), risk: r, cve: v.cve });
    }
    await writeFindingRisks(db, changed);
    written += changed.length;
    await pauseForCrashTest('risk-batch');
  }
  return { scored, written, top: top.get() };
}

/** Row `k` as the top list and the exceptions' scope rule see it (its id derived unless stored). */
function toFleetFinding(
  rows: FindingRiskRows,
  k: number,
  subject: FindingRiskSubject,
  tokens: ReadonlyMap<string, number>,
  inUse: boolean | undefined,
): FleetFinding {
  const assetId = rows.assetIds[rows.asset[k] as number] as string;
  return {
    id: rows.ids.get(k) ?? getFindingId(tokens.get(assetId) ?? 0, rows.subject[k] as number),
    assetId,
    vulnerabilityId: subject.vulnerabilityId,
    packageName: subject.packageName,
    open: rows.open[k] === 1,
    inUse,
  };
}

function getSubject(
  subjects: ReadonlyMap<number, FindingRiskSubject>,
  subjectId: number,
): FindingRiskSubject {
  const subject = subjects.get(subjectId);
  if (!subject) throw new Error(`risk: finding subject ${subjectId} not found`);
  return subject;
}

/** What every batch of `scoreFleet` shares, loaded once. */
interface FleetShared {
  assets: Map<string, Asset>;
  exceptions: RiskException[];
  /** Compensating controls of the exceptions in force. */
  controls: RiskException[];
  /** Assets with a baseline snapshot (drift is counted against it). */
  baselines: Set<string>;
}

async function loadFleetShared(db: Db, asOf: Date): Promise<FleetShared> {
  const assets = new Map((await listAssets(db)).map((a) => [a.id, a]));
  const exceptions = await listExceptions(db);
  const active = await listExceptions(db, { activeAt: asOf.toISOString() });
  const baselines = await db
    .selectFrom('asset_snapshots')
    .select('asset_id')
    .where('kind', '=', 'baseline')
    .execute();
  return {
    assets,
    exceptions,
    controls: active.filter((e) => e.compensatingControl),
    baselines: new Set(baselines.map((r) => r.asset_id)),
  };
}

function getAsset(shared: FleetShared, assetId: string): Asset {
  const asset = shared.assets.get(assetId);
  if (!asset) throw new Error(`risk: asset ${assetId} has findings but is not in the store`);
  return asset;
}

/** Packages changed since the asset's baseline; 0 without one. */
async function countDrift(db: Db, shared: FleetShared, assetId: string): Promise<number> {
  if (!shared.baselines.has(assetId)) return 0;
  const d = await loadStoredAssetDrift(db, assetId, 'baseline');
  return d.added.length + d.removed.length + d.changed.length;
}

/** Assets per batch of the fast path: a row is a few numbers, so batches are larger than the contexts'. */
const FLEET_BATCH_ASSETS = 250;

/** Subjects per batch of the incremental path (a batch holds their findings on every asset). */
const FLEET_BATCH_SUBJECTS = 500;

type ScopeBatch =
  | { assetIds: string[] }
  | { assetIds?: undefined; subjectIds: number[]; skipAssets: Set<string> };

/**
 * The batches of a scope: the scope's assets (every asset with findings when the scope is empty), a
 * batch of whole assets at a time; then the findings of the scope's vulnerabilities on the other
 * assets, a batch of subjects at a time.
 */
async function* loadScopeBatches(
  db: Db,
  options: FindingScope & { batchAssets?: number },
): AsyncGenerator<ScopeBatch> {
  const size = Math.max(1, Math.floor(options.batchAssets ?? FLEET_BATCH_ASSETS));
  const whole = options.assetIds
    ? [...new Set(options.assetIds)].sort()
    : options.vulnerabilityIds
      ? []
      : await loadFindingAssetIds(db);
  for (let i = 0; i < whole.length; i += size) yield { assetIds: whole.slice(i, i + size) };
  if (!options.vulnerabilityIds) return;
  const subjectIds = await loadSubjectIdsOf(db, options.vulnerabilityIds);
  const skipAssets = new Set(whole);
  for (let i = 0; i < subjectIds.length; i += FLEET_BATCH_SUBJECTS)
    yield { subjectIds: subjectIds.slice(i, i + FLEET_BATCH_SUBJECTS), skipAssets };
}

/** `compareScored`, then finding id: the total order of the `top` list. */
function compareRanked(a: ScoredFinding, b: ScoredFinding): number {
  const ia = a.context.finding.id;
  const ib = b.context.finding.id;
  return compareScored(a, b) || (ia < ib ? -1 : ia > ib ? 1 : 0);
}
