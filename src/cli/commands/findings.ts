import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import type { FindingStatus } from '../../core/types.js';
import { formatAsOf, getDataAgeNote } from '../../risk/as-of.js';
import { listFindings } from '../../services/findings/list-findings.js';
import { type FindingQuery, SORTS, type SortKey } from '../../services/findings/load-finding-selection.js';
import { loadFindingsScan } from '../../services/findings/load-findings-scan.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine, printTable, printWarnings } from '../output.js';

interface FindingsOptions {
  asset?: string;
  package?: string;
  vulnerability?: string;
  status: string;
  fixable?: boolean;
  severity?: string;
  limit: string;
  sort?: string;
  explain?: boolean;
  format: string;
}

const STATUSES: FindingStatus[] = ['open', 'suppressed', 'excepted', 'fixed', 'retired'];
const FORMATS = ['table', 'json', 'csv', 'sarif', 'cyclonedx'];

export function registerFindingsCommand(program: Command): void {
  program
    .command('findings')
    .description('list findings (asset × package × vulnerability) with the version that fixes each')
    .option('--asset <id>', 'only this asset')
    .option('--package <name>', 'only this package')
    .option('--vulnerability <id>', 'only this vulnerability')
    .option('--status <list>', `comma-separated: ${STATUSES.join(', ')}`, 'open,suppressed,excepted')
    .option(
      '--severity <list>',
      'comma-separated: critical, high, medium, low, unknown (as published, else from CVSS)',
    )
    .option('--fixable', 'only findings with a fix available')
    .option('--limit <n>', 'at most this many rows', '200')
    .option('--sort <key>', `${SORTS.join(', ')} (default: risk once findings are scored, else asset)`)
    .option(
      '--format <format>',
      'table, json, csv, sarif, or cyclonedx (VDR with VEX analysis: not_affected from VEX, accepted risks as will_not_fix)',
      'table',
    )
    .option('--explain', "print each finding's largest risk contributions (JSON: every contribution)")
    .action(async (options: FindingsOptions, command: Command) => {
      const query = getQuery(options);
      if (!FORMATS.includes(options.format))
        throw new PatchcastError(
          'USAGE_INVALID_ARGUMENT',
          `--format ${options.format} is not one of ${FORMATS.join(', ')}`,
        );
      if (options.sort !== undefined && !SORTS.includes(options.sort as SortKey))
        throw new PatchcastError(
          'USAGE_INVALID_ARGUMENT',
          `--sort ${options.sort} is not one of ${SORTS.join(', ')}`,
        );
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 0)
        throw new PatchcastError(
          'USAGE_INVALID_ARGUMENT',
          `--limit ${options.limit} is not a whole number ≥ 0`,
        );
      const sort = options.sort as SortKey | undefined;
      const format = getGlobalOptions(command).json ? 'json' : options.format;
      const isExport = ['csv', 'sarif', 'cyclonedx'].includes(format);
      const { list, scan } = await withServices(command, async (deps) => {
        const list = await listFindings(deps, {
          query,
          limit,
          ...(sort ? { sort } : {}),
          ...(options.explain && !isExport ? { explain: true } : {}),
        });
        return {
          list,
          scan: isExport ? await loadFindingsScan(deps, { findings: list.findings }) : undefined,
        };
      });
      const { asOf, total, findings, explanations, warnings } = list;
      if (scan) {
        // The export formats load the matcher's writers: imported only when asked for.
        const { formatFindingsCsv } = await import('../../matching/findings-export.js');
        const { formatScanCycloneDx, formatScanSarif } = await import('../../matching/scan-formats.js');
        if (format === 'csv') process.stdout.write(formatFindingsCsv(findings, scan));
        else printJson(format === 'sarif' ? formatScanSarif(scan) : formatScanCycloneDx(scan));
        return;
      }
      if (format === 'json')
        return printJson({
          asOf: asOf.day,
          warnings,
          total,
          findings: explanations
            ? findings.map((f) => ({ ...f, explanation: explanations.get(f.id) }))
            : findings,
        });
      printLine(`Findings ${formatAsOf(asOf)} (status and due dates from the last run):`);
      const note = getDataAgeNote(asOf);
      if (note) printLine(note);
      if (explanations) {
        const { formatExplanation } = await import('./explain-finding.js');
        for (const f of findings) {
          const e = explanations.get(f.id);
          if (e) for (const line of formatExplanation(e, 3)) printLine(line);
        }
        if (total > findings.length) printLine(`… ${total - findings.length} more (--limit, or --json)`);
        printWarnings(warnings, 10);
        return;
      }
      printTable(
        findings.map((f) => ({
          risk: f.risk === undefined ? '-' : f.risk.toFixed(3),
          asset: f.assetId,
          package: f.packageName,
          installed: f.installedVersion,
          vulnerability: f.vulnerabilityId,
          fix: f.targetVersion ?? 'none',
          status: f.status,
        })),
      );
      if (total > findings.length) printLine(`… ${total - findings.length} more (--limit, or --json)`);
      printWarnings(warnings, 10);
    });
}

/** The findings the options select; `--severity` is checked once the store is open. */
function getQuery(options: FindingsOptions): FindingQuery {
  const status = options.status.split(',').map((s) => s.trim()) as FindingStatus[];
  const unknown = status.filter((s) => !STATUSES.includes(s));
  if (unknown.length)
    throw new PatchcastError(
      'USAGE_INVALID_ARGUMENT',
      `--status ${unknown.join(',')} is not one of ${STATUSES.join(', ')}`,
    );
  return {
    status,
    ...(options.asset ? { assetId: options.asset } : {}),
    ...(options.package ? { packageName: options.package } : {}),
    ...(options.vulnerability ? { vulnerabilityId: options.vulnerability } : {}),
    ...(options.fixable ? { fixable: true } : {}),
    ...(options.severity ? { severity: options.severity } : {}),
  };
}
