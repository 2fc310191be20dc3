/**
 * The two model kinds the reliability prior can use — gradient-boosted trees or logistic
 * regression — behind one interface: fit, predict a probability, explain a row in log-odds.
 */
import {
  explainRow,
  type FeatureRow,
  type GbdtModel,
  type GbdtParams,
  predictProba,
  type TrainingSet,
  trainGbdt,
} from '../gbdt/index.js';
import { explainLogistic, fitLogistic, type LogisticModel, predictLogistic } from './logistic.js';

/** A fitted model of either kind; plain JSON. */
export type ReliabilityScorer = GbdtModel | LogisticModel;

/** What to fit: a tree ensemble with its parameters, or a logistic regression with its penalty. */
export type ScorerSpec = (
  | { name: string; kind: 'gbdt'; params: GbdtParams }
  | { name: string; kind: 'logistic'; lambda: number }
) & {
  /** Train only on advisories from this day on (ISO date); all earlier ones when absent. */
  trainFrom?: string;
};

/** Trees for ≈ 6k rows with ≈ 3 % positives: shallow, heavily regularised, early-stopped. */
const BASE_GBDT: GbdtParams = {
  rounds: 400,
  learningRate: 0.03,
  maxDepth: 3,
  minChildWeight: 1,
  lambda: 5,
  maxBins: 64,
  subsample: 0.8,
  colsample: 0.8,
  seed: 7,
};

/** Tree counts compared for every tree candidate (a model truncated to its first k trees). */
export const ROUND_GRID = [25, 50, 100, 200, 300, 400] as const;

/** The candidates compared on the validation years. */
export const CANDIDATES: readonly ScorerSpec[] = [
  { name: 'gbdt-d2', kind: 'gbdt', params: { ...BASE_GBDT, maxDepth: 2 } },
  { name: 'gbdt-d3', kind: 'gbdt', params: BASE_GBDT },
  { name: 'gbdt-d4', kind: 'gbdt', params: { ...BASE_GBDT, maxDepth: 4, minChildWeight: 3 } },
  { name: 'gbdt-d2-from2014', kind: 'gbdt', params: { ...BASE_GBDT, maxDepth: 2 }, trainFrom: '2014-01-01' },
  { name: 'gbdt-d3-from2014', kind: 'gbdt', params: BASE_GBDT, trainFrom: '2014-01-01' },
  {
    name: 'gbdt-d4-from2014',
    kind: 'gbdt',
    params: { ...BASE_GBDT, maxDepth: 4, minChildWeight: 3 },
    trainFrom: '2014-01-01',
  },
  { name: 'logistic-l1', kind: 'logistic', lambda: 1 },
  { name: 'logistic-l10', kind: 'logistic', lambda: 10 },
  { name: 'logistic-l100', kind: 'logistic', lambda: 100 },
  { name: 'logistic-l10-from2014', kind: 'logistic', lambda: 10, trainFrom: '2014-01-01' },
  { name: 'logistic-l100-from2014', kind: 'logistic', lambda: 100, trainFrom: '2014-01-01' },
];

/** A fitted scorer and, for trees, the number of rounds kept. */
export interface FittedScorer {
  scorer: ReliabilityScorer;
  rounds?: number;
}

/** Fits a candidate; `rounds` overrides the number of trees. */
export function fitScorer(spec: ScorerSpec, train: TrainingSet, rounds?: number): FittedScorer {
  if (spec.kind === 'logistic') return { scorer: fitLogistic(train, spec.lambda) };
  const result = trainGbdt(train, rounds ? { ...spec.params, rounds } : spec.params);
  return { scorer: result.model, rounds: result.bestRound };
}

/** The first `rounds` trees of a tree model (a logistic model as it is). */
export function truncateScorer(scorer: ReliabilityScorer, rounds: number | null): ReliabilityScorer {
  if (scorer.kind === 'logistic' || rounds === null) return scorer;
  return { ...scorer, trees: scorer.trees.slice(0, rounds) };
}

/** The model's (uncalibrated) probability for one feature row. */
export function predictScorer(scorer: ReliabilityScorer, x: FeatureRow): number {
  return scorer.kind === 'logistic' ? predictLogistic(scorer, x) : predictProba(scorer, x);
}

/** Probabilities for rows `indices` of a row-major matrix. */
export function predictRows(
  scorer: ReliabilityScorer,
  features: Float64Array,
  width: number,
  indices: readonly number[],
): Float64Array {
  return Float64Array.from(indices, (i) =>
    predictScorer(scorer, features.subarray(i * width, (i + 1) * width)),
  );
}

/**
 * Per-feature contributions to the log-odds: TreeSHAP for trees, coefficient × standardised value
 * for the logistic model (both relative to the model's base score).
 */
export function explainScorer(scorer: ReliabilityScorer, x: FeatureRow): number[] {
  if (scorer.kind === 'logistic') return explainLogistic(scorer, x);
  return [...explainRow(scorer, x).contributions];
}
