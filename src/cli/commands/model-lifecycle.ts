import type { Command } from 'commander';
import type { Config } from '../../config/index.js';
import { PatchcastError } from '../../core/errors.js';
import { type History, loadHistory } from '../../predict/index.js';
import { getHeadline, type RetrainReport } from '../../services/model/exploit-model-registry.js';
import { loadModelHistory as loadStoreHistory } from '../../services/model/load-model-history.js';
import { loadModelStatus, loadScoreDrift } from '../../services/model/load-model-status.js';
import type { ModelAfterSyncReport } from '../../services/model/model-after-sync.js';
import { retrainModel } from '../../services/model/retrain-model.js';
import type { ExploitScoreDay, ModelEvaluation } from '../../store/index.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';
import { parseDayOption, resolveDataDir, today } from './predict-options.js';

const log = (text: string) => process.stderr.write(`${text}\n`);

/**
 * The model's history: --data, else the config's model.data (a data directory, read as before),
 * else the store (`fromStore`); ../shared/data only when the store holds no CVE record yet (or none is open).
 */
export async function loadModelHistory(
  option: string | undefined,
  config: Config,
  fromStore?: () => Promise<History>,
): Promise<History> {
  const dir = option ?? config.model.data;
  if (dir || !fromStore) {
    const resolved = resolveDataDir(dir);
    log(`loading history from ${resolved}`);
    return loadHistory(resolved);
  }
  try {
    log('loading history from the store');
    return await fromStore();
  } catch (error) {
    if (!(error instanceof PatchcastError) || error.code !== 'INPUT_NOT_FOUND') throw error;
    const fallback = findDataDir();
    if (!fallback) throw error;
    log(`the store holds no CVE records; loading history from ${fallback}`);
    return loadHistory(fallback);
  }
}

/** Whether the model commands read the store (no --data and no model.data). */
export function isStoreHistory(option: string | undefined, config: Config): boolean {
  return !(option ?? config.model.data);
}

function findDataDir(): string | undefined {
  try {
    return resolveDataDir(undefined);
  } catch {
    return undefined;
  }
}

/** `patchcast model retrain|status|drift`: continuous learning (src/predict/readme.md). */
export function registerModelLifecycleCommands(model: Command): void {
  model
    .command('retrain')
    .description(
      'train a challenger as of --as-of, compare it with the current model on the latest windows, promote it if not worse',
    )
    .option(
      '--as-of <date>',
      'use information dated on or before this day (default today, or the day after the data ends)',
    )
    .option('--windows <n>', 'latest monthly windows to compare on (default model.retrain.windows)')
    .option('--data <dir>', 'data directory (default model.data, else the store)')
    .action(async (o: { asOf?: string; windows?: string; data?: string }, command: Command) => {
      const report = await withServices(command, async (deps) => {
        const history = await loadModelHistory(o.data, deps.config, () =>
          loadStoreHistory(deps, { onStep: log }),
        );
        const asOf = o.asOf ? parseDayOption('as-of', o.asOf) : Math.min(today(), history.lastDay + 1);
        return retrainModel(deps, {
          history,
          asOf,
          onStep: log,
          ...(o.windows ? { windows: Number(o.windows) } : {}),
        });
      });
      if (getGlobalOptions(command).json) printJson(getRetrainJson(report));
      else printRetrain(report);
    });
  model
    .command('status')
    .description('the current model, the promotion history and the last stored score day')
    .action(async (_o: unknown, command: Command) => {
      const { horizonDays, ...status } = await withServices(command, loadModelStatus);
      const { current, card, evaluations } = status;
      const lastDay = status.lastScoreDay;
      if (getGlobalOptions(command).json) return printJson(status);
      printLine(`current model ${current.version} (promoted ${current.promotedAt ?? '?'})`);
      printLine(`trained until ${card.trainedUntil}; horizon ${horizonDays} days`);
      printLine(
        lastDay
          ? `last score day ${lastDay.day}: ${lastDay.scored} scored, ${lastDay.stored} rows stored`
          : 'no scores stored yet',
      );
      if (evaluations.length === 0) return printLine('no retrain yet');
      printLine('retrains, newest first:');
      printTable(evaluations.map(getEvaluationRow));
    });
  model
    .command('drift')
    .description('how the stored daily score distribution moved: mean, share above 0.1, top-decile churn')
    .option('--days <n>', 'how many stored days', '14')
    .action(async (o: { days: string }, command: Command) => {
      const days = await withServices(command, (deps) => loadScoreDrift(deps, { days: Number(o.days) }));
      {
        if (getGlobalOptions(command).json) return printJson(days);
        if (days.length === 0) return printLine('no scores stored yet: run `patchcast model score --store`');
        printTable(days.map(getDriftRow));
        const [last, previous] = days;
        if (last && previous) printLine(getDriftLine(last, previous));
      }
    });
}

