/**
 * Scores the store's findings a batch of assets at a time: gathers their contexts (finding-contexts.ts), asks
 * the exploit forecast once per CVE when one is given, scores each finding (score/), and writes
 * `findings.risk` batch by batch.
 */

import { type RiskWeights, scoreFinding } from '../../risk/score/index.js';
import type { FindingContext, RiskScore } from '../../risk/types.js';
import { type Store, updateFindingRisks } from '../../store/index.js';
import {
  type LoadContextOptions,
  type LoadModelProbabilities,
  loadFindingContextBatches,
  type ModelProbabilities,
} from './finding-contexts.js';

export { loadModelProbabilities } from '../../risk/model-probabilities.js';

/** A finding with its context and score. */
export interface ScoredFinding {
  context: FindingContext;
  score: RiskScore;
}

/** Which scored findings `scoreFindings` returns: the `top` highest-risk of those passing `where`. */
export interface KeepScored {
  top: number;
  where?: (scored: ScoredFinding) => boolean;
}

/** Options of `scoreFindings`. */
export interface ScoreFindingsOptions {
  asOf: Date;
  weights: RiskWeights;
  /** Only findings on these assets / these findings (the others keep their stored risk). */
  assetIds?: readonly string[];
  findingIds?: readonly string[];
  /**
   * The exploit model's probabilities (the store's forecast: `makeForecastLoader` in
   * src/services/model/exploit-forecast.ts). Without it EPSS and the CVSS prior are used.
   */
  model?: ModelProbabilities | LoadModelProbabilities;
  /** Write `findings.risk` (default true). */
  write?: boolean;
  /**
   * Return only the `top` highest-risk findings that pass `where`, so memory stays bounded on a whole
   * fleet; default: every scored finding (for small scopes and listings).
   */
  keep?: KeepScored;
  /** Assets per batch (default: the store's `FINDING_BATCH_ASSETS`). */
  batchAssets?: number;
  /** Called after each batch's risk is written (the pipeline's crash-safety tests stop there). */
  afterBatch?: () => Promise<void>;
}

/**
 * Scores findings as of a day, writes their risk, and returns them highest risk first (all, or the
 * few `keep` asks for). Each vulnerability's facts and model probability are loaded once, whatever
 * the number of batches.
 */
export async function scoreFindings(
  store: Pick<Store, 'db'>,
  options: ScoreFindingsOptions,
): Promise<ScoredFinding[]> {
  const base: LoadContextOptions = { asOf: options.asOf };
  if (options.assetIds) base.assetIds = options.assetIds;
  if (options.findingIds) base.findingIds = options.findingIds;
  if (options.batchAssets !== undefined) base.batchAssets = options.batchAssets;
  if (options.model) base.model = options.model;
  const kept = makeKept(options.keep);
  for await (const contexts of loadFindingContextBatches(store.db, base)) {
    const scored = contexts.map((context) => ({
      context,
      score: scoreFinding(context, options.weights, options.asOf),
    }));
    if (options.write !== false)
      await updateFindingRisks(
        store.db,
        scored.map((s) => ({ id: s.context.finding.id, risk: s.score.risk })),
      );
    kept.add(scored);
    await options.afterBatch?.();
  }
  return kept.get();
}

/** Every scored finding, or a bounded top list: at most `top` are held between batches. */
function makeKept(keep: KeepScored | undefined) {
  const kept: ScoredFinding[] = [];
  return {
    add(scored: readonly ScoredFinding[]): void {
      for (const s of scored) {
        if (!keep) kept.push(s);
        else if (isKept(s, kept, keep)) insertRanked(kept, s, keep.top);
      }
    },
    get: (): ScoredFinding[] => (keep ? kept : kept.sort(compareRanked)),
  };
}

/** Whether `s` earns a place in the ranked list `kept` (cheap test first: most findings rank below it). */
function isKept(s: ScoredFinding, kept: readonly ScoredFinding[], keep: KeepScored): boolean {
  const last = kept.at(-1);
  if (kept.length >= keep.top && (!last || compareRanked(s, last) >= 0)) return false;
  return !keep.where || keep.where(s);
}

function insertRanked(kept: ScoredFinding[], s: ScoredFinding, top: number): void {
  let lo = 0;
  let hi = kept.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareRanked(kept[mid] as ScoredFinding, s) <= 0) lo = mid + 1;
    else hi = mid;
  }
  kept.splice(lo, 0, s);
  if (kept.length > top) kept.pop();
}

/** Highest risk first; ties by asset, then vulnerability, then package, so the order is stable. */
export function compareScored(a: ScoredFinding, b: ScoredFinding): number {
  const fa = a.context.finding;
  const fb = b.context.finding;
  return (
    b.score.risk - a.score.risk ||
    fa.assetId.localeCompare(fb.assetId) ||
    fa.vulnerabilityId.localeCompare(fb.vulnerabilityId) ||
    fa.packageName.localeCompare(fb.packageName)
  );
}

/** `compareScored`, then finding id: a total order, whatever order the batches came in. */
function compareRanked(a: ScoredFinding, b: ScoredFinding): number {
  const ia = a.context.finding.id;
  const ib = b.context.finding.id;
  return compareScored(a, b) || (ia < ib ? -1 : ia > ib ? 1 : 0);
}

/** Sets the model's probability on each context whose CVE it scored. */
export function applyModel(contexts: readonly FindingContext[], model: ModelProbabilities): void {
  for (const { vulnerability } of contexts) {
    const p = vulnerability.cve === undefined ? undefined : model.probabilities.get(vulnerability.cve);
    if (p === undefined) continue;
    vulnerability.modelProbability = p;
    vulnerability.modelHorizonDays = model.horizonDays;
    if (model.asOf) vulnerability.modelAsOf = model.asOf;
  }
}

/** A row of the "first to patch" list: the evidence columns responders check, with risk and SSVC. */
export interface RiskRankedFinding {
  findingId: string;
  assetId: string;
  packageName: string;
  installedVersion: string;
  vulnerabilityId: string;
  cve: string | null;
  targetVersion: string | null;
  risk: number;
  ssvc: RiskScore['ssvc']['decision'];
  kev: boolean;
  ransomware: boolean;
  exploitSources: string[];
  epss: number | null;
  /** The exploit probability the risk used, its source, and EPSS beside it. */
  exploit: RiskScore['exploit'];
  cvss: number | null;
  /** The largest contributions, in words with their values. */
  why: RiskScore['contributions'];
}

/** The open findings of a scored list, highest risk first, as rows for people. */
export function getRiskRanked(
  scored: readonly ScoredFinding[],
  limit: number,
  topReasons = 3,
): RiskRankedFinding[] {
  return scored
    .filter((s) => s.context.finding.status === 'open')
    .slice(0, limit)
    .map(({ context: { finding: f, vulnerability: v }, score }) => ({
      findingId: f.id,
      assetId: f.assetId,
      packageName: f.packageName,
      installedVersion: f.installedVersion,
      vulnerabilityId: f.vulnerabilityId,
      cve: v.cve ?? null,
      targetVersion: f.targetVersion ?? null,
      risk: score.risk,
      ssvc: score.ssvc.decision,
      kev: v.kev !== undefined,
      ransomware: v.kev?.ransomware === true,
      exploitSources: [...new Set(v.exploitSignals.map((s) => s.source).filter((s) => s !== 'cisa-kev'))],
      epss: v.epss?.score ?? null,
      exploit: score.exploit,
      cvss: v.cvssScore ?? null,
      why: score.contributions.slice(0, topReasons),
    }));
}
