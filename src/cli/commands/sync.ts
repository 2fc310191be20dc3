import type { Command } from 'commander';
import { PatchcastError, toPatchcastError } from '../../core/errors.js';
import { FEED_SOURCES, getFeedSource, type SyncReport, syncSource } from '../../feeds/index.js';
import { listFeedStates } from '../../store/index.js';
import { getGlobalOptions, withStore } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';
import { makeFeedProgress } from '../progress.js';

interface SyncOptions {
  from?: string;
  offline?: string;
  maxBytes?: string;
}

export function registerSyncCommand(program: Command): void {
  const sync = program
    .command('sync')
    .description('sync vulnerability and exploit intelligence, live or from a mirror')
    .argument('[sources...]', `sources to sync (default: all): ${FEED_SOURCES.map((s) => s.id).join(', ')}`)
    .option('--from <url|path>', 'read one source from a mirror URL, a local file or a directory')
    .option('--offline <dir>', 'read every source from a mirror directory (no network)')
    .option('--max-bytes <n>', 'largest file accepted', String(2 * 1024 ** 3))
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
        if (json) printJson({ reports });
        else printReports(reports);
        if (firstFailure) throw firstFailure;
      });
    });

  sync
    .command('status')
    .description('per source: records held, newest record, last sync and its outcome')
    .action(async (_options: unknown, command: Command) => {
      await withStore(command, async (store) => {
        const states = await listFeedStates(store.db);
        const rows = FEED_SOURCES.map((source) => {
          const s = states.find((x) => x.source === source.id);
          return {
            source: source.id,
            records: s?.records ?? 0,
            newest: s?.newest ?? null,
            lastSync: s?.lastSync ?? null,
            outcome: s?.outcome ?? 'never',
            message: s?.message ?? null,
          };
        });
        if (getGlobalOptions(command).json) return printJson(rows);
        printTable(rows, ['source', 'records', 'newest', 'lastSync', 'outcome']);
        for (const row of rows)
          if (row.outcome === 'failed' && row.message) printLine(`${row.source}: ${row.message}`);
      });
    });
}

function selectSources(ids: string[], options: SyncOptions) {
  if (options.from && options.offline)
    throw new PatchcastError('USAGE_INVALID_ARGUMENT', '--from and --offline cannot be combined');
  if (options.from && ids.length !== 1)
    throw new PatchcastError(
      'USAGE_INVALID_ARGUMENT',
      '--from reads one source: name exactly one (e.g. patchcast sync kev --from ./kev.json)',
    );
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
