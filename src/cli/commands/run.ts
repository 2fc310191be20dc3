import type { Command } from 'commander';
import {
  countVulnerabilities,
  getLatestMigration,
  listAssets,
  listFeedStates,
  listFindings,
} from '../../store/index.js';
import { getGlobalOptions, loadCommandConfig, withStore } from '../context.js';
import { printJson, printLine } from '../output.js';

/**
 * patchcast's main job on whatever is configured: open (and migrate) the store, then run each stage of
 * the pipeline that exists. Later stages (sync, match, risk, plan) join here as they land.
 */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description("run patchcast's pipeline once on the configured store and print what it knows")
    .action(async (_options: unknown, command: Command) => {
      const config = loadCommandConfig(command);
      await withStore(command, async (store) => {
        const summary = {
          store: { dialect: store.dialect, location: store.location, schema: getLatestMigration() },
          config: config.file ?? '(built-in defaults)',
          vulnerabilities: await countVulnerabilities(store.db),
          assets: (await listAssets(store.db)).length,
          openFindings: (await listFindings(store.db, { status: ['open'] })).length,
          feeds: await listFeedStates(store.db),
        };
        if (getGlobalOptions(command).json) return printJson(summary);
        printLine('patchcast — forecast-driven patch management');
        printLine(
          `store     ${summary.store.dialect} ${summary.store.location} (schema ${summary.store.schema})`,
        );
        printLine(`config    ${summary.config}`);
        printLine(`intel     ${summary.vulnerabilities} vulnerabilities from ${summary.feeds.length} feeds`);
        printLine(`baseline  ${summary.assets} assets, ${summary.openFindings} open findings`);
      });
    });
}
