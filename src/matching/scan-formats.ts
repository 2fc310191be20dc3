import { createRequire } from 'node:module';
import type { ScanFinding, ScanResult, Severity } from './scan.js';

const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };

const SARIF_LEVEL: Record<Severity, string> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  unknown: 'note',
};
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
  unknown: '0.0',
};

/** SARIF 2.1.0: one rule per vulnerability, one result per finding, located at the inventory file. */
export function formatScanSarif(result: ScanResult): Record<string, unknown> {
  const rules = new Map<string, Record<string, unknown>>();
  for (const f of result.findings) {
    if (rules.has(f.vulnerability.id)) continue;
    rules.set(f.vulnerability.id, {
      id: f.vulnerability.id,
      name: f.vulnerability.id,
      shortDescription: { text: f.vulnerability.summary ?? f.vulnerability.id },
      helpUri: `https://osv.dev/vulnerability/${encodeURIComponent(f.vulnerability.id)}`,
      properties: {
        'security-severity': SECURITY_SEVERITY[f.vulnerability.severity],
        tags: ['security', 'vulnerability', ...f.vulnerability.aliases],
      },
    });
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'patchcast',
            version: pkg.version,
            informationUri: 'https://patchcast.dev',
            rules: [...rules.values()],
          },
        },
        results: result.findings.map(toSarifResult),
      },
    ],
  };
}

function toSarifResult(f: ScanFinding): Record<string, unknown> {
  const fix = f.targetVersion ? `; fixed in ${f.targetVersion}` : '; no fix available';
  const out: Record<string, unknown> = {
    ruleId: f.vulnerability.id,
    level: SARIF_LEVEL[f.vulnerability.severity],
    message: { text: `${f.package.name} ${f.package.version} is affected by ${f.vulnerability.id}${fix}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: f.source || f.asset } } }],
    properties: { asset: f.asset, purl: f.package.purl, fixedVersions: f.fixedVersions },
  };
  if (f.suppressed)
    out.suppressions = [
      { kind: 'external', justification: f.suppression?.justification ?? 'VEX', status: 'accepted' },
    ];
  return out;
}

/** CycloneDX 1.5 VDR/VEX: the affected components and a vulnerability entry per finding, with analysis. */
export function formatScanCycloneDx(result: ScanResult): Record<string, unknown> {
  const components = new Map<string, Record<string, unknown>>();
  for (const f of result.findings) {
    const ref = f.package.purl ?? `${f.package.ecosystem}/${f.package.name}@${f.package.version}`;
    if (!components.has(ref)) {
      components.set(ref, {
        type: 'library',
        'bom-ref': ref,
        name: f.package.name,
        version: f.package.version,
        ...(f.package.purl ? { purl: f.package.purl } : {}),
      });
    }
  }
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    version: 1,
    metadata: { tools: { components: [{ type: 'application', name: 'patchcast', version: pkg.version }] } },
    components: [...components.values()],
    vulnerabilities: result.findings.map((f) => ({
      id: f.vulnerability.id,
      source: { name: 'OSV', url: `https://osv.dev/vulnerability/${encodeURIComponent(f.vulnerability.id)}` },
      references: f.vulnerability.aliases.map((id) => ({
        id,
        source: { name: id.startsWith('CVE-') ? 'NVD' : 'OSV' },
      })),
      ratings: [{ severity: f.vulnerability.severity }],
      recommendation: f.targetVersion
        ? `Upgrade ${f.package.name} to ${f.targetVersion}`
        : 'No fixed version is known',
      affects: [{ ref: f.package.purl ?? `${f.package.ecosystem}/${f.package.name}@${f.package.version}` }],
      analysis: getAnalysis(f),
    })),
  };
}

/** CycloneDX's justification values, and the OpenVEX/CSAF ones that mean the same. */
const CDX_JUSTIFICATIONS = new Set([
  'code_not_present',
  'code_not_reachable',
  'requires_configuration',
  'requires_dependency',
  'requires_environment',
  'protected_by_compiler',
  'protected_at_runtime',
  'protected_at_perimeter',
  'protected_by_mitigating_control',
]);
const FROM_OPENVEX: Record<string, string> = {
  component_not_present: 'code_not_present',
  vulnerable_code_not_present: 'code_not_present',
  vulnerable_code_not_in_execute_path: 'code_not_reachable',
  vulnerable_code_cannot_be_controlled_by_adversary: 'requires_environment',
  inline_mitigations_already_exist: 'protected_by_mitigating_control',
};

/** VEX-suppressed → not_affected (justification in CycloneDX's terms); accepted risk → exploitable, will_not_fix. */
function getAnalysis(f: ScanFinding): Record<string, unknown> {
  const s = f.suppression;
  if (s?.kind === 'exception')
    return {
      state: 'exploitable',
      response: ['will_not_fix'],
      detail: `risk accepted: ${s.justification ?? 'exception'} (${s.source})`,
    };
  if (!f.suppressed) return { state: 'exploitable' };
  const text = s?.justification ?? undefined;
  const justification = text && (CDX_JUSTIFICATIONS.has(text) ? text : FROM_OPENVEX[text]);
  return {
    state: 'not_affected',
    ...(justification ? { justification } : {}),
    ...(text ? { detail: text } : {}),
  };
}
