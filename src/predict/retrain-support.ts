/**
 * Test support for the retrain tests (not exported from the module): a small parameter grid and a
 * deliberately worse trainer (labels shuffled across rows, so it learns nothing).
 */
import type { SampledRows } from './dataset.js';
import { DEFAULT_PARAMS, type TrainExploitModelOptions, trainExploitModel } from './exploit-model.js';
import type { GbdtParams } from './gbdt/index.js';
import { makeRandom } from './gbdt/random.js';
import type { ExploitTrainer } from './retrain.js';

/** Few, shallow trees: enough for the synthetic world, fast on a test machine. */
export const SMALL_GRID: readonly GbdtParams[] = [
  { ...DEFAULT_PARAMS, rounds: 40, maxDepth: 3, minChildWeight: 2, earlyStoppingRounds: 10 },
];

/** Training options for the synthetic world. */
export const SMALL_TRAIN: Partial<TrainExploitModelOptions> = { negativeRate: 0.1, paramGrid: SMALL_GRID };

/** Trains on rows whose labels (with their weights) were shuffled: a model that learned nothing. */
export const trainOnShuffledLabels: ExploitTrainer = (history, options) => {
  if (!options.rows) throw new Error('trainOnShuffledLabels needs pre-sampled rows');
  return trainExploitModel(history, { ...options, rows: shuffleLabels(options.rows) });
};

function shuffleLabels(rows: SampledRows): SampledRows {
  const random = makeRandom(11);
  const order = Array.from(rows.labels.keys());
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  return {
    ...rows,
    labels: Uint8Array.from(order, (k) => rows.labels[k] ?? 0),
    weights: Float64Array.from(order, (k) => rows.weights[k] ?? 1),
  };
}
