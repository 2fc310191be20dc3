import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import type { Finding, FindingStatus } from '../../core/types.js';
import { makeStoreAdvisorySource } from '../../matching/advisory-source.js';
import { formatFindingsCsv, loadFindingsAsScan } from '../../matching/findings-export.js';
import { getSeverity, SEVERITY_ORDER, type Severity } from '../../matching/scan.js';
import { formatScanCycloneDx, formatScanSarif } from '../../matching/scan-formats.js';
import { type Db, listFindings } from '../../store/index.js';
import { getGlobalOptions, loadCommandConfig, withStore } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';
import { formatExplanation, loadFindingExplanations } from './explain-finding.js';

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

const STATUSES: FindingStatus[] = ['open', 'suppressed', 'excepted', 'fixed'];
const SORTS = ['risk', 'asset', 'vulnerability', 'package'] as const;
const FORMATS = ['table', 'json', 'csv', 'sarif', 'cyclonedx'];
type SortKey = (typeof SORTS)[number];

/** Highest risk first (unscored last), else by the named column; ties by asset, vulnerability, package. */
function sortFindings(findings: Finding[], key: SortKey): Finding[] {
  const text = (f: Finding) =>
    key === 'vulnerability' ? f.vulnerabilityId : key === 'package' ? f.packageName : f.assetId;
  return findings.sort(
    (a, b) =>
      (key === 'risk' ? (b.risk ?? -1) - (a.risk ?? -1) : text(a).localeCompare(text(b))) ||
      a.assetId.localeCompare(b.assetId) ||
      a.vulnerabilityId.localeCompare(b.vulnerabilityId) ||
      a.packageName.localeCompare(b.packageName),
  );
}

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
      const status = options.status.split(',').map((s) => s.trim()) as FindingStatus[];
      const unknown = status.filter((s) => !STATUSES.includes(s));
      if (unknown.length)
        throw new PatchcastError(
          'USAGE_INVALID_ARGUMENT',
          `--status ${unknown.join(',')} is not one of ${STATUSES.join(', ')}`,
        );
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
      await withStore(command, async (store) => {
        let findings = await listFindings(store.db, {
          status,
          ...(options.asset ? { assetId: options.asset } : {}),
          ...(options.package ? { packageName: options.package } : {}),
          ...(options.vulnerability ? { vulnerabilityId: options.vulnerability } : {}),
        });
        if (options.fixable) findings = findings.filter((f) => f.targetVersion !== undefined);
        if (options.severity) findings = await filterBySeverity(store.db, findings, options.severity);
        const sort =
          (options.sort as SortKey | undefined) ??
          (findings.some((f) => f.risk !== undefined) ? 'risk' : 'asset');
        findings = sortFindings(findings, sort);
        const total = findings.length;
        findings = findings.slice(0, Number(options.limit));
        const explained = options.explain
          ? await loadFindingExplanations(
              store,
              loadCommandConfig(command),
              findings.map((f) => f.id),
            )
          : undefined;
        const format = getGlobalOptions(command).json ? 'json' : options.format;
        if (['csv', 'sarif', 'cyclonedx'].includes(format)) {
          const scan = await loadFindingsAsScan(store.db, findings);
          if (format === 'csv') process.stdout.write(formatFindingsCsv(findings, scan));
          else printJson(format === 'sarif' ? formatScanSarif(scan) : formatScanCycloneDx(scan));
          return;
        }
        if (format === 'json')
          return printJson({
            total,
            findings: explained
              ? findings.map((f) => ({ ...f, explanation: explained.get(f.id) }))
              : findings,
          });
        if (explained) {
          for (const f of findings) {
            const e = explained.get(f.id);
            if (e) for (const line of formatExplanation(e, 3)) printLine(line);
          }
          if (total > findings.length) printLine(`… ${total - findings.length} more (--limit, or --json)`);
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
      });
    });
}

/** Keeps findings whose vulnerability's severity (published, else from its or its CVE's CVSS score) is listed. */
async function filterBySeverity(db: Db, findings: Finding[], list: string): Promise<Finding[]> {
  const wanted = list.split(',').map((s) => s.trim().toLowerCase());
  const unknown = wanted.filter((s) => !SEVERITY_ORDER.includes(s as Severity));
  if (unknown.length) {
    throw new PatchcastError(
      'USAGE_INVALID_ARGUMENT',
      `--severity ${unknown.join(',')} is not one of ${SEVERITY_ORDER.join(', ')}`,
    );
  }
  const details = await makeStoreAdvisorySource(db).loadDetails([
    ...new Set(findings.map((f) => f.vulnerabilityId)),
  ]);
  return findings.filter((f) => wanted.includes(getSeverity(details.get(f.vulnerabilityId))));
}
