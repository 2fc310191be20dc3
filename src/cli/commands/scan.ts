import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { EXIT, PatchcastError } from '../../core/errors.js';
import { collectInventory } from '../../inventory/collect.js';
import { loadOsvAdvisorySource } from '../../matching/advisory-source.js';
import { type ScanResult, SEVERITY_ORDER, type Severity, scanInventories } from '../../matching/scan.js';
import { formatScanCycloneDx, formatScanSarif } from '../../matching/scan-formats.js';
import { parseVexDocument, type VexStatement } from '../../matching/vex/index.js';
import { scanInventories as scanStore } from '../../services/scan/scan-inventories.js';
import { getGlobalOptions, withServices } from '../context.js';
import { requestExitCode } from '../exit-code.js';
import { printJson, printLine, printTable, printWarnings } from '../output.js';

interface ScanOptions {
  advisories?: string;
  format: string;
  failOn?: string;
  vex?: string[];
  asset?: string;
}

const FORMATS = ['table', 'json', 'sarif', 'cyclonedx'];

export function registerScanCommand(program: Command): void {
  program
    .command('scan')
    .description(
      'scan SBOMs, lockfiles, package databases or directory trees for known vulnerabilities (nothing is stored)',
    )
    .argument('<paths...>', 'files or directories to scan')
    .option(
      '--advisories <path>',
      'OSV records to match against (a directory, an all.zip or a JSON file) instead of the store',
    )
    .option('--format <format>', `output: ${FORMATS.join(', ')}`, 'table')
    .option(
      '--fail-on <severity>',
      'exit 1 when an unsuppressed finding is at or above: low, medium, high, critical',
    )
    .option(
      '--vex <file...>',
      'VEX documents (CycloneDX, OpenVEX, CSAF) whose not_affected/fixed statements suppress findings',
    )
    .option('--asset <id>', 'treat everything scanned as this one asset')
    .action(async (paths: string[], options: ScanOptions, command: Command) => {
      const format = getGlobalOptions(command).json ? 'json' : options.format;
      if (!FORMATS.includes(format))
        throw new PatchcastError(
          'USAGE_INVALID_ARGUMENT',
          `--format ${format} is not one of ${FORMATS.join(', ')}`,
        );
      const failOn = parseFailOn(options.failOn);
      const collected = await collectInventory(paths, options.asset ? { assetId: options.asset } : {});
      const vex = await loadVex(options.vex ?? []);
      const result = options.advisories
        ? await scanInventories(collected.assets, await loadOsvAdvisorySource(options.advisories), vex)
        : await withServices(command, (deps) => scanStore(deps, { assets: collected.assets, vex }));
      printScan(result, format);
      if (
        failOn &&
        result.findings.some(
          (f) =>
            !f.suppressed &&
            SEVERITY_ORDER.indexOf(f.vulnerability.severity) >= SEVERITY_ORDER.indexOf(failOn),
        )
      ) {
        requestExitCode(EXIT.found);
      }
    });
}

function parseFailOn(value: string | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  const severity = value.toLowerCase() as Severity;
  if (!['low', 'medium', 'high', 'critical'].includes(severity)) {
    throw new PatchcastError(
      'USAGE_INVALID_ARGUMENT',
      `--fail-on ${value} is not one of low, medium, high, critical`,
    );
  }
  return severity;
}

async function loadVex(files: string[]): Promise<VexStatement[]> {
  const statements: VexStatement[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch((error: Error) => {
      throw new PatchcastError('INPUT_NOT_FOUND', `VEX document ${file} cannot be read: ${error.message}`);
    });
    statements.push(...parseVexDocument(file, text));
  }
  return statements;
}

function printScan(result: ScanResult, format: string): void {
  const problems = result.problems.map((p) => ({
    package: p.package,
    vulnerability: p.vulnerabilityId ?? null,
    problem: p.problem,
  }));
  const warnings = result.warnings.map((w) => w.message);
  if (format === 'json') printJson({ findings: result.findings, problems, warnings });
  else if (format === 'sarif') printJson(formatScanSarif(result));
  else if (format === 'cyclonedx') printJson(formatScanCycloneDx(result));
  else printScanTable(result);
}

function printScanTable(result: ScanResult): void {
  if (result.findings.length === 0) printLine(`no known vulnerabilities in ${result.packages} packages`);
  else {
    printTable(
      result.findings.map((f) => ({
        asset: f.asset,
        package: f.package.name,
        installed: f.package.version,
        vulnerability: f.vulnerability.id,
        severity: f.vulnerability.severity,
        fix: f.targetVersion ?? (f.fixedVersions.length ? `(${f.fixedVersions.join(', ')})` : 'none'),
        status: f.suppressed ? `suppressed (${f.suppression?.justification ?? 'vex'})` : 'open',
      })),
    );
    const open = result.findings.filter((f) => !f.suppressed).length;
    printLine(
      `${result.findings.length} findings (${open} open, ${result.findings.length - open} suppressed by VEX) in ${result.packages} packages`,
    );
  }
  for (const p of result.problems.slice(0, 10))
    printLine(`warning: ${p.package.ecosystem}/${p.package.name}@${p.package.version}: ${p.problem}`);
  printWarnings(result.warnings.map((w) => w.message));
}
