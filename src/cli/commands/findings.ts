import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import type { FindingStatus } from '../../core/types.js';
import { listFindings } from '../../store/index.js';
import { getGlobalOptions, withStore } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';

interface FindingsOptions {
  asset?: string;
  package?: string;
  vulnerability?: string;
  status: string;
  fixable?: boolean;
  limit: string;
}

const STATUSES: FindingStatus[] = ['open', 'suppressed', 'excepted', 'fixed'];

export function registerFindingsCommand(program: Command): void {
  program
    .command('findings')
    .description('list findings (asset × package × vulnerability) with the version that fixes each')
    .option('--asset <id>', 'only this asset')
    .option('--package <name>', 'only this package')
    .option('--vulnerability <id>', 'only this vulnerability')
    .option('--status <list>', `comma-separated: ${STATUSES.join(', ')}`, 'open,suppressed,excepted')
    .option('--fixable', 'only findings with a fix available')
    .option('--limit <n>', 'at most this many rows', '200')
    .action(async (options: FindingsOptions, command: Command) => {
      const status = options.status.split(',').map((s) => s.trim()) as FindingStatus[];
      const unknown = status.filter((s) => !STATUSES.includes(s));
      if (unknown.length)
        throw new PatchcastError(
          'USAGE_INVALID_ARGUMENT',
          `--status ${unknown.join(',')} is not one of ${STATUSES.join(', ')}`,
        );
      await withStore(command, async (store) => {
        let findings = await listFindings(store.db, {
          status,
          ...(options.asset ? { assetId: options.asset } : {}),
          ...(options.package ? { packageName: options.package } : {}),
          ...(options.vulnerability ? { vulnerabilityId: options.vulnerability } : {}),
        });
        if (options.fixable) findings = findings.filter((f) => f.targetVersion !== undefined);
        const total = findings.length;
        findings = findings.slice(0, Number(options.limit));
        if (getGlobalOptions(command).json) return printJson({ total, findings });
        printTable(
          findings.map((f) => ({
            asset: f.assetId,
            package: f.packageName,
            installed: f.installedVersion,
            vulnerability: f.vulnerabilityId,
            fix: f.targetVersion ?? 'none',
            status: f.status,
          })),
        );
        if (total > findings.length) printLine(`… ${total - findings.length} more (--limit, or --json)`);
      });
    });
}
