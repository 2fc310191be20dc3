import type { Command } from 'commander';
import { listAssets } from '../../services/assets/list-assets.js';
import { removeAsset } from '../../services/assets/remove-asset.js';
import { retireAsset } from '../../services/assets/retire-asset.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine, printTable, printWarnings } from '../output.js';

/** `patchcast assets`: list them; `assets retire ID` and `assets remove ID`, both audited. */
export function registerAssetsCommand(program: Command): void {
  const assets = program
    .command('assets')
    .description('list assets with their context (environment, criticality, exposure, owner)')
    .action(async (_options: unknown, command: Command) => listAssetsCommand(command));
  assets
    .command('retire')
    .description(
      'retire an asset: its open findings close as retired, its packages go; the asset and its history stay',
    )
    .argument('<id>', 'asset id (see `patchcast assets`)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const result = await withServices(command, (deps) => retireAsset(deps, { assetId: id }));
      const { findingsRetired, packagesRemoved } = result;
      if (getGlobalOptions(command).json)
        return printJson({ asset: id, retired: true, findingsRetired, packagesRemoved });
      printLine(
        `${id} retired: ${findingsRetired} findings closed as retired, ${packagesRemoved} packages dropped; its history is kept (\`patchcast findings --asset ${id} --status retired\`)`,
      );
    });
  assets
    .command('remove')
    .description(
      'delete an asset and everything recorded about it (findings and their history, packages, imports); the audit log keeps the removal',
    )
    .argument('<id>', 'asset id (see `patchcast assets`)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { deleted } = await withServices(command, (deps) => removeAsset(deps, { assetId: id }));
      if (getGlobalOptions(command).json) return printJson({ asset: id, removed: true, deleted });
      const counts = Object.entries(deleted)
        .filter(([table, n]) => n > 0 && table !== 'assets')
        .map(([table, n]) => `${n} ${table.replaceAll('_', ' ')}`);
      printLine(`${id} removed${counts.length ? `, with ${counts.join(', ')}` : ''}`);
    });
}

async function listAssetsCommand(command: Command): Promise<void> {
  const { assets, warnings } = await withServices(command, listAssets);
  if (getGlobalOptions(command).json) return printJson(assets);
  printTable(
    assets.map((a) => ({
      asset: a.id,
      kind: a.kind,
      env: a.environment ?? null,
      criticality: a.criticality ?? null,
      internet: a.internetExposed ? 'yes' : 'no',
      owner: a.owner ?? null,
      os: a.osEcosystem ?? null,
      open: a.openFindings,
      retired: a.tags.includes('retired') ? 'yes' : '-',
    })),
  );
  printWarnings(warnings, 20);
}
