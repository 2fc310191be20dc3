import type { Finding } from '../core/types.js';
import type { VulnerabilityDetails } from './advisory-source.js';
import { getSeverity, type ScanFinding, type ScanResult } from './scan.js';

/**
 * Stored findings in the shape of a scan's findings, so the same SARIF and CycloneDX (VDR/VEX) writers
 * serve both: with package purls, vulnerability aliases and severity, and the reason a finding is not
 * open (a VEX statement, or an accepted risk). `details` holds each vulnerability's, `purls[i]` the
 * installed package's purl of `findings[i]`, when known. Pure.
 */
export function getFindingsAsScan(
  findings: readonly Finding[],
  details: ReadonlyMap<string, VulnerabilityDetails>,
  purls: readonly (string | undefined)[],
): ScanResult {
  const out: ScanFinding[] = [];
  for (const [i, f] of findings.entries()) {
    const purl = purls[i];
    const d = details.get(f.vulnerabilityId);
    const hidden = f.status === 'suppressed' || f.status === 'excepted';
    out.push({
      asset: f.assetId,
      package: {
        ecosystem: f.ecosystem,
        name: f.packageName,
        version: f.installedVersion,
        purl: purl ?? null,
      },
      vulnerability: {
        id: f.vulnerabilityId,
        aliases: d?.aliases ?? [],
        severity: getSeverity(d),
        summary: d?.summary ?? null,
      },
      fixedVersions: f.fixedVersions,
      targetVersion: f.targetVersion ?? null,
      suppressed: hidden,
      suppression:
        hidden && f.suppression
          ? {
              kind: f.suppression.kind,
              status: f.status,
              justification: f.suppression.justification,
              source: f.suppression.ref ?? '',
            }
          : null,
      source: f.assetId,
    });
  }
  return {
    findings: out,
    problems: [],
    warnings: [],
    packages: new Set(findings.map((f) => `${f.ecosystem}\0${f.packageName}\0${f.installedVersion}`)).size,
  };
}

const CSV_COLUMNS = [
  'risk',
  'asset',
  'ecosystem',
  'package',
  'installed',
  'vulnerability',
  'aliases',
  'severity',
  'fixed_versions',
  'target_version',
  'status',
  'due_date',
  'first_seen',
] as const;

/** RFC 4180 CSV of findings (one line each, a header first). */
export function formatFindingsCsv(findings: readonly Finding[], scan: ScanResult): string {
  const lines = [CSV_COLUMNS.join(',')];
  findings.forEach((f, i) => {
    const s = scan.findings[i];
    const cells = [
      f.risk?.toFixed(4) ?? '',
      f.assetId,
      f.ecosystem,
      f.packageName,
      f.installedVersion,
      f.vulnerabilityId,
      (s?.vulnerability.aliases ?? []).join(' '),
      s?.vulnerability.severity ?? '',
      f.fixedVersions.join(' '),
      f.targetVersion ?? '',
      f.status,
      f.dueDate ?? '',
      f.firstSeen,
    ];
    lines.push(cells.map(quoteCsv).join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}

function quoteCsv(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
