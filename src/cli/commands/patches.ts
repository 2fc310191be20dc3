import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import { toPatchJson } from '../../matching/patches.js';
import { listPatches } from '../../services/patches/list-patches.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine } from '../output.js';
import { formatPatchTable } from '../patch-table.js';

/**
 * `patchcast patches`: open findings grouped into what people apply — per asset, one upgrade of a
 * source package or one dependency bump, with the risk it removes; highest risk removed first.
 */
export function registerPatchesCommand(program: Command): void {
  program
    .command('patches')
    .description(
      'open findings grouped into patches (per asset: one source-package upgrade or dependency bump to the version that closes them all), highest risk removed first',
    )
    .option('--asset <id>', 'only this asset')
    .option('--limit <n>', 'at most this many patches', '50')
    .action(async (options: { asset?: string; limit: string }, command: Command) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 0)
        throw new PatchcastError(
          'USAGE_INVALID_ARGUMENT',
          `--limit ${options.limit} is not a whole number ≥ 0`,
          {
            hint: 'Pass --limit 20, say.',
          },
        );
      const { total, patches } = await withServices(command, (deps) =>
        listPatches(deps, { limit, ...(options.asset ? { assetId: options.asset } : {}) }),
      );
      if (getGlobalOptions(command).json) return printJson({ total, patches: patches.map(toPatchJson) });
      if (patches.length === 0) {
        printLine(options.asset ? `No open findings on asset ${options.asset}.` : 'No open findings.');
        return;
      }
      for (const line of formatPatchTable(patches)) printLine(line);
      if (total > patches.length) printLine(`… ${total - patches.length} more (--limit, or --json)`);
      printLine('`patchcast explain <id>` shows what a patch fixes.');
    });
}
