/**
 * The exploit model scored on a data directory (the ../shared/data layout), for scripts and
 * experiments. Risk scoring uses the store's forecast instead (src/services/model/exploit-forecast.ts).
 */
import { getPopulation } from '../predict/features/index.js';
import {
  type ExploitModelArtifact,
  fromDay,
  loadExploitModel,
  loadHistory,
  makeAsOfContext,
  scoreAsOf,
  toDay,
} from '../predict/index.js';

/** The exploit model on one day: `score` gives the probability of each CVE in its population. */
export interface ExploitScorer {
  score(cves: readonly string[]): Map<string, number>;
  horizonDays: number;
  /** The last day of the model's data (`YYYY-MM-DD`). */
  dataUntil: string;
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
