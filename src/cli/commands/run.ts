import type { Command } from 'commander';
import { formatAsOf, getDataAgeNote } from '../../risk/as-of.js';
import { runPipeline } from '../../services/pipeline/run-pipeline.js';
import { getGlobalOptions, requireDirectory, withServices } from '../context.js';
import { printJson, printLine, printWarnings } from '../output.js';
import { formatPatchTable } from '../patch-table.js';
import { makeFeedProgress } from '../progress.js';

interface RunCommandOptions {
  demo?: boolean;
  offline?: string;
  top: string;
  fullMatch?: boolean;
}

/**
 * patchcast's main job (`npm start` = `patchcast run --demo`): intelligence in, baseline in, match,
 * score risk, rank — on the configured store. A store with no advisories gets the bundled snapshot of
 * real public data; one with no assets gets the demo fleet with --demo, else the STORE_NO_ASSETS error.
 */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description(
      "run patchcast's pipeline once: sync (bundled snapshot on a first run), import, match (incrementally once matched), score risk, rank",
    )
    .option(
      '--demo',
      'on a store with no assets, import the bundled demo fleet (without it such a store is refused)',
    )
    .option('--offline <dir>', 'sync every feed from this mirror directory first')
    .option('--top <n>', 'how many patches (and, in --json, findings) to show', '10')
    .option(
      '--full-match',
      'evaluate every installed package again, not only those whose advisories changed (after an upgrade, say)',
    )
    .action(async (options: RunCommandOptions, command: Command) => {
      if (options.offline) requireDirectory(options.offline, '--offline');
      const json = getGlobalOptions(command).json ?? false;
      const bars = makeBarSet(json);
      const summary = await withServices(command, (deps) =>
        runPipeline(deps, {
          top: Number(options.top),
          progress: bars.make,
          onStep: (text) => process.stderr.write(`${text}\n`),
          ...(options.offline ? { offlineDir: options.offline } : {}),
          ...(options.fullMatch ? { fullMatch: true } : {}),
          ...(options.demo ? { demo: true } : {}),
        }).finally(bars.stopAll),
      );
      const { asOf, store, warnings } = summary;
      if (json) return printJson({ ...summary, asOf: asOf.day });
      printLine(`patchcast — forecast-driven patch management, ${formatAsOf(asOf)}`);
      printLine(`store     ${store.dialect} ${store.location}`);
      const note = getDataAgeNote(asOf);
      if (note) printLine(`          ${note}`);
      for (const step of summary.steps) printLine(`          ${step}`);
      printLine(
        `intel     ${summary.vulnerabilities} vulnerabilities; ${summary.synced.map((s) => `${s.source} ${s.records}`).join(', ') || 'no sync this run'}`,
      );
      printLine(
        summary.match === 'whole'
          ? `baseline  ${summary.assets} assets; ${summary.findings.distinctPackages} distinct packages`
          : `baseline  ${summary.assets} assets, unchanged; ${summary.findings.distinctPackages} packages re-evaluated for changed advisories`,
      );
      printLine(
        `findings  ${summary.openFindings} open (${summary.findings.resolved} resolved this run, ${summary.findings.suppressedByVex} suppressed by VEX)`,
      );
      printWarnings(warnings, 10);
      if (summary.patches.length === 0) return;
      printLine('');
      printLine('First to patch: patches by risk removed (exploit likelihood × impact × exposure);');
      printLine('`patchcast explain <id>` shows what one fixes, `patchcast patches` lists them all.');
      for (const line of formatPatchTable(summary.patches)) printLine(line);
    });
}

/**
 * The feed progress bars of one run, each stopped when the next starts and all when the pipeline ends:
 * a bar left running kept its timer, and so the process, alive in a terminal.
 */
function makeBarSet(json: boolean) {
  const bars: FeedBar[] = [];
  const stopAll = () => {
    for (const bar of bars) bar.stop();
  };
  const make = (source: string): FeedBar => {
    stopAll();
    const bar = makeFeedProgress(source, { json });
    bars.push(bar);
    return bar;
  };
  return { make, stopAll };
}

type FeedBar = ReturnType<typeof makeFeedProgress>;
