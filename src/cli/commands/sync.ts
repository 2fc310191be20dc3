import type { Command } from 'commander';
import { PatchcastError, toPatchcastError } from '../../core/errors.js';
import { FEED_SOURCES, getFeedSource, type SyncReport, syncSource } from '../../feeds/index.js';
import { type MatchAfterSyncReport, runMatchAfterSync } from '../../pipeline/match-after-sync.js';
import { type ModelAfterSyncReport, runModelAfterSync } from '../../pipeline/model-after-sync.js';
import { loadHistory } from '../../predict/index.js';
import { countKevEntries, countPendingMatchKeys, listFeedStates, type Store } from '../../store/index.js';
import { getActor, getGlobalOptions, loadCommandConfig, requireDirectory, withStore } from '../context.js';
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
      const sources = selectSources(ids, options);
      const json = getGlobalOptions(command).json ?? false;
      await withStore(command, async (store) => {
        const reports: Array<SyncReport | { source: string; outcome: 'failed'; message: string }> = [];
        let firstFailure: PatchcastError | undefined;
        for (const source of sources) {
          const progress = makeFeedProgress(source.id, { json });
          try {
            const syncOptions = {
              progress,
              maxBytes: Number(options.maxBytes),
              ...(options.from ? { from: options.from } : {}),
              ...(options.offline ? { offlineDir: options.offline } : {}),
            };
            reports.push(await syncSource(store, source, syncOptions));
          } catch (error) {
            const coded = toPatchcastError(error);
            firstFailure ??= coded;
            reports.push({ source: source.id, outcome: 'failed', message: coded.message });
          } finally {
            progress.stop();
          }
        }
        // After a successful sync: the scheduled retrain (when due) and the day's scores (model.* in
        // the config), then the re-match of the packages whose advisories changed, whose risk scoring
        // reads those stored scores instead of scoring the population a second time.
        const model = firstFailure ? undefined : await runModelStep(store, command, options);
        const match = firstFailure ? undefined : await runMatchStep(store, command, options);
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
        if (firstFailure) throw firstFailure;
        if (match?.error) throw match.error;
        if (model?.error) throw model.error;
      });
    });

  sync
    .command('status')
    .description(
      'per source: records held now (KEV entries taken off the catalog counted apart as removed), newest record, last sync and its outcome',
    )
    .action(async (_options: unknown, command: Command) => {
      await withStore(command, async (store) => {
        const states = await listFeedStates(store.db);
        const kev = await countKevEntries(store.db);
        const rows = FEED_SOURCES.map((source) => {
          const s = states.find((x) => x.source === source.id);
          return {
            source: source.id,
            records: s?.records ?? 0,
            removed: source.id === 'kev' ? kev.removed : null,
            newest: s?.newest ?? null,
            lastSync: s?.lastSync ?? null,
            outcome: s?.outcome ?? 'never',
            message: s?.message ?? null,
          };
        });
        if (getGlobalOptions(command).json) return printJson(rows);
        printTable(rows, ['source', 'records', 'removed', 'newest', 'lastSync', 'outcome']);
        for (const row of rows)
          if (row.outcome === 'failed' && row.message) printLine(`${row.source}: ${row.message}`);
      });
    });
}

type MatchStep = {
  result?: MatchAfterSyncReport | { skipped: '--no-match'; queued: number };
  error?: PatchcastError;
};

/** Undefined when there was nothing to re-match (no queued package names, or no assets). */
async function runMatchStep(
  store: Store,
  command: Command,
  options: SyncOptions,
): Promise<MatchStep | undefined> {
  if (!options.match) {
    const queued = await countPendingMatchKeys(store.db);
    return queued > 0 ? { result: { skipped: '--no-match', queued } } : undefined;
  }
  try {
    const result = await runMatchAfterSync(store, { config: loadCommandConfig(command), now: new Date() });
    return result ? { result } : undefined;
  } catch (error) {
    // The queue is left as it was: the next sync (or `patchcast run`) retries.
    return { error: toPatchcastError(error) };
  }
}

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

async function runModelStep(
  store: Store,
  command: Command,
  options: SyncOptions,
): Promise<{ report?: ModelAfterSyncReport; error?: PatchcastError }> {
  const settings = loadCommandConfig(command).model;
  // model.data when set, else the store just synced: the report says what ran and why a step was skipped.
  try {
    const report = await runModelAfterSync(store, {
      settings,
      now: new Date(),
      actor: getActor(),
      retrain: options.retrain,
      loadHistory: (dir) => loadHistory(dir),
      onStep: (text) => process.stderr.write(`model: ${text}\n`),
    });
    return { report };
  } catch (error) {
    return { error: toPatchcastError(error) };
  }
}

function selectSources(ids: string[], options: SyncOptions) {
  if (options.from && options.offline)
    throw new PatchcastError('USAGE_INVALID_ARGUMENT', '--from and --offline cannot be combined');
  if (options.from && ids.length !== 1)
    throw new PatchcastError(
      'USAGE_INVALID_ARGUMENT',
      '--from reads one source: name exactly one (e.g. patchcast sync kev --from ./kev.json)',
    );
  if (options.offline) requireDirectory(options.offline, '--offline');
  const max = Number(options.maxBytes);
  if (!Number.isInteger(max) || max <= 0)
    throw new PatchcastError(
      'USAGE_INVALID_ARGUMENT',
      `--max-bytes ${options.maxBytes} is not a positive whole number`,
    );
  if (ids.length === 0) return FEED_SOURCES;
  return ids.map((id) => {
    const source = getFeedSource(id);
    if (!source)
      throw new PatchcastError(
        'USAGE_INVALID_ARGUMENT',
        `unknown source "${id}"; known: ${FEED_SOURCES.map((s) => s.id).join(', ')}`,
      );
    return source;
  });
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
