/**
 * Oracle: Trivy's own integration cases (../shared/testdata/e2e/trivy). Each case's inventory is
 * scanned by patchcast against Trivy's advisory fixtures converted to OSV records, and the findings
 * — (package, installed version, vulnerability id, fixed versions) — must equal Trivy's golden report.
 *
 * Deliberate differences, normalised on both sides before comparing (each is a presentation choice,
 * not a different verdict):
 * - PyPI names: patchcast reports the PEP 503 normalised name (`werkzeug`), Trivy the name as the
 *   lockfile spells it (`Werkzeug`). OSV matches PyPI names normalised too.
 * - Go versions: OSV writes Go module versions without the `v` (`2.7.1+incompatible`), Trivy prints
 *   them as go.mod does (`v2.7.1+incompatible`) — and its fixed versions as the database spells them
 *   (`v2.8.0` next to `0.37.0`).
 * - Red Hat: Trivy reports the CVEs of an RHSA; the converter writes one OSV record per CVE (RHSA in
 *   `related`) to compare like with like. OSV's real Red Hat feed is keyed by RHSA, so on real data
 *   patchcast reports `RHSA-…` ids where Trivy reports `CVE-…`. Trivy picks the RHEL product stream
 *   through content sets and cpe.yaml; patchcast through the ecosystem's release (see the CentOS case).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AssetInventory, collectInventory } from '../../src/inventory/collect.js';
import { type AdvisorySource, loadOsvAdvisorySource } from '../../src/matching/advisory-source.js';
import { type ScanFinding, scanInventories } from '../../src/matching/scan.js';
import { runPatchcast } from '../support/cli.js';
import { describeWithShared, hasSharedData, SHARED_DIR } from '../support/shared-data.js';
import { convertTrivyDb, writeOsvRecords } from '../support/trivy-db.js';

const TRIVY = join(SHARED_DIR, 'testdata/e2e/trivy/');
const present = hasSharedData('testdata/e2e/trivy/manifest.json');

interface TrivyReport {
  Results?: Array<{
    Type: string;
    Vulnerabilities?: Array<{
      PkgName: string;
      InstalledVersion: string;
      FixedVersion?: string;
      VulnerabilityID: string;
    }>;
  }>;
}

/** One finding as Trivy and patchcast both can state it, normalised as the header explains. */
function makeKey(
  type: string,
  name: string,
  installed: string,
  id: string,
  fixed: readonly string[],
): string {
  const isGo = type === 'gomod' || type === 'Go';
  const isPypi = type === 'pip' || type === 'poetry' || type === 'pylock' || type === 'PyPI';
  const version = (v: string) => (isGo ? v.replace(/^v(?=\d)/, '') : v);
  const pkg = isPypi ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
  const fixes = [...new Set(fixed.map(version))].sort().join(', ');
  return `${pkg}@${version(installed)} ${id} [${fixes}]`;
}

function getExpected(name: string): string[] {
  const report = JSON.parse(readFileSync(join(TRIVY, name, 'expected.json'), 'utf8')) as TrivyReport;
  const keys = (report.Results ?? []).flatMap((r) =>
    (r.Vulnerabilities ?? []).map((v) =>
      makeKey(
        r.Type,
        v.PkgName,
        v.InstalledVersion,
        v.VulnerabilityID,
        v.FixedVersion ? v.FixedVersion.split(',').map((s) => s.trim()) : [],
      ),
    ),
  );
  return [...new Set(keys)].sort();
}

function getFound(findings: readonly ScanFinding[]): string[] {
  const keys = findings.map((f) =>
    makeKey(f.package.ecosystem, f.package.name, f.package.version, f.vulnerability.id, f.fixedVersions),
  );
  return [...new Set(keys)].sort();
}

const CASES: string[] = present
  ? (
      JSON.parse(readFileSync(join(TRIVY, 'manifest.json'), 'utf8')) as { cases: Array<{ case: string }> }
    ).cases.map((c) => c.case)
  : [];

