/**
 * Fits a trained exploit model's map onto EPSS's scale (src/predict/epss-scale.ts) on the population of
 * its training day and writes it into the model, for a model trained before the map existed. `model
 * train` and retraining fit it themselves.
 *
 *   npx tsx scripts/fit-epss-scale.ts MODEL.json DATA_DIR [--out FILE]
 */
import { fitEpssScale, loadHistory, toDay } from '../src/predict/index.js';
import { loadExploitModel, saveExploitModel } from '../src/predict/model-file.js';

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
const [modelPath, dataDir] = args.filter((_, i) => outIndex < 0 || (i !== outIndex && i !== outIndex + 1));
if (!modelPath || !dataDir) {
  process.stderr.write('usage: fit-epss-scale.ts MODEL.json DATA_DIR [--out FILE]\n');
  process.exit(2);
}
const artifact = loadExploitModel(modelPath);
const history = await loadHistory(dataDir);
const scale = fitEpssScale(history, artifact, toDay(artifact.card.trainedUntil));
if (!scale) {
  process.stderr.write(`no EPSS file within 45 days of ${artifact.card.trainedUntil} in ${dataDir}\n`);
  process.exit(1);
}
saveExploitModel(out ?? modelPath, { ...artifact, epssScale: scale });
process.stdout.write(
  `wrote ${out ?? modelPath}: scale of ${scale.size} CVEs as of ${scale.asOf} against EPSS ${scale.epssDate}, ${scale.model.length} knots\n`,
);
