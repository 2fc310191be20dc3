/** Exploit forecasting: dated history, as-of features, training, calibration, explanations, backtests. */
export {
  type BacktestOptions,
  type BacktestPoint,
  type BacktestResult,
  type Metrics,
  runBacktest,
} from './backtest.js';
export { getBacktestRows, renderBacktestHtml } from './backtest-report.js';
export { BASELINES, type Baseline } from './baselines.js';
export {
  type CardBacktest,
  type CardMetrics,
  getCardBacktest,
  getCardBacktestRows,
} from './card-backtest.js';
export {
  buildTrainingSet,
  type DatasetOptions,
  getMonthlyAsOfDays,
  type SampledRows,
  sampleRows,
} from './dataset.js';
export {
  type EpssScaleKnots,
  MIN_EPSS_SCALE_POPULATION,
  makeEpssScale,
  mapOntoEpssScale,
} from './epss-scale.js';
export { describeFactor, type Explained, explainCve, type Factor } from './explain.js';
export {
  DEFAULT_PARAMS,
  type EpssScale,
  type ExploitModelArtifact,
  fitEpssScale,
  getEpssScaleOf,
  PARAM_GRID,
  type Scores,
  scoreAsOf,
  type TrainExploitModelOptions,
  trainExploitModel,
} from './exploit-model.js';
export {
  type FeatureGroup,
  featuresAsOf,
  featuresAsOfBatch,
  makeAsOfContext,
  SNAPSHOT_GROUPS,
} from './features/index.js';
export { fromDay, type History, loadHistory, toDay } from './history/index.js';
export { assertEpssForTraining, assertLabelsKnown, getCutoffDay, getDaysWithEpss } from './label-window.js';
export { KNOWN_LIMITS, type ModelCard } from './model-card.js';
export {
  EXPLOIT_MODEL_KIND,
  loadExploitModel,
  parseExploitModel,
  SHIPPED_MODEL_PATH,
  saveExploitModel,
} from './model-file.js';
export {
  type ChallengeOptions,
  type ChallengeResult,
  type ChallengeWindow,
  challengeExploitModel,
  DEFAULT_PROMOTION_RULE,
  decidePromotion,
  type ExploitTrainer,
  getEvaluationDays,
  type PromotionDecision,
  type PromotionRule,
} from './retrain.js';
export {
  type DayScores,
  DEFAULT_SCORE_TOLERANCE,
  getChurn,
  getScoreChanges,
  getStoredTopDecile,
  type ScoreChange,
  type ScoreSummary,
  type ScoreTolerance,
  type StoredScore,
  summarizeScores,
  TOP_DECILE,
} from './score-days.js';
