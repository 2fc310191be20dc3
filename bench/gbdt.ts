/**
 * Throughput of the GBDT library on synthetic data of realistic size (200k rows × 100 features,
 * a tenth positive, a quarter of the columns with missing values): training (rows × features per
 * second per tree, with and without subsampling), batch prediction and TreeSHAP explanations.
 * Run: npx tsx bench/gbdt.ts [rows] [features] [rounds]
 */
import { computeBinLayout } from '../src/predict/gbdt/binning.js';
import { explainRow, type GbdtParams, predictMatrix, trainGbdt } from '../src/predict/gbdt/index.js';
import { makeSyntheticSet } from '../src/predict/gbdt/synthetic.js';

const ROWS = Number(process.argv[2] ?? 200_000);
const FEATURES = Number(process.argv[3] ?? 100);
const ROUNDS = Number(process.argv[4] ?? 30);
const BASE: GbdtParams = {
  rounds: ROUNDS,
  learningRate: 0.1,
  maxDepth: 6,
  minChildWeight: 1,
  lambda: 1,
  maxBins: 255,
  subsample: 1,
  colsample: 1,
  seed: 1,
};

/** Runs `run`, returning its result and the CPU seconds it used (steadier than wall time on a shared machine). */
function time<T>(run: () => T): [T, number] {
  const start = process.cpuUsage();
  const wall = performance.now();
  const result = run();
  const cpu = process.cpuUsage(start);
  wallSeconds += (performance.now() - wall) / 1000;
  return [result, (cpu.user + cpu.system) / 1e6];
}

let wallSeconds = 0;

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 2 : 0 });

const set = makeSyntheticSet(ROWS, FEATURES, 1);
console.log(`data: ${fmt(ROWS)} rows × ${FEATURES} features, depth ${BASE.maxDepth}, ${ROUNDS} rounds`);
const [, binSeconds] = time(() => computeBinLayout(set.features, ROWS, FEATURES, BASE.maxBins));
console.log(`  quantile cuts: ${fmt(binSeconds)} s`);

let model = trainGbdt(set, { ...BASE, rounds: 0 }).model;
for (const [label, extra] of [
  ['all rows and columns', {}],
  ['subsample 0.8, colsample 0.8', { subsample: 0.8, colsample: 0.8 }],
] as const) {
  const [, setup] = time(() => trainGbdt(set, { ...BASE, ...extra, rounds: 0 }));
  const [result, seconds] = time(() => trainGbdt(set, { ...BASE, ...extra }));
  model = result.model;
  const perTree = (seconds - setup) / ROUNDS;
  console.log(
    `  train (${label}): ${fmt(seconds)} s = ${fmt(setup)} s binning + ${fmt(perTree * 1000)} ms/tree; ` +
      `${fmt((ROWS * FEATURES) / perTree / 1e6)} M rows×features/s per tree`,
  );
  // The target size: 500k × 150 × 300 trees, scaled linearly from this run.
  const scale = (500_000 * 150) / (ROWS * FEATURES);
  console.log(
    `    → 500k × 150 × 300 trees ≈ ${fmt((setup * scale + perTree * scale * 300) / 60)} min (linear estimate)`,
  );
}

const [, predictSeconds] = time(() => predictMatrix(model, set.features, ROWS));
console.log(`  predictMatrix: ${fmt(ROWS / predictSeconds)} rows/s (${model.trees.length} trees)`);

const shapRows = 500;
const [, shapSeconds] = time(() => {
  for (let r = 0; r < shapRows; r++)
    explainRow(model, set.features.subarray(r * FEATURES, (r + 1) * FEATURES));
});
console.log(`  explainRow (TreeSHAP): ${fmt(shapRows / shapSeconds)} rows/s (${model.trees.length} trees)`);
console.log(`(times are CPU seconds of this process; wall time of the timed parts: ${fmt(wallSeconds)} s)`);
