/**
 * patchcast's compact gradient-boosted trees for binary classification: histogram training with
 * second-order log-loss boosting, prediction, exact TreeSHAP explanations, probability calibration
 * and ranking/calibration metrics. See readme.md.
 */
export {
  type BinLayout,
  binMatrix,
  binValue,
  computeBinLayout,
  MISSING_BIN,
  quantileCuts,
} from './binning.js';
export { applyCalibration, type Calibrator, fitIsotonic, fitPlatt } from './calibrate.js';
export {
  brierScore,
  expectedCalibrationError,
  type ReliabilityBin,
  reliabilityCurve,
} from './calibration-metrics.js';
export { logit, sigmoid } from './loss.js';
export {
  averagePrecision,
  coverageEfficiencyAtEffort,
  type EffortResult,
  type Numbers,
  rocAuc,
} from './metrics.js';
export { parseCalibrator, parseGbdtModel } from './model-schema.js';
export { type FeatureRow, findLeaf, predictMatrix, predictProba, predictRaw } from './predict.js';
export { type Explanation, explainMatrix, explainRow } from './shap.js';
export { trainGbdt } from './train.js';
export type { GbdtModel, GbdtParams, RoundLog, TrainingSet, TrainResult, Tree } from './types.js';
