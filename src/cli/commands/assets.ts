import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import { loadCoverageWarnings } from '../../matching/coverage.js';
import {
  appendAuditEvent,
  countOpenFindingsByAsset,
  type Db,
  listAssets,
  loadAsset,
  removeAssetRows,
  retireAssetRows,
} from '../../store/index.js';
import { getActor, getGlobalOptions, withStore } from '../context.js';
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
      const result = await changeAsset(command, id, 'asset:retire', (db, at) => retireAssetRows(db, id, at));
      if (getGlobalOptions(command).json) return printJson({ asset: id, retired: true, ...result });
      printLine(
        `${id} retired: ${result.findingsRetired} findings closed as retired, ${result.packagesRemoved} packages dropped; its history is kept (\`patchcast findings --asset ${id} --status retired\`)`,
      );
    });
  assets
    .command('remove')
    .description(
      'delete an asset and everything recorded about it (findings and their history, packages, imports); the audit log keeps the removal',
    )
    .argument('<id>', 'asset id (see `patchcast assets`)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const deleted = await changeAsset(command, id, 'asset:remove', (db) => removeAssetRows(db, id));
      if (getGlobalOptions(command).json) return printJson({ asset: id, removed: true, deleted });
      const counts = Object.entries(deleted)
        .filter(([table, n]) => n > 0 && table !== 'assets')
        .map(([table, n]) => `${n} ${table.replaceAll('_', ' ')}`);
      printLine(`${id} removed${counts.length ? `, with ${counts.join(', ')}` : ''}`);
    });
}

/** Runs one asset change and its audit event in one transaction; an unknown id is a clear error. */
async function changeAsset<T extends Record<string, number>>(
  command: Command,
  id: string,
  action: 'asset:retire' | 'asset:remove',
  change: (db: Db, at: string) => Promise<T>,
): Promise<T> {
  const at = new Date().toISOString();
  return withStore(command, (store) =>
    store.db.transaction().execute(async (db) => {
      if (!(await loadAsset(db, id)))
        throw new PatchcastError('INPUT_NOT_FOUND', `no asset with id ${id}`, {
          hint: 'List the asset ids with `patchcast assets`.',
        });
      const result = await change(db, at);
      const data: Record<string, number> = { ...result };
      await appendAuditEvent(db, { at, actor: getActor(), action, subject: id, data });
      return result;
    }),
  );
}

async function listAssetsCommand(command: Command): Promise<void> {
  await withStore(command, async (store) => {
    const assets = await listAssets(store.db);
    const open = await countOpenFindingsByAsset(store.db);
    const warnings = await loadCoverageWarnings(store.db);
    const rows = assets.map((a) => ({
      ...a,
      openFindings: open.get(a.id) ?? 0,
      warnings: warnings.filter((w) => w.assetId === a.id).map((w) => w.message),
    }));
    if (getGlobalOptions(command).json) return printJson(rows);
    printTable(
      rows.map((a) => ({
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
    printWarnings(
      warnings.map((w) => w.message),
      20,
    );
  });
}
