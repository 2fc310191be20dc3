import type { Command } from 'commander';
import { collectInventory } from '../../inventory/collect.js';
import { INVENTORY_FORMATS } from '../../inventory/registry.js';
import { importInventory } from '../../services/inventory/import-inventory.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine, printTable, printWarnings } from '../output.js';

export function registerInventoryCommand(program: Command): void {
  const inventory = program
    .command('inventory')
    .description('the asset baseline: SBOMs, package databases, lockfiles, asset registries');

  inventory
    .command('import')
    .description('import inventories (files or directory trees) and re-match the assets they touch')
    .argument(
      '<paths...>',
      'SBOMs, package databases, lockfiles, agent reports, asset registries (CSV/YAML), or directories',
    )
    .option('--asset <id>', 'put every package found into this one asset')
    .option('--no-match', 'only import; do not re-match')
    .action(async (paths: string[], options: { asset?: string; match: boolean }, command: Command) => {
      const collected = await collectInventory(paths, options.asset ? { assetId: options.asset } : {});
      const summary = await withServices(command, (deps) =>
        importInventory(deps, { collected, match: options.match }),
      );
      const matched = summary.matched;
      const result = {
        assets: collected.assets.map((a) => ({
          id: a.assetId,
          kind: a.kind,
          os: a.osEcosystem ?? null,
          packages: a.packages.length,
          sources: a.sources,
        })),
        registryAssets: summary.registryAssets,
        findings: matched?.findings ?? null,
        resolved: matched?.resolved ?? null,
        warnings: summary.warnings,
      };
      if (getGlobalOptions(command).json) return printJson(result);
      printTable(
        result.assets.map((a) => ({
          asset: a.id,
          kind: a.kind,
          os: a.os,
          packages: a.packages,
          formats: [...new Set(a.sources.map((s) => s.format))],
        })),
      );
      if (summary.registryAssets) printLine(`${summary.registryAssets} assets from registries`);
      if (matched)
        printLine(`matched: ${matched.findings} findings on these assets (${matched.resolved} resolved)`);
      printWarnings(result.warnings);
    });

  inventory
    .command('formats')
    .description('list the inventory formats patchcast reads')
    .action((_options: unknown, command: Command) => {
      const rows = INVENTORY_FORMATS.map((f) => ({ format: f.id, description: f.description }));
      if (getGlobalOptions(command).json) return printJson(rows);
      printTable(rows);
    });
}