interface StoredPooled {
  pooled?: {
    positives?: number;
    challenger?: { averagePrecision?: number };
    current?: { averagePrecision?: number };
  };
}

function getEvaluationRow(e: ModelEvaluation) {
  const pooled = (e.metrics as StoredPooled | undefined)?.pooled;
  const ap = (m: { averagePrecision?: number } | undefined) => m?.averagePrecision?.toFixed(4) ?? null;
  return {
    evaluated: e.evaluatedAt.slice(0, 16),
    asOf: e.asOf,
    decision: e.decision,
    positives: pooled?.positives ?? null,
    apChallenger: ap(pooled?.challenger),
    apCurrent: ap(pooled?.current),
    challenger: e.challengerId,
  };
}

function getDriftRow(d: ExploitScoreDay) {
  return {
    day: d.day,
    model: d.modelVersion,
    scored: d.scored,
    stored: d.stored,
    mean: d.mean.toPrecision(3),
    above01: `${(100 * d.shareAbove).toFixed(2)}%`,
    p99: d.p99.toPrecision(3),
    expectedKev: d.expectedKev.toFixed(1),
    top10Churn: d.topDecileChurn === null ? null : `${(100 * d.topDecileChurn).toFixed(1)}%`,
  };
}

/** How the last stored day moved against the one before it. */
function getDriftLine(last: ExploitScoreDay, previous: ExploitScoreDay): string {
  const ratio = (a: number, b: number) => (b > 0 ? `×${(a / b).toFixed(2)}` : 'n/a');
  const churn = last.topDecileChurn === null ? 'n/a' : `${(100 * last.topDecileChurn).toFixed(1)}%`;
  const model =
    last.modelVersion === previous.modelVersion ? '' : `; model changed from ${previous.modelVersion}`;
  return `${previous.day} → ${last.day}: mean ${ratio(last.mean, previous.mean)}, p99 ${ratio(last.p99, previous.p99)}, expected KEV ${previous.expectedKev.toFixed(1)} → ${last.expectedKev.toFixed(1)}, top-decile churn ${churn}${model}`;
}

function getRetrainJson(report: RetrainReport) {
  return {
    ...report,
    windows: report.windows.map((w) => ({
      ...w,
      challenger: getHeadline(w.challenger),
      current: getHeadline(w.current),
    })),
    pooled: {
      ...report.pooled,
      challenger: getHeadline(report.pooled.challenger),
      current: getHeadline(report.pooled.current),
    },
  };
}

/** The comparison table and the decision. */
export function printRetrain(report: RetrainReport): void {
  printLine(`challenger ${report.challengerVersion} vs current ${report.currentVersion}`);
  const rows = [
    ...report.windows.map((w) =>
      getComparisonRow(w.asOf, w.positives, w.currentMode, w.challenger, w.current),
    ),
    getComparisonRow('pooled', report.pooled.positives, '', report.pooled.challenger, report.pooled.current),
  ];
  printTable(rows);
  printLine(`${report.decision.promote ? 'PROMOTED' : 'KEPT the current model'}: ${report.decision.reason}`);
  printLine(`rule: ${report.decision.rule}`);
}

function getComparisonRow(
  window: string,
  positives: number,
  mode: string,
  challenger: RetrainReport['pooled']['challenger'],
  current: RetrainReport['pooled']['current'],
) {
  const ch = getHeadline(challenger);
  const cur = getHeadline(current);
  const f = (v: number | null | undefined) => (v === null || v === undefined ? null : v.toFixed(4));
  return {
    window,
    positives,
    current: mode,
    auprc: `${f(ch.auprc)} / ${f(cur.auprc)}`,
    rocAuc: `${f(ch.rocAuc)} / ${f(cur.rocAuc)}`,
    ece: `${f(ch.ece)} / ${f(cur.ece)}`,
    cover5pct: `${f(ch.coverageAt5)} / ${f(cur.coverageAt5)}`,
  };
}

/** The model step of `patchcast sync`, in a few lines. */
export function printModelAfterSync(report: ModelAfterSyncReport): void {
  const r = report.retrain;
  if (r.report) printRetrain(r.report);
  else printLine(`model retrain: not run (${r.reason})`);
  const s = report.scores;
  if (s.day)
    printLine(
      `model scores: ${s.day.day} stored (${s.day.scored} scored, ${s.day.stored} changed rows, ${s.day.modelVersion})`,
    );
  else printLine(`model scores: not stored (${s.reason})`);
}
