import type { Command } from 'commander';
import { runPipeline } from '../../pipeline/run-pipeline.js';
import { formatExploitShort } from '../../risk/score/index.js';
import { getGlobalOptions, loadCommandConfig, withStore } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';
import { makeFeedProgress } from '../progress.js';

/**
 * patchcast's main job (`npm start`): intelligence in, baseline in, match, score risk, rank — on the configured
 * store. On a fresh store it loads the bundled snapshot of real public data and the demo fleet.
 */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description(
      "run patchcast's pipeline once: sync (bundled snapshot on a first run), import, match (incrementally once matched), score risk, rank",
    )
    .option('--offline <dir>', 'sync every feed from this mirror directory first')
    .option('--top <n>', 'how many findings to show', '10')
    .option(
      '--full-match',
      'evaluate every installed package again, not only those whose advisories changed (after an upgrade, say)',
    )
    .action(async (options: { offline?: string; top: string; fullMatch?: boolean }, command: Command) => {
      const config = loadCommandConfig(command);
      const json = getGlobalOptions(command).json ?? false;
      await withStore(command, async (store) => {
        const summary = await runPipeline(store, {
          config,
          now: new Date(),
          top: Number(options.top),
          progress: (source) => makeFeedProgress(source, { json }),
          onStep: (text) => process.stderr.write(`${text}\n`),
          ...(options.offline ? { offlineDir: options.offline } : {}),
          ...(options.fullMatch ? { fullMatch: true } : {}),
        });
        if (json)
          return printJson({ store: { dialect: store.dialect, location: store.location }, ...summary });
        printLine('patchcast — forecast-driven patch management');
        printLine(`store     ${store.dialect} ${store.location}`);
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
        if (summary.top.length === 0) return;
        printLine('');
        printLine(
          'First to patch, by risk (exploit likelihood × impact × exposure; `patchcast explain <id>`):',
        );
        printTable(
          summary.top.map((f) => ({
            risk: f.risk.toFixed(3),
            ssvc: f.ssvc,
            asset: f.assetId,
            package: `${f.packageName} ${f.installedVersion}`,
            vulnerability: f.cve ?? f.vulnerabilityId,
            kev: f.kev ? (f.ransomware ? 'yes+ransomware' : 'yes') : '-',
            exploits: f.exploitSources.length ? f.exploitSources.slice(0, 3).join(',') : '-',
            exploit: formatExploitShort(f.exploit),
            epss: f.epss === null ? '-' : f.epss.toFixed(3),
            cvss: f.cvss ?? '-',
            fix: f.targetVersion ?? 'none',
          })),
        );
      });
    });
}
