import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import type { DriftReport } from '../../inventory/drift.js';
import { loadAssetDrift } from '../../services/inventory/load-asset-drift.js';
import { setBaseline } from '../../services/inventory/set-baseline.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';

export function registerDriftCommand(program: Command): void {
  const drift = program
    .command('drift')
    .description('what changed on an asset since its baseline (golden image) or its previous inventory')
    .argument('<asset>', 'asset id')
    .option('--against <reference>', 'baseline or previous', 'baseline')
    .action(async (assetId: string, options: { against: string }, command: Command) => {
      if (options.against !== 'baseline' && options.against !== 'previous') {
        throw new PatchcastError(
          'USAGE_INVALID_ARGUMENT',
          `--against ${options.against} is not baseline or previous`,
        );
      }
      const against = options.against;
      const report = await withServices(command, (deps) => loadAssetDrift(deps, { assetId, against }));
      if (getGlobalOptions(command).json) return printJson(report);
      printDrift(report);
    });

  drift
    .command('baseline')
    .description("take an asset's current packages and config hashes as its baseline (golden image)")
    .argument('<asset>', 'asset id')
    .action(async (assetId: string, _options: unknown, command: Command) => {
      const { takenAt, packages, configHashes } = await withServices(command, (deps) =>
        setBaseline(deps, { assetId }),
      );
      if (getGlobalOptions(command).json) return printJson({ assetId, takenAt, packages });
      printLine(`baseline of ${assetId} set: ${packages} packages, ${configHashes} config hashes`);
    });
}

function printDrift(report: DriftReport): void {
  if (report.since === null) {
    printLine(
      `${report.assetId} has no ${report.against} to compare with${report.against === 'baseline' ? ' (set one: patchcast drift baseline ' + report.assetId + ')' : ''}`,
    );
    return;
  }
  const total =
    report.added.length + report.removed.length + report.changed.length + report.configChanged.length;
  printLine(
    `${report.assetId} since its ${report.against} of ${report.since}: ${total === 0 ? 'no drift' : `${total} changes`}`,
  );
  const rows = [
    ...report.changed.map((c) => ({ change: 'changed', package: c.name, from: c.from, to: c.to })),
    ...report.added.map((p) => ({ change: 'added', package: p.name, from: '-', to: p.version })),
    ...report.removed.map((p) => ({ change: 'removed', package: p.name, from: p.version, to: '-' })),
    ...report.configChanged.map((c) => ({
      change: 'config',
      package: c.path,
      from: c.from?.slice(0, 12) ?? '-',
      to: c.to?.slice(0, 12) ?? '-',
    })),
  ];
  if (rows.length > 0) printTable(rows);
}
