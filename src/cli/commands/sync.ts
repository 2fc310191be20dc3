import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import { FEED_SOURCES } from '../../feeds/index.js';
import { loadSyncStatus } from '../../services/sync/load-sync-status.js';
import { type SyncFeedsResult, syncFeeds } from '../../services/sync/sync-feeds.js';
import { getGlobalOptions, requireDirectory, withServices } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';
import { makeFeedProgress } from '../progress.js';
import { printModelAfterSync } from './model-lifecycle.js';

interface SyncOptions {
  from?: string;
  offline?: string;
  maxBytes?: string;
  /** False with --no-retrain. */
  retrain: boolean;
  /** False with --no-match. */
  match: boolean;
}

export function registerSyncCommand(program: Command): void {
  const sync = program
    .command('sync')
    .description('sync vulnerability and exploit intelligence, live or from a mirror')
    .argument('[sources...]', `sources to sync (default: all): ${FEED_SOURCES.map((s) => s.id).join(', ')}`)
    .option('--from <url|path>', 'read one source from a mirror URL, a local file or a directory')
    .option('--offline <dir>', 'read every source from a mirror directory (no network)')
    .option('--max-bytes <n>', 'largest file accepted', String(2 * 1024 ** 3))
    .option('--no-match', 'do not re-match findings afterwards (what changed stays queued for the next run)')
    .option(
      '--no-retrain',
      'do not retrain the exploit model afterwards even when due (scores are still stored)',
    )
    .action(async (ids: string[], options: SyncOptions, command: Command) => {
      checkOptions(options);
      const json = getGlobalOptions(command).json ?? false;
      const { reports, match, model, failure } = await withServices(command, (deps) =>
        syncFeeds(deps, {
          sources: ids,
          maxBytes: Number(options.maxBytes),
          match: options.match,
          retrain: options.retrain,
          progress: (source) => makeFeedProgress(source, { json }),
          onStep: (text) => process.stderr.write(`model: ${text}\n`),
          ...(options.from ? { from: options.from } : {}),
          ...(options.offline ? { offlineDir: options.offline } : {}),
        }),
      );
      if (json)
        printJson({
          reports,
          ...(match ? { match: match.error ? { failed: match.error.message } : match.result } : {}),
          ...(model?.report ? { model: model.report } : {}),
          ...(model?.error ? { model: { failed: model.error.message } } : {}),
        });
      else {
        printReports(reports);
        if (match) printLine(getMatchLine(match));
        if (model?.report) printModelAfterSync(model.report);
        if (model?.error) printLine(`model: ${model.error.message}`);
      }
      if (failure) throw failure;
      if (match?.error) throw match.error;
      if (model?.error) throw model.error;
    });

  sync
    .command('status')
    .description(
      'per source: records held now (KEV entries taken off the catalog counted apart as removed), newest record, last sync and its outcome',
    )
    .action(async (_options: unknown, command: Command) => {
      const rows = await withServices(command, loadSyncStatus);
      if (getGlobalOptions(command).json) return printJson(rows);
      printTable(rows, ['source', 'records', 'removed', 'newest', 'lastSync', 'outcome']);
      for (const row of rows)
        if (row.outcome === 'failed' && row.message) printLine(`${row.source}: ${row.message}`);
    });
}

type MatchStep = NonNullable<SyncFeedsResult['match']>;

/** One line, e.g. `re-match: 1 package evaluated (1 changed package name), 1 asset touched, 1 new finding, 0 resolved`. */
function getMatchLine(step: MatchStep): string {
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const r = step.result;
  if (step.error || !r) return `re-match failed, changes stay queued: ${step.error?.message}`;
  if ('skipped' in r)
    return `re-match skipped (--no-match): ${count(r.queued, 'changed package name')} queued for the next run`;
  const updated = r.updatedFindings > 0 ? `, ${r.updatedFindings} updated` : '';
  if (r.finishedInterrupted && r.pendingNames === 0)
    return 're-match: nothing changed; finished the VEX, risk and policy steps an interrupted run left';
  return (
    `re-match: ${count(r.packages, 'package')} evaluated (${count(r.pendingNames, 'changed package name')}), ` +
    `${count(r.assets, 'asset')} touched, ${count(r.newFindings, 'new finding')}${updated}, ${r.resolvedFindings} resolved`
  );
}

/** The CLI's own options; the source ids and --from/--offline are checked by the service. */
function checkOptions(options: SyncOptions): void {
  if (options.offline) requireDirectory(options.offline, '--offline');
  const max = Number(options.maxBytes);
  if (!Number.isInteger(max) || max <= 0)
    throw new PatchcastError(
      'USAGE_INVALID_ARGUMENT',
      `--max-bytes ${options.maxBytes} is not a positive whole number`,
    );
}

function printReports(
  reports: Array<{
    source: string;
    outcome: string;
    records?: number;
    newest?: string;
    seconds?: number;
    message?: string;
  }>,
): void {
  printTable(
    reports.map((r) => ({
      source: r.source,
      outcome: r.outcome,
      records: r.records ?? 0,
      newest: r.newest ?? null,
      seconds: r.seconds?.toFixed(1) ?? null,
    })),
  );
  for (const r of reports) if (r.outcome === 'failed' && r.message) printLine(`${r.source}: ${r.message}`);
}
