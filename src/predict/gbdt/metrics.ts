/**
 * Ranking metrics for a binary classifier, all with optional sample weights (e.g. the inverse
 * sampling rate of down-sampled negatives) and exact handling of tied scores.
 */
import { PatchcastError } from '../../core/errors.js';

/** Scores, labels or weights: any numeric array. */
export type Numbers = ArrayLike<number>;

/** Items grouped by distinct score, best score first: weighted positives and negatives per group. */
interface RankGroups {
  scores: Float64Array;
  pos: Float64Array;
  neg: Float64Array;
  totalPos: number;
  totalNeg: number;
}

/** Groups items by distinct score in descending order, summing weights of positives and negatives. */
function rankGroups(scores: Numbers, labels: Numbers, weights?: Numbers): RankGroups {
  checkLengths(scores, labels, weights);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const groupScores: number[] = [];
  const pos: number[] = [];
  const neg: number[] = [];
  let totalPos = 0;
  let totalNeg = 0;
  for (const i of order) {
    const s = scores[i]!;
    const w = weights ? weights[i]! : 1;
    if (groupScores.length === 0 || groupScores[groupScores.length - 1] !== s) {
      groupScores.push(s);
      pos.push(0);
      neg.push(0);
    }
    const g = groupScores.length - 1;
    if (labels[i] === 1) {
      pos[g]! += w;
      totalPos += w;
    } else {
      neg[g]! += w;
      totalNeg += w;
    }
  }
  return {
    scores: Float64Array.from(groupScores),
    pos: Float64Array.from(pos),
    neg: Float64Array.from(neg),
    totalPos,
    totalNeg,
  };
}

function checkLengths(scores: Numbers, labels: Numbers, weights?: Numbers): void {
  if (labels.length !== scores.length || (weights && weights.length !== scores.length)) {
    throw new PatchcastError(
      'INPUT_INVALID',
      `scores (${scores.length}), labels (${labels.length}) and weights (${weights?.length ?? 'none'}) differ in length`,
    );
  }
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i]!)) throw new PatchcastError('INPUT_INVALID', `scores: item ${i} is NaN`);
  }
}

/**
 * Average precision, as scikit-learn's `average_precision_score`: Σₙ (Rₙ − Rₙ₋₁)·Pₙ over the
 * distinct score thresholds, best first (a step function, no interpolation). NaN without positives.
 */
export function averagePrecision(scores: Numbers, labels: Numbers, weights?: Numbers): number {
  const g = rankGroups(scores, labels, weights);
  if (!(g.totalPos > 0)) return Number.NaN;
  let tp = 0;
  let fp = 0;
  let recall = 0;
  let ap = 0;
  for (let k = 0; k < g.scores.length; k++) {
    tp += g.pos[k]!;
    fp += g.neg[k]!;
    if (tp + fp <= 0) continue;
    const next = tp / g.totalPos;
    ap += (next - recall) * (tp / (tp + fp));
    recall = next;
  }
  return ap;
}

/**
 * Area under the ROC curve: the weighted probability that a positive outranks a negative, a tie
 * counting one half (the trapezoid rule on the ROC curve). NaN unless both classes are present.
 */
export function rocAuc(scores: Numbers, labels: Numbers, weights?: Numbers): number {
  const g = rankGroups(scores, labels, weights);
  if (!(g.totalPos > 0 && g.totalNeg > 0)) return Number.NaN;
  let above = 0;
  let area = 0;
  for (let k = 0; k < g.scores.length; k++) {
    area += g.neg[k]! * (above + g.pos[k]! / 2);
    above += g.pos[k]!;
  }
  return area / (g.totalPos * g.totalNeg);
}

/** Coverage and efficiency when flagging the top `effort` share of items. */
export interface EffortResult {
  /** Share of the (weighted) positives that are flagged: recall. */
  coverage: number;
  /** Share of the flagged (weight) that is positive: precision. */
  efficiency: number;
  /** Weight flagged (`effort` × total weight). */
  flagged: number;
  /** Lowest score flagged. */
  threshold: number;
}

/**
 * FIRST's coverage/efficiency (the EPSS papers' terms) at an effort level: flag the highest-scored
 * `effort` share of items (by weight). Items tied at the cut are flagged in part, so the result is
 * the expectation over random tie-breaking and does not depend on input order.
 */
export function coverageEfficiencyAtEffort(
  scores: Numbers,
  labels: Numbers,
  effort: number,
  weights?: Numbers,
): EffortResult {
  if (!(effort >= 0 && effort <= 1)) {
    throw new PatchcastError('INPUT_INVALID', `effort must be a share in [0, 1], got ${effort}`);
  }
  const g = rankGroups(scores, labels, weights);
  const target = effort * (g.totalPos + g.totalNeg);
  let flagged = 0;
  let tp = 0;
  let threshold = Number.POSITIVE_INFINITY;
  for (let k = 0; k < g.scores.length && flagged < target; k++) {
    const groupWeight = g.pos[k]! + g.neg[k]!;
    if (groupWeight <= 0) continue;
    const share = Math.min(1, (target - flagged) / groupWeight);
    tp += share * g.pos[k]!;
    flagged += share * groupWeight;
    threshold = g.scores[k]!;
  }
  return {
    coverage: g.totalPos > 0 ? tp / g.totalPos : Number.NaN,
    efficiency: flagged > 0 ? tp / flagged : Number.NaN,
    flagged,
    threshold,
  };
}
