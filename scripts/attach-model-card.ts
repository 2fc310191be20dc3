/**
 * Attaches backtests to a trained exploit model's card and refreshes its known limits from the code,
 * for the shipped model: the backtests take longer than the training, so they run beside it.
 *
 *   npx tsx scripts/attach-model-card.ts MODEL.json BACKTEST_DIR [ABLATION_DIR] [--out FILE]
 *
 * BACKTEST_DIR and ABLATION_DIR hold the backtest.json written by `patchcast model backtest --out`
 * (the ablation one with `--without snapshot`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BacktestResult } from '../src/predict/backtest.js';
import { getCardBacktest } from '../src/predict/card-backtest.js';
import { KNOWN_LIMITS } from '../src/predict/model-card.js';
import { loadExploitModel, saveExploitModel } from '../src/predict/model-file.js';

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
const [modelPath, backtestDir, ablationDir] = args.filter(
  (_, i) => outIndex < 0 || (i !== outIndex && i !== outIndex + 1),
);
if (!modelPath || !backtestDir) {
  process.stderr.write('usage: attach-model-card.ts MODEL.json BACKTEST_DIR [ABLATION_DIR] [--out FILE]\n');
  process.exit(2);
}
const readBacktest = (dir: string) =>
  getCardBacktest(JSON.parse(readFileSync(join(dir, 'backtest.json'), 'utf8')) as BacktestResult);

const artifact = loadExploitModel(modelPath);
artifact.card.backtest = readBacktest(backtestDir);
if (ablationDir)
  artifact.card.ablation = {
    without: ['text', 'undated-cvss', 'references'],
    backtest: readBacktest(ablationDir),
  };
artifact.card.knownLimits = KNOWN_LIMITS;
saveExploitModel(out ?? modelPath, artifact);
process.stdout.write(`wrote ${out ?? modelPath}: ${artifact.card.version}\n`);
