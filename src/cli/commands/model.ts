import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  explainCve,
  fromDay,
  getBacktestRows,
  loadExploitModel,
  loadHistory,
  renderBacktestHtml,
  runBacktest,
  SHIPPED_MODEL_PATH,
  saveExploitModel,
  scoreAsOf,
  trainExploitModel,
} from '../../predict/index.js';
import { getGlobalOptions } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';
import { parseDayOption, parseDaysOption, resolveDataDir, today } from './predict-options.js';

const log = (text: string) => process.stderr.write(`${text}\n`);

/** `patchcast model backtest|train|card|score`. */
export function registerModelCommand(program: Command): void {
  const model = program.command('model').description('the exploit-forecasting model');
  model
    .command('backtest')
    .description('train before each as-of date T, evaluate on KEV additions in (T, T+horizon]')
    .option('--from <date>', 'first as-of date', '2023-01-01')
    .option('--to <date>', 'last as-of date', '2026-02-01')
    .option('--step <days>', 'days between as-of dates', '30d')
    .option('--horizon <days>', 'label horizon', '30d')
    .option('--data <dir>', 'data directory (default ../shared/data)')
    .option('--out <dir>', 'write backtest.json and backtest.html here')
    .action(async (o: Record<string, string>, command: Command) => {
      const history = await loadHistory(resolveDataDir(o.data));
      const result = runBacktest(history, {
        from: parseDayOption('from', o.from ?? ''),
        to: parseDayOption('to', o.to ?? ''),
        step: parseDaysOption('step', o.step ?? ''),
        horizon: parseDaysOption('horizon', o.horizon ?? ''),
        onPoint: (p, i, n) =>
          log(
            `[${i + 1}/${n}] ${p.asOf}: ${p.positives} positives, model AP ${p.scorers.model?.averagePrecision.toFixed(3)}`,
          ),
      });
      if (o.out) {
        mkdirSync(o.out, { recursive: true });
        writeFileSync(join(o.out, 'backtest.json'), `${JSON.stringify(result, null, 1)}\n`);
        writeFileSync(join(o.out, 'backtest.html'), renderBacktestHtml(result));
      }
      if (getGlobalOptions(command).json) printJson(result);
      else printTable(getBacktestRows(result));
    });
  model
    .command('train')
    .description('train on every as-of date whose horizon ended by --as-of and save the artifact')
    .option('--as-of <date>', 'train on information dated on or before this day (default today)')
    .option('--horizon <days>', 'label horizon', '30d')
    .option('--epss', 'use EPSS as of each date as features (only where a full EPSS file exists)')
    .option('--backtest <file>', 'attach the pooled metrics of a backtest.json to the card')
    .option('--data <dir>', 'data directory (default ../shared/data)')
    .option('--out <file>', 'where to write the model', 'exploit-model.json')
    .action(async (o: Record<string, string | boolean>, command: Command) => {
      const history = await loadHistory(resolveDataDir(o.data as string | undefined));
      const asOf = o.asOf
        ? parseDayOption('as-of', o.asOf as string)
        : Math.min(today(), history.lastDay + 1);
      const artifact = trainExploitModel(history, {
        asOf,
        horizon: parseDaysOption('horizon', o.horizon as string),
        epss: Boolean(o.epss),
      });
      if (o.backtest) artifact.card.backtest = JSON.parse(readFileSync(o.backtest as string, 'utf8')).pooled;
      saveExploitModel(o.out as string, artifact);
      if (getGlobalOptions(command).json) printJson(artifact.card);
      else
        printLine(
          `wrote ${o.out}: ${artifact.card.version}, ${artifact.gbdt.trees.length} trees, held-out AP ${artifact.card.validation.averagePrecision.toFixed(3)}`,
        );
    });
  model
    .command('card')
    .description("print a model's card")
    .option('--model <file>', 'model file (default: the model shipped with patchcast)')
    .action((o: { model?: string }, command: Command) => {
      const { card } = loadExploitModel(o.model ?? SHIPPED_MODEL_PATH);
      if (getGlobalOptions(command).json) printJson(card);
      else printCard(card);
    });
  model
    .command('score')
    .description(
      'score every CVE published by --as-of and not in KEV; write cve,probability,percentile,top_factors',
    )
    .requiredOption('--as-of <date>', 'score as of this day')
    .option('--data <dir>', 'data directory (default ../shared/data)')
    .option('--model <file>', 'model file (default: the model shipped with patchcast)')
    .option('--top <n>', 'how many highest-scored CVEs get their top factors', '1000')
    .requiredOption('--out <file>', 'CSV to write')
    .action(async (o: Record<string, string>, command: Command) => {
      const artifact = loadExploitModel(o.model ?? SHIPPED_MODEL_PATH);
      const history = await loadHistory(resolveDataDir(o.data));
      const day = parseDayOption('as-of', o.asOf ?? '');
      const scores = scoreAsOf(history, artifact, day);
      writeFileSync(o.out ?? 'scores.csv', renderScoresCsv(history, artifact, scores, Number(o.top)));
      const summary = {
        file: o.out,
        asOf: fromDay(day),
        scored: scores.cves.length,
        model: artifact.card.version,
      };
      if (getGlobalOptions(command).json) printJson(summary);
      else
        printLine(
          `wrote ${summary.scored} scores as of ${summary.asOf} to ${summary.file} (${summary.model})`,
        );
    });
}

function renderScoresCsv(
  history: Awaited<ReturnType<typeof loadHistory>>,
  artifact: ReturnType<typeof loadExploitModel>,
  scores: ReturnType<typeof scoreAsOf>,
  top: number,
): string {
  const order = [...scores.probabilities.keys()].sort(
    (a, b) => (scores.probabilities[b] ?? 0) - (scores.probabilities[a] ?? 0),
  );
  const lines = ['cve,probability,percentile,top_factors'];
  for (const [rank, i] of order.entries()) {
    const cve = history.ids[scores.cves[i] ?? 0] ?? '';
    // TreeSHAP for every row is costly; the highest-ranked rows get their factors.
    const factors =
      rank < top
        ? explainCve(history, artifact, cve, scores.day, 3, scores)
            ?.factors.map((f) => f.text)
            .join('; ')
        : '';
    lines.push(
      `${cve},${(scores.probabilities[i] ?? 0).toPrecision(4)},${(scores.percentiles[i] ?? 0).toFixed(2)},"${(factors ?? '').replaceAll('"', "'")}"`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function printCard(card: ReturnType<typeof loadExploitModel>['card']): void {
  printLine(`model ${card.version}`);
  printLine(
    `trained until ${card.trainedUntil}; horizon ${card.horizonDays} days; as-of dates ${card.dataWindow.firstAsOf} … ${card.dataWindow.lastAsOf}`,
  );
  printLine(
    `${card.rows} rows (${card.positives} positives, negatives sampled at ${card.negativeRate}); ${card.features.length} features`,
  );
  printLine(
    `held-out from ${card.validation.heldOutFrom}: AP ${card.validation.averagePrecision.toFixed(3)}, log-loss ${card.validation.logLoss.toFixed(5)}`,
  );
  if (card.backtest) printLine(`backtest (pooled): ${JSON.stringify(card.backtest).slice(0, 400)}`);
  printLine('known limits:');
  for (const limit of card.knownLimits) printLine(`  - ${limit}`);
}
