import { computeMetrics, type Metrics } from './backtest.js';
import { getMonthlyAsOfDays, type SampledRows, sampleRows } from './dataset.js';
import {
  type ExploitModelArtifact,
  scoreAsOf,
  type TrainExploitModelOptions,
  trainExploitModel,
} from './exploit-model.js';
import { getLabels } from './features/index.js';
import { fromDay, type History, toDay } from './history/index.js';

/** When a challenger replaces the current model (both compared on the same pooled windows). */
export interface PromotionRule {
  /** Pooled AUPRC must reach the current model's plus this (0: a tie goes to the fresher model). */
  minAuprcGain: number;
  /** Pooled ECE may exceed the current model's by at most this. */
  maxEceIncrease: number;
  /** Fewer pooled KEV additions than this cannot tell the models apart: the current model stays. */
  minPositives: number;
}

export const DEFAULT_PROMOTION_RULE: PromotionRule = {
  minAuprcGain: 0,
  maxEceIncrease: 0.01,
  minPositives: 10,
};

/** The outcome of the rule, with the rule and the reason in words (stored and audited). */
export interface PromotionDecision {
  promote: boolean;
  rule: string;
  reason: string;
}

/** How the current model was evaluated on a window. */
export type CurrentMode = 'frozen' | 'refit';

/** One evaluation window: as-of day T_i with labels in (T_i, T_i + H], all known at the retrain day. */
export interface ChallengeWindow {
  asOf: string;
  population: number;
  positives: number;
  /**
   * `frozen`: the current artifact as it is (trained until ≤ T_i, so out of sample); `refit`: it had
   * seen this window's labels, so its recipe (parameters, horizon, EPSS flag) is refitted as of T_i.
   */
  currentMode: CurrentMode;
  challenger: Metrics;
  current: Metrics;
}

/** What `challengeExploitModel` returns: the challenger trained as of the day and its comparison. */
export interface ChallengeResult {
  asOf: string;
  horizonDays: number;
  challenger: ExploitModelArtifact;
  windows: ChallengeWindow[];
  pooled: { population: number; positives: number; challenger: Metrics; current: Metrics };
  decision: PromotionDecision;
}

/** Trains a model (the default is `trainExploitModel`; tests pass deliberately worse trainers). */
export type ExploitTrainer = (history: History, options: TrainExploitModelOptions) => ExploitModelArtifact;

/** Options for `challengeExploitModel`. */
export interface ChallengeOptions {
  /** The retrain day T: information dated ≤ T only. */
  asOf: number;
  current: ExploitModelArtifact;
  /** How many of the latest monthly windows whose horizon ended by T (default 3). */
  windows?: number;
  rule?: PromotionRule;
  /** Training options for the challenger (horizon and EPSS default to the current model's). */
  train?: Partial<Omit<TrainExploitModelOptions, 'asOf' | 'rows'>>;
  trainChallenger?: ExploitTrainer;
  onStep?: (text: string) => void;
}

/** The latest `count` monthly as-of days T_i with T_i + horizon ≤ asOf (labels known at asOf). */
export function getEvaluationDays(
  asOf: number,
  horizon: number,
  count: number,
  from = '2022-01-01',
): number[] {
  return getMonthlyAsOfDays(from, asOf, horizon).slice(-count);
}

/**
 * Champion/challenger as of T. The challenger is trained on everything dated ≤ T. Its own labels
 * cover every window whose horizon has ended, so it is judged through its recipe: for each window
 * T_i a model trained as of T_i (same options) is scored on the population at T_i. The current
 * model is scored as it is where it was trained until ≤ T_i, else its recipe is refitted as of T_i;
 * no model ever sees the labels it is scored on. Pooled metrics over the windows decide.
 */
export function challengeExploitModel(history: History, options: ChallengeOptions): ChallengeResult {
  const { current } = options;
  const train: TrainExploitModelOptions = {
    horizon: current.horizonDays,
    epss: current.epss,
    ...options.train,
    asOf: options.asOf,
  };
  const trainer = options.trainChallenger ?? trainExploitModel;
  const rows = sampleRows(history, {
    asOfDays: getMonthlyAsOfDays(train.from ?? '2022-01-01', options.asOf, train.horizon),
    horizon: train.horizon,
    negativeRate: train.negativeRate ?? 0.01,
    seed: train.seed ?? 1,
  });
  const days = getEvaluationDays(options.asOf, train.horizon, options.windows ?? 3, train.from);
  const windows = days.map((day) => {
    options.onStep?.(`window ${fromDay(day)}: training the challenger and the current model as of it`);
    return evaluateWindow(history, day, { train, rows, trainer, current });
  });
  options.onStep?.(`training the challenger as of ${fromDay(options.asOf)}`);
  const challenger = trainer(history, { ...train, rows });
  const pooled = poolWindows(windows.map((w) => w.scores));
  return {
    asOf: fromDay(options.asOf),
    horizonDays: train.horizon,
    challenger,
    windows: windows.map((w) => w.window),
    pooled,
    decision: decidePromotion(pooled, options.rule ?? DEFAULT_PROMOTION_RULE, windows.length),
  };
}

