import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import {
  type BacktestResult,
  type CardBacktest,
  type ExploitModelArtifact,
  explainCve,
  fromDay,
  getBacktestRows,
  getCardBacktest,
  getCardBacktestRows,
  getCutoffDay,
  type History,
  loadExploitModel,
  loadHistory,
  renderBacktestHtml,
  runBacktest,
  SHIPPED_MODEL_PATH,
  saveExploitModel,
  scoreAsOf,
  trainExploitModel,
} from '../../predict/index.js';
import type { ServiceDeps } from '../../services/deps.js';
import { loadModelHistory as loadStoreHistory } from '../../services/model/load-model-history.js';
import { storeModelScores } from '../../services/model/store-model-scores.js';
import { getGlobalOptions, loadCommandConfig, withServices } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';
import { isStoreHistory, loadModelHistory, registerModelLifecycleCommands } from './model-lifecycle.js';
import {
  parseDayOption,
  parseDaysOption,
  parseWithoutOption,
  resolveDataDir,
  today,
} from './predict-options.js';

const log = (text: string) => process.stderr.write(`${text}\n`);

/** `patchcast model backtest|train|card|score|retrain|status|drift`. */
export function registerModelCommand(program: Command): void {
  const model = program.command('model').description('the exploit-forecasting model');
  model
    .command('backtest')
    .description('train before each as-of date T, evaluate on KEV additions in (T, T+horizon]')
    .option('--from <date>', 'first as-of date', '2023-01-01')
    .option(
      '--to <date>',
      "last as-of date (default: the last day whose label window ends by the data's cut-off)",
    )
    .option('--step <days>', 'days between as-of dates', '30d')
    .option('--horizon <days>', 'label horizon', '30d')
    .option('--data <dir>', 'data directory (default ../shared/data)')
    .option('--out <dir>', 'write backtest.json and backtest.html here')
    .option(
      '--without <groups>',
      'leave feature groups out: snapshot (text, undated-cvss, references: values with no edit history)',
    )
    .action(async (o: Record<string, string>, command: Command) => {
      const without = parseWithoutOption(o.without);
      const horizon = parseDaysOption('horizon', o.horizon ?? '');
      const from = parseDayOption('from', o.from ?? '');
      const history = await loadHistory(resolveDataDir(o.data));
      const result = runBacktest(history, {
        from,
        to: o.to ? parseDayOption('to', o.to) : getCutoffDay(history) - horizon,
        step: parseDaysOption('step', o.step ?? ''),
        horizon,
        without,
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
    .option(
      '--backtest <file>',
      'attach a backtest.json (per as-of date and pooled, with baselines) to the card',
    )
    .option('--data <dir>', 'data directory (default ../shared/data)')
    .option('--out <file>', 'where to write the model', 'exploit-model.json')
    .option('--without <groups>', 'leave feature groups out (see `model backtest --without`)')
    .action(async (o: Record<string, string | boolean>, command: Command) => {
      const without = parseWithoutOption(o.without as string | undefined);
      const history = await loadHistory(resolveDataDir(o.data as string | undefined));
      const asOf = o.asOf
        ? parseDayOption('as-of', o.asOf as string)
        : Math.min(today(), history.lastDay + 1);
      const artifact = trainExploitModel(history, {
        asOf,
        horizon: parseDaysOption('horizon', o.horizon as string),
        epss: Boolean(o.epss),
        without,
      });
      if (o.backtest) artifact.card.backtest = loadCardBacktest(o.backtest as string);
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
      const artifact = loadExploitModel(o.model ?? SHIPPED_MODEL_PATH);
      const { size, asOf, epssDate } = artifact.epssScale ?? {};
      if (getGlobalOptions(command).json)
        printJson({ ...artifact.card, epssScale: artifact.epssScale ? { size, asOf, epssDate } : null });
      else printCard(artifact);
    });
  model
    .command('score')
    .description(
      'score every CVE published by --as-of and not in KEV; write cve,probability,percentile,top_factors and/or store the day',
    )
    .option('--as-of <date>', 'score as of this day (default today, or the day after the data ends)')
    .option('--data <dir>', 'data directory (default model.data, else the store)')
    .option(
      '--model <file>',
      "model file (default: with --store the store's current model, else the model shipped with patchcast)",
    )
    .option('--top <n>', 'how many highest-scored CVEs get their top factors', '1000')
    .option('--out <file>', 'CSV to write')
    .option('--store', "store the day's scores in the store (changes only, plus a drift summary)")
    .action(async (o: ScoreOptions, command: Command) => {
      if (!o.out && !o.store)
        throw new PatchcastError('USAGE_INVALID_ARGUMENT', 'model score needs --out FILE, --store, or both');
      const config = loadCommandConfig(command);
      const run = async (deps?: ServiceDeps) => {
        const fromStore = deps ? () => loadStoreHistory(deps, { onStep: log }) : undefined;
        const history = await loadModelHistory(o.data, config, fromStore);
        const day = o.asOf ? parseDayOption('as-of', o.asOf) : Math.min(today(), history.lastDay + 1);
        return deps && o.store
          ? scoreAndStore(deps, history, day, o)
          : writeScores(history, loadExploitModel(o.model ?? SHIPPED_MODEL_PATH), day, o);
      };
      // The store is opened to store the day, or to read the history when no data directory is set.
      const summary =
        o.store || isStoreHistory(o.data, config) ? await withServices(command, run) : await run();
      if (getGlobalOptions(command).json) printJson(summary);
      else printLine(getScoreLine(summary));
    });
  registerModelLifecycleCommands(model);
}

interface ScoreOptions {
  asOf?: string;
  data?: string;
  model?: string;
  top: string;
  out?: string;
  store?: boolean;
}

interface ScoreSummary {
  file: string | null;
  asOf: string;
  scored: number;
  model: string;
  stored?: { rows: number; topDecileChurn: number | null; previousDay: string | null };
}

function writeScores(
  history: History,
  artifact: ExploitModelArtifact,
  day: number,
  o: ScoreOptions,
  scores = scoreAsOf(history, artifact, day),
): ScoreSummary {
  if (o.out) writeFileSync(o.out, renderScoresCsv(history, artifact, scores, Number(o.top)));
  return {
    file: o.out ?? null,
    asOf: fromDay(day),
    scored: scores.cves.length,
    model: artifact.card.version,
  };
}

async function scoreAndStore(
  deps: ServiceDeps,
  history: History,
  day: number,
  o: ScoreOptions,
): Promise<ScoreSummary> {
  const { artifact, scores, stored } = await storeModelScores(deps, {
    history,
    day,
    ...(o.model ? { artifact: loadExploitModel(o.model) } : {}),
  });
  return {
    ...writeScores(history, artifact, day, o, scores),
    stored: { rows: stored.stored, topDecileChurn: stored.topDecileChurn, previousDay: stored.previousDay },
  };
}

function getScoreLine(s: ScoreSummary): string {
  const where = [s.file ? `to ${s.file}` : '', s.stored ? `in the store (${s.stored.rows} changed rows)` : '']
    .filter(Boolean)
    .join(' and ');
  return `wrote ${s.scored} scores as of ${s.asOf} ${where} (${s.model})`;
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

function printCard(artifact: ReturnType<typeof loadExploitModel>): void {
  const { card, epssScale } = artifact;
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
  printCardBacktest(card.backtest);
  if (card.ablation) {
    printLine(`ablation without ${card.ablation.without.join(', ')} (snapshot-only values):`);
    printCardBacktest(card.ablation.backtest);
  }
  printLine(
    epssScale
      ? `EPSS scale: fitted on the ${epssScale.size} CVEs scored on ${epssScale.asOf} that have an EPSS score of ${epssScale.epssDate}; risk scoring reads each probability as the EPSS score at its rank`
      : 'EPSS scale: none (no EPSS file near the training day); risk scoring compares the raw probability with EPSS',
  );
  if (card.evaluation) printLine(`retrain comparison: ${JSON.stringify(card.evaluation).slice(0, 400)}`);
  printLine('known limits:');
  for (const limit of card.knownLimits) printLine(`  - ${limit}`);
}

/** A backtest.json compacted for the card; fails naming the file when it is not one. */
function loadCardBacktest(file: string): CardBacktest {
  const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<BacktestResult>;
  if (!Array.isArray(value.points) || !value.pooled?.scorers)
    throw new PatchcastError('INPUT_INVALID', `${file}: not a backtest.json (no points / pooled scorers)`, {
      hint: 'Pass the backtest.json written by `patchcast model backtest --out DIR`.',
    });
  return getCardBacktest(value as BacktestResult);
}

function printCardBacktest(backtest: unknown): void {
  const bt = backtest as Partial<CardBacktest> | undefined;
  if (!bt?.points || !bt.pooled) {
    printLine(backtest ? `backtest: ${JSON.stringify(backtest).slice(0, 400)}` : 'backtest: none attached');
    return;
  }
  const rows = getCardBacktestRows(bt as CardBacktest);
  printLine(
    `backtest: ${bt.points.length} as-of dates ${bt.firstAsOf} … ${bt.lastAsOf}, horizon ${bt.horizonDays} days; pooled ${bt.pooled.population} CVE-dates, ${bt.pooled.positives} KEV additions`,
  );
  printTable(rows.pooled);
  printLine(
    'per as-of date (AUPRC / coverage at 10 % effort; EPSS n/a: no full EPSS file within 45 days before T):',
  );
  printTable(rows.perDay);
}
