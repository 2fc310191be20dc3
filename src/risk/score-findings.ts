/**
 * Scores the store's findings: gathers their contexts (context.ts), asks the exploit model when a
 * data directory is at hand, scores each finding (score/), and writes `findings.risk`.
 */
import { existsSync } from 'node:fs';
import { getPopulation } from '../predict/features/index.js';
import {
  EXPLOIT_MODEL_KIND,
  type ExploitModelArtifact,
  fromDay,
  loadExploitModel,
  loadHistory,
  makeAsOfContext,
  parseExploitModel,
  scoreAsOf,
  toDay,
} from '../predict/index.js';
import {
  type Db,
  loadActiveModel,
  loadNewestEpssDate,
  type Store,
  updateFindingRisks,
} from '../store/index.js';
import { type LoadContextOptions, loadFindingContexts } from './context.js';
import { type RiskWeights, scoreFinding } from './score/index.js';
import type { FindingContext, RiskScore } from './types.js';

/** A finding with its context and score. */
export interface ScoredFinding {
  context: FindingContext;
  score: RiskScore;
}

/** Options of `scoreFindings`. */
export interface ScoreFindingsOptions {
  asOf: Date;
  weights: RiskWeights;
  /** Only findings on these assets / these findings (the others keep their stored risk). */
  assetIds?: readonly string[];
  findingIds?: readonly string[];
  /**
   * A directory in the ../shared/data layout for the exploit model (e.g. the bundled snapshot). Without
   * one, or when the store's EPSS is newer than that data, EPSS and the CVSS prior are used.
   */
  modelDataDir?: string;
  /** Model file (default: the store's current exploit model, else the model shipped with patchcast). */
  modelPath?: string;
  /** Write `findings.risk` (default true). */
  write?: boolean;
}

/** Scores findings as of a day, writes their risk, and returns them highest risk first. */
export async function scoreFindings(
  store: Pick<Store, 'db'>,
  options: ScoreFindingsOptions,
): Promise<ScoredFinding[]> {
  const base: LoadContextOptions = { asOf: options.asOf };
  if (options.assetIds) base.assetIds = options.assetIds;
  if (options.findingIds) base.findingIds = options.findingIds;
  const contexts = await loadFindingContexts(store.db, base);
  const model = await loadModelFor(store.db, contexts, options);
  if (model) applyModel(contexts, model);
  const scored = contexts.map((context) => ({
    context,
    score: scoreFinding(context, options.weights, options.asOf),
  }));
  scored.sort(compareScored);
  if (options.write !== false)
    await updateFindingRisks(
      store.db,
      scored.map((s) => ({ id: s.context.finding.id, risk: s.score.risk })),
    );
  return scored;
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

/** Sets the model's probability on each context whose CVE it scored. */
export function applyModel(
  contexts: readonly FindingContext[],
  model: NonNullable<LoadContextOptions['model']>,
): void {
  for (const { vulnerability } of contexts) {
    const p = vulnerability.cve === undefined ? undefined : model.probabilities.get(vulnerability.cve);
    if (p === undefined) continue;
    vulnerability.modelProbability = p;
    vulnerability.modelHorizonDays = model.horizonDays;
  }
}

async function loadModelFor(
  db: Db,
  contexts: readonly FindingContext[],
  options: ScoreFindingsOptions,
): Promise<LoadContextOptions['model']> {
  if (!options.modelDataDir || !existsSync(options.modelDataDir)) return undefined;
  const cves = [...new Set(contexts.flatMap((c) => (c.vulnerability.cve ? [c.vulnerability.cve] : [])))];
  if (cves.length === 0) return undefined;
  // The store's current model (promoted by `patchcast model retrain`) unless a file is named.
  const stored = options.modelPath ? undefined : await loadActiveModel(db, EXPLOIT_MODEL_KIND);
  const artifact = stored
    ? parseExploitModel(stored.artifact, `stored model ${stored.id}`)
    : loadExploitModel(options.modelPath);
  const model = await loadModelProbabilities(options.modelDataDir, cves, options.asOf, artifact);
  // Fresher evidence wins: a store synced past the model's data scores from its own EPSS.
  const newestEpss = await loadNewestEpssDate(db);
  if (newestEpss && newestEpss.slice(0, 10) > model.dataUntil) return undefined;
  return model;
}

/**
 * The exploit model's probability (a CISA KEV listing within its horizon) for each of `cves` that is
 * in its population on the scoring day: published and not yet in KEV. The model reads a directory in
 * the ../shared/data layout; the day is the scoring day, or the day after that data ends if earlier.
 */
export async function loadModelProbabilities(
  dataDir: string,
  cves: readonly string[],
  asOf: Date,
  model?: string | ExploitModelArtifact,
): Promise<{ probabilities: Map<string, number>; horizonDays: number; dataUntil: string }> {
  const artifact = typeof model === 'object' ? model : loadExploitModel(model);
  const history = await loadHistory(dataDir);
  const day = Math.min(toDay(asOf.toISOString()), history.lastDay + 1);
  const population = new Set(getPopulation(history, makeAsOfContext(history, day)));
  const indices = cves.map((c) => history.indexOf.get(c)).filter((i) => i !== undefined && population.has(i));
  const probabilities = new Map<string, number>();
  if (indices.length > 0) {
    const scores = scoreAsOf(history, artifact, day, Int32Array.from(indices as number[]));
    scores.cves.forEach((cve, k) => {
      probabilities.set(history.ids[cve] ?? '', scores.probabilities[k] ?? 0);
    });
  }
  return { probabilities, horizonDays: artifact.horizonDays, dataUntil: fromDay(history.lastDay) };
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
      cvss: v.cvssScore ?? null,
      why: score.contributions.slice(0, topReasons),
    }));
}
