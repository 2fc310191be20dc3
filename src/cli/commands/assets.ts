import type { Command } from 'commander';
import { listAssets } from '../../store/index.js';
import { getGlobalOptions, withStore } from '../context.js';
import { printJson, printTable } from '../output.js';

export function registerAssetsCommand(program: Command): void {
  program
    .command('assets')
    .description('list assets with their context (environment, criticality, exposure, owner)')
    .action(async (_options: unknown, command: Command) => {
      await withStore(command, async (store) => {
        const assets = await listAssets(store.db);
        const counts = await store.db
          .selectFrom('findings')
          .select(['asset_id', (eb) => eb.fn.countAll<number>().as('n')])
          .where('status', '=', 'open')
          .groupBy('asset_id')
          .execute();
        const open = new Map(counts.map((c) => [c.asset_id, Number(c.n)]));
        const rows = assets.map((a) => ({ ...a, openFindings: open.get(a.id) ?? 0 }));
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
          })),
        );
      });
    });
}
