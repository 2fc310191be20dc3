/**
 * Second-order gradient boosting of regression trees for binary log-loss (Friedman 2001; Chen &
 * Guestrin 2016, "XGBoost"): each round fits a tree to the gradients and hessians of the loss at the
 * current scores on histograms of binned features (Ke et al. 2017, "LightGBM"), shrinks it by the
 * learning rate and adds it. Row and column subsampling draw from a seeded generator.
 */
import { PatchcastError } from '../../core/errors.js';
import { makeBinnedMatrix } from './binned-matrix.js';
import { computeBinLayout } from './binning.js';
import { addTreeToScores, growTree, makeHistogramPool } from './grow-tree.js';
import { computeGradients, logit, meanLogLoss } from './loss.js';
import { makeRandom, type Random, sampleIndices } from './random.js';
import type { GbdtModel, GbdtParams, RoundLog, TrainingSet, TrainResult, Tree } from './types.js';
import { validateParams, validateSet } from './validate.js';

/**
 * Trains a model. With `validation`, records its loss per round; with `params.earlyStoppingRounds`
 * too, stops once the validation loss has not improved for that many rounds and keeps the best
 * round's trees. The same inputs and seed always give the same model.
 */
export function trainGbdt(train: TrainingSet, params: GbdtParams, validation?: TrainingSet): TrainResult {
  checkInputs(train, params, validation);
  const nFeatures = train.featureNames.length;
  const layout = computeBinLayout(train.features, train.rows, nFeatures, params.maxBins);
  const matrix = makeBinnedMatrix(train.features, train.rows, layout);
  const baseScore = logit(weightedMean(train.labels, train.weights));
  const scores = new Float64Array(train.rows).fill(baseScore);
  // The validation set is binned with the training cuts: routing bins is exact and cache-friendly.
  const validMatrix = validation && makeBinnedMatrix(validation.features, validation.rows, layout, true);
  const validScores = validation && new Float64Array(validation.rows).fill(baseScore);
  const grad = new Float64Array(train.rows);
  const hess = new Float64Array(train.rows);
  const rowBuffer = new Uint32Array(train.rows);
  const scratch = new Uint32Array(train.rows);
  const pool = makeHistogramPool(layout);
  const random = makeRandom(params.seed);
  const nCols = Math.max(1, Math.round(params.colsample * nFeatures));
  const trees: Tree[] = [];
  const history: RoundLog[] = [];
  for (let round = 1; round <= params.rounds; round++) {
    computeGradients(scores, train.labels, train.weights, grad, hess);
    const rows = sampleRows(rowBuffer, params.subsample, random);
    const cols = sampleIndices(nFeatures, nCols, random);
    const grown = growTree({ matrix, grad, hess, rows, cols, params, pool, scratch });
    trees.push(grown.tree);
    addTreeToScores(scores, matrix, grown);
    const log: RoundLog = { round, trainLoss: meanLogLoss(scores, train.labels, train.weights) };
    if (validation && validMatrix && validScores) {
      addTreeToScores(validScores, validMatrix, grown);
      log.validLoss = meanLogLoss(validScores, validation.labels, validation.weights);
    }
    history.push(log);
    if (shouldStop(history, params.earlyStoppingRounds)) break;
  }
  const bestRound = params.earlyStoppingRounds ? bestValidRound(history) : trees.length;
  const model: GbdtModel = {
    kind: 'gbdt-binary',
    featureNames: [...train.featureNames],
    baseScore,
    trees: trees.slice(0, bestRound),
  };
  return { model, history, bestRound };
}

function checkInputs(train: TrainingSet, params: GbdtParams, validation?: TrainingSet): void {
  validateParams(params);
  validateSet('train', train);
  if (validation) validateSet('validation', validation, train.featureNames);
  if (params.earlyStoppingRounds !== undefined && !validation) {
    throw new PatchcastError('INPUT_INVALID', 'params.earlyStoppingRounds needs a validation set', {
      hint: 'Pass a validation TrainingSet to trainGbdt, or drop earlyStoppingRounds.',
      details: { field: 'params.earlyStoppingRounds' },
    });
  }
}

/** Weighted share of positives, the base rate the first tree starts from. */
function weightedMean(labels: Uint8Array, weights?: Float64Array): number {
  let pos = 0;
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const w = weights ? weights[i]! : 1;
    pos += w * labels[i]!;
    total += w;
  }
  return total > 0 ? pos / total : 0.5;
}

/** Fills `buffer` with this round's rows (each kept with probability `subsample`), ascending. */
function sampleRows(buffer: Uint32Array, subsample: number, random: Random): Uint32Array {
  let k = 0;
  for (let i = 0; i < buffer.length; i++) if (subsample >= 1 || random() < subsample) buffer[k++] = i;
  return buffer.subarray(0, k);
}

/** Round (1-based) with the lowest validation loss; the earliest on ties. */
function bestValidRound(history: readonly RoundLog[]): number {
  let best = 0;
  let bestLoss = Number.POSITIVE_INFINITY;
  for (const log of history) {
    if (log.validLoss !== undefined && log.validLoss < bestLoss) {
      bestLoss = log.validLoss;
      best = log.round;
    }
  }
  return best;
}

function shouldStop(history: readonly RoundLog[], patience?: number): boolean {
  if (!patience) return false;
  const last = history[history.length - 1]!;
  return last.round - bestValidRound(history) >= patience;
}
