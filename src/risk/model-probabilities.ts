/**
 * The exploit model's probabilities for scoring: loaded once (0.7 s for the bundled snapshot), then
 * asked about each CVE once as batches of findings bring them.
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
import { type Db, loadActiveModel, loadNewestEpssDate } from '../store/index.js';
import type { LoadModelProbabilities } from './vulnerability-context.js';

/** The exploit model on one day: `score` gives the probability of each CVE in its population. */
export interface ExploitScorer {
  score(cves: readonly string[]): Map<string, number>;
  horizonDays: number;
  /** The last day of the model's data (`YYYY-MM-DD`). */
  dataUntil: string;
}

/** Where `makeModelLoader` finds the model and its data. */
export interface ModelSourceOptions {
  asOf: Date;
  /** A directory in the ../shared/data layout; without one (or a missing one) there is no model. */
  modelDataDir?: string;
  /** Model file (default: the store's current exploit model, else the model shipped with patchcast). */
  modelPath?: string;
}

/**
 * The model as scoring asks it: nothing is loaded until some CVE is asked about, and nothing is
 * returned when the store's EPSS is newer than the model's data (fresher evidence wins).
 */
export function makeModelLoader(db: Db, options: ModelSourceOptions): LoadModelProbabilities | undefined {
  const dataDir = options.modelDataDir;
  if (!dataDir || !existsSync(dataDir)) return undefined;
  let scorer: Promise<ExploitScorer | undefined> | undefined;
  return async (cves) => {
    if (cves.length === 0) return undefined;
    scorer ??= loadScorerFor(db, dataDir, options);
    const loaded = await scorer;
    return loaded && { probabilities: loaded.score(cves), horizonDays: loaded.horizonDays };
  };
}

async function loadScorerFor(
  db: Db,
  dataDir: string,
  options: ModelSourceOptions,
): Promise<ExploitScorer | undefined> {
  // The store's current model (promoted by `patchcast model retrain`) unless a file is named.
  const stored = options.modelPath ? undefined : await loadActiveModel(db, EXPLOIT_MODEL_KIND);
  const artifact = stored
    ? parseExploitModel(stored.artifact, `stored model ${stored.id}`)
    : loadExploitModel(options.modelPath);
  const scorer = await loadExploitScorer(dataDir, options.asOf, artifact);
  const newestEpss = await loadNewestEpssDate(db);
  if (newestEpss && newestEpss.slice(0, 10) > scorer.dataUntil) return undefined;
  return scorer;
}

/**
 * The exploit model (a CISA KEV listing within its horizon) on the scoring day, or the day after its
 * data (a directory in the ../shared/data layout) ends if earlier. It scores the CVEs in its
 * population on that day: published and not yet in KEV.
 */
export async function loadExploitScorer(
  dataDir: string,
  asOf: Date,
  model?: string | ExploitModelArtifact,
): Promise<ExploitScorer> {
  const artifact = typeof model === 'object' ? model : loadExploitModel(model);
  const history = await loadHistory(dataDir);
  const day = Math.min(toDay(asOf.toISOString()), history.lastDay + 1);
  const population = new Set(getPopulation(history, makeAsOfContext(history, day)));
  const score = (cves: readonly string[]) => {
    const indices = cves
      .map((c) => history.indexOf.get(c))
      .filter((i) => i !== undefined && population.has(i));
    const probabilities = new Map<string, number>();
    if (indices.length === 0) return probabilities;
    const scores = scoreAsOf(history, artifact, day, Int32Array.from(indices as number[]));
    scores.cves.forEach((cve, k) => {
      probabilities.set(history.ids[cve] ?? '', scores.probabilities[k] ?? 0);
    });
    return probabilities;
  };
  return { score, horizonDays: artifact.horizonDays, dataUntil: fromDay(history.lastDay) };
}

/** The exploit model's probability for each of `cves` in its population on the scoring day (see `loadExploitScorer`). */
export async function loadModelProbabilities(
  dataDir: string,
  cves: readonly string[],
  asOf: Date,
  model?: string | ExploitModelArtifact,
): Promise<{ probabilities: Map<string, number>; horizonDays: number; dataUntil: string }> {
  const scorer = await loadExploitScorer(dataDir, asOf, model);
  return { probabilities: scorer.score(cves), horizonDays: scorer.horizonDays, dataUntil: scorer.dataUntil };
}