describeWithShared(
  present,
  'testdata/e2e/trivy/manifest.json',
  'Trivy integration cases: patchcast finds what Trivy finds',
  () => {
    let dir: string;
    let source: AdvisorySource;
    const summary: string[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'patchcast-trivy-'));
      const { records } = convertTrivyDb(join(TRIVY, 'db'));
      writeOsvRecords(records, dir);
      source = await loadOsvAdvisorySource(dir);
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      console.log(summary.join('\n'));
    });

    it('converts every bucket OSV has an ecosystem for', () => {
      // Trivy fixtures for distributions OSV does not publish (or, for Alpine edge, publishes under no release).
      expect(convertTrivyDb(join(TRIVY, 'db')).skipped).toEqual([
        'alpine edge: no OSV ecosystem',
        'amazon linux 1: no OSV ecosystem',
        'amazon linux 2: no OSV ecosystem',
        'k8s::Official Kubernetes CVE Feed: no OSV ecosystem',
        'CBL-Mariner 1.0: no OSV ecosystem',
        'Oracle Linux 8: no OSV ecosystem',
        'Photon OS 3.0: no OSV ecosystem',
      ]);
    });

    it("carries Trivy's vulnerable-and-not-patched rule into OSV ranges", () => {
      const { records } = convertTrivyDb(join(TRIVY, 'db'));
      const events = (id: string) =>
        records.find((r) => r.id === id)?.affected[0]?.ranges.map((r) => r.events);
      // `>= 2.0.0, <= 2.9.10.3` with 2.9.10.4 patched: written as GitHub's OSV export writes it.
      expect(events('CVE-2020-9548')).toEqual([[{ introduced: '2.0.0' }, { fixed: '2.9.10.4' }]]);
      // `<= 1.6.14` but 1.6.14 patched: Trivy calls 1.6.14 safe, so the range ends before it.
      expect(events('CVE-2022-42975')).toEqual([[{ introduced: '0' }, { fixed: '1.6.14' }]]);
      // Patched constraints only (`>= 3.1.0`, `>= 2.1.3, < 3.0.0`): vulnerable is the complement.
      expect(events('CVE-2021-38193')).toEqual([
        [{ introduced: '0' }, { fixed: '2.1.3' }],
        [{ introduced: '3.0.0' }, { fixed: '3.1.0' }],
      ]);
    });

    it.each(CASES)('%s', async (name) => {
      const inventory = await collectInventory([join(TRIVY, name, 'input')]);
      const result = await scanInventories(inventory.assets, source);
      const expected = getExpected(name);
      const found = getFound(result.findings);
      const equal = found.filter((k) => expected.includes(k)).length;
      summary.push(`${name}: ${expected.length} expected, ${found.length} found, ${equal} equal`);
      expect(result.problems).toEqual([]);
      expect(found).toEqual(expected);
    });

    it('meets only the RHEL release of the package, as Trivy does through content sets (CentOS 7 → RHEL 7)', async () => {
      // CVE-2020-29573 is, in redhat.yaml, unfixed for glibc on RHEL 6 (CPE 857) only: Trivy's default
      // content sets for CentOS 7 reach CPE 869 alone, so an el7 glibc is clean and an el6 one is not.
      const inventory = await collectInventory([join(TRIVY, 'centos7-cyclonedx', 'input')]);
      expect(inventory.assets[0]?.osEcosystem).toBe('Red Hat:enterprise_linux:7');
      const glibc = (ecosystem: string, version: string) => [
        { ...(inventory.assets[0] as AssetInventory), packages: [{ ecosystem, name: 'glibc', version }] },
      ];
      const el7 = await scanInventories(glibc('Red Hat:enterprise_linux:7', '2.17-317.el7'), source);
      const el6 = await scanInventories(glibc('Red Hat:enterprise_linux:6', '2.12-1.212.el6'), source);
      expect(el7.findings.map((f) => f.vulnerability.id)).toEqual([]);
      expect(el6.findings.map((f) => f.vulnerability.id)).toEqual(['CVE-2020-29573']);
    });

    it('gives the same findings through the real command, `patchcast scan --format json`', () => {
      const run = runPatchcast(
        ['scan', join(TRIVY, 'fluentd-cyclonedx', 'input'), '--advisories', dir, '--format', 'json'],
        { cwd: dir },
      );
      expect(run.stderr).toBe('');
      const findings = (JSON.parse(run.stdout) as { findings: ScanFinding[] }).findings;
      expect(getFound(findings)).toEqual(getExpected('fluentd-cyclonedx'));
    });
  },
);