interface WindowScores {
  labels: Uint8Array;
  challenger: Float64Array;
  current: Float64Array;
}

function evaluateWindow(
  history: History,
  day: number,
  context: {
    train: TrainExploitModelOptions;
    rows: SampledRows;
    trainer: ExploitTrainer;
    current: ExploitModelArtifact;
  },
): { window: ChallengeWindow; scores: WindowScores } {
  const { train, rows, trainer, current } = context;
  // Window models are only compared on ranking: no EPSS scale (the challenger gets one).
  const challengerAt = trainer(history, { ...train, asOf: day, rows, epssScale: false });
  const trainedUntil = toDay(current.card?.trainedUntil ?? '');
  const currentMode: CurrentMode = trainedUntil <= day ? 'frozen' : 'refit';
  const currentAt = currentMode === 'frozen' ? current : refitCurrent(history, current, day, train, rows);
  const challengerScores = scoreAsOf(history, challengerAt, day);
  const currentScores = scoreAsOf(history, currentAt, day, challengerScores.cves);
  const allLabels = getLabels(history, day, train.horizon);
  const labels = Uint8Array.from(challengerScores.cves, (cve) => allLabels[cve] ?? 0);
  return {
    window: {
      asOf: fromDay(day),
      population: labels.length,
      positives: countOnes(labels),
      currentMode,
      challenger: computeMetrics(labels, challengerScores.probabilities, true),
      current: computeMetrics(labels, currentScores.probabilities, true),
    },
    scores: { labels, challenger: challengerScores.probabilities, current: currentScores.probabilities },
  };
}

/** The current model's recipe as of an earlier day: its chosen parameters and tree count, no search. */
function refitCurrent(
  history: History,
  current: ExploitModelArtifact,
  day: number,
  train: TrainExploitModelOptions,
  rows: SampledRows,
): ExploitModelArtifact {
  const params = current.card.params;
  return trainExploitModel(history, {
    ...train,
    asOf: day,
    horizon: current.horizonDays,
    epss: current.epss,
    rows,
    paramGrid: [{ ...params, earlyStoppingRounds: undefined }],
    epssScale: false,
  });
}

function poolWindows(windows: WindowScores[]): ChallengeResult['pooled'] {
  const labels: number[] = [];
  const challenger: number[] = [];
  const current: number[] = [];
  for (const w of windows) {
    for (let i = 0; i < w.labels.length; i++) {
      labels.push(w.labels[i] ?? 0);
      challenger.push(w.challenger[i] ?? 0);
      current.push(w.current[i] ?? 0);
    }
  }
  return {
    population: labels.length,
    positives: countOnes(labels),
    challenger: computeMetrics(labels, challenger, true),
    current: computeMetrics(labels, current, true),
  };
}

/**
 * The promotion rule: pooled AUPRC ≥ current + minAuprcGain and pooled ECE ≤ current +
 * maxEceIncrease. With fewer than minPositives KEV additions in the windows (at least one) nothing
 * can be judged and the current model stays.
 */
export function decidePromotion(
  pooled: Pick<ChallengeResult['pooled'], 'positives' | 'challenger' | 'current'>,
  rule: PromotionRule,
  windows: number,
): PromotionDecision {
  const text = `pooled over ${windows} windows with ≥ ${rule.minPositives} KEV additions: AUPRC(challenger) ≥ AUPRC(current) + ${rule.minAuprcGain} and ECE(challenger) ≤ ECE(current) + ${rule.maxEceIncrease}`;
  const ap = { ch: pooled.challenger.averagePrecision, cur: pooled.current.averagePrecision };
  const ece = { ch: pooled.challenger.ece ?? Number.NaN, cur: pooled.current.ece ?? Number.NaN };
  const figures = `AUPRC ${fmt(ap.ch)} vs ${fmt(ap.cur)}, ECE ${fmt(ece.ch)} vs ${fmt(ece.cur)}`;
  if (!(pooled.positives >= Math.max(1, rule.minPositives)) || Number.isNaN(ap.ch) || Number.isNaN(ap.cur))
    return {
      promote: false,
      rule: text,
      reason: `${pooled.positives} KEV additions in the windows, fewer than ${rule.minPositives}: too few to judge by`,
    };
  if (!(ap.ch >= ap.cur + rule.minAuprcGain))
    return { promote: false, rule: text, reason: `challenger ranks worse: ${figures}` };
  if (!(ece.ch <= ece.cur + rule.maxEceIncrease))
    return { promote: false, rule: text, reason: `challenger is worse calibrated: ${figures}` };
  return { promote: true, rule: text, reason: `challenger is not worse: ${figures}` };
}

function fmt(value: number): string {
  return Number.isFinite(value) ? value.toFixed(4) : 'n/a';
}

function countOnes(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) n += values[i] ? 1 : 0;
  return n;
}
