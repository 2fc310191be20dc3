/**
 * The gradient-boosted trees contract used by the exploit model. Features are numbers; a missing
 * value is NaN (the trees learn which side missing values go). Binary classification with log-loss.
 */

export interface GbdtParams {
  /** Boosting rounds (trees). */
  rounds: number;
  learningRate: number;
  maxDepth: number;
  /** Minimum sum of hessians (≈ weighted samples) in a leaf. */
  minChildWeight: number;
  /** L2 regularisation on leaf values. */
  lambda: number;
  /** Histogram value bins per feature (2–255); missing values get one more bin of their own. */
  maxBins: number;
  /** Row subsample per tree (0–1], column subsample per tree (0–1]. */
  subsample: number;
  colsample: number;
  /** Seed for the subsampling, so training is reproducible. */
  seed: number;
  /** Stop when the validation loss has not improved for this many rounds (needs a validation set). */
  earlyStoppingRounds?: number;
}

export interface TrainingSet {
  /** Row-major feature matrix: rows × features. */
  features: Float64Array;
  rows: number;
  featureNames: readonly string[];
  /** 0 or 1. */
  labels: Uint8Array;
  /** Sample weights (e.g. for down-sampled negatives); all 1 when omitted. */
  weights?: Float64Array;
}

/** A fitted model: plain JSON, so it can be saved as an artifact and loaded again. */
export interface GbdtModel {
  kind: 'gbdt-binary';
  featureNames: string[];
  /** Raw score (log-odds) before any tree. */
  baseScore: number;
  trees: Tree[];
}

/** A tree in flat arrays; node 0 is the root. A leaf has `feature[i] === -1`. */
export interface Tree {
  feature: number[];
  /**
   * Go left when `x[feature] < threshold`. `Number.MAX_VALUE` marks a "present or missing" split:
   * every value goes left, NaN right.
   */
  threshold: number[];
  /** Where NaN goes: true = left. Learned; when training saw no NaN there, the larger-cover side. */
  missingLeft: boolean[];
  left: number[];
  right: number[];
  /**
   * Leaf value (log-odds contribution), for leaves. Trained internal nodes also hold the value they
   * would have as a leaf (−G/(H+λ) × learning rate): informative only, never used in scoring.
   */
  value: number[];
  /** Sum of hessians (cover) of the training rows through each node, for TreeSHAP. */
  cover: number[];
}

/** One boosting round's losses (weighted mean log-loss), for learning curves and early stopping. */
export interface RoundLog {
  /** 1-based round number: the model with this many trees. */
  round: number;
  trainLoss: number;
  /** Present when a validation set was given. */
  validLoss?: number;
}

/** What `trainGbdt` returns. */
export interface TrainResult {
  /** The fitted model; with early stopping it keeps only the trees up to `bestRound`. */
  model: GbdtModel;
  /** One entry per round trained, including the rounds after the best one. */
  history: RoundLog[];
  /** Number of trees kept (the best validation round, or every round without early stopping). */
  bestRound: number;
}
