/**
 * Patch reliability: a prior from Debian's advisory history (the probability that an update will
 * need a regression fix) and a fleet posterior per patch updated from rollout outcomes.
 */
export {
  ADVISORIES_FILE,
  type Advisory,
  type FixedEntry,
  toAdvisories,
  toAdvisory,
} from './advisories.js';
export { betaCdf, betaQuantile } from './beta.js';
export { formatMetricsRow, getMetrics, type MetricsRow } from './evaluate.js';
export {
  buildFeatureTable,
  FEATURE_NAMES,
  type FeatureName,
  type FeatureTable,
  getFeatures,
  type PatchCandidate,
  toCandidate,
} from './features.js';
export { getHistoryStateAsOf, getPackageStem, type HistoryState } from './history-state.js';
export {
  loadReliabilityModel,
  makeReliabilityArtifact,
  type ReliabilityArtifact,
  type ReliabilityCard,
  SHIPPED_RELIABILITY_MODEL_PATH,
  saveReliabilityModel,
} from './model-file.js';
export {
  DEFAULT_RISK_POLICY,
  type FailureEstimate,
  getFailureProbability,
  getPatchKey,
  getRolloutAdvice,
  isRiskyPatch,
  makeReliabilityPosterior,
  OUTCOME_WEIGHTS,
  type OutcomeWeight,
  type ReliabilityPosterior,
  type RiskPolicy,
  type RolloutAdvice,
  type RolloutOutcome,
  updatePosterior,
} from './posterior.js';
export { guessFamily, guessRelease, type ReliabilityScore, scorePatch, scorePatches } from './score.js';
export {
  EVALUATION_PLAN,
  type EvaluationReport,
  evaluateReliability,
  getKnownLabel,
  SHIPPING_PLAN,
  trainReliability,
} from './train.js';
