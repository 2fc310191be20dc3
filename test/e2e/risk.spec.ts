import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPatchcast } from '../support/cli.js';

const ASSETS = new URL('../../data/snapshot/assets.csv', import.meta.url).pathname;

interface Contribution {
  factor: string;
  value: number;
  text: string;
}

interface ExplainedFinding {
  id: string;
  assetId: string;
  risk: number;
  explanation: { risk: number; ssvc: { decision: string }; contributions: Contribution[] };
}

/** Asset ids of the demo registry that are internet-facing or critical. */
function getExposedOrCritical(): Set<string> {
  const [header, ...rows] = readFileSync(ASSETS, 'utf8').trim().split('\n');
  const cols = (header ?? '').split(',');
  const at = (row: string[], name: string) => row[cols.indexOf(name)];
  return new Set(
    rows
      .map((line) => line.split(','))
      .filter((r) => at(r, 'internet_exposed') === 'yes' || at(r, 'criticality') === 'critical')
      .map((r) => at(r, 'hostname') ?? ''),
  );
}

describe('risk on the bundled snapshot: patchcast run, then findings --sort risk', () => {
  let dir: string;
  let findings: ExplainedFinding[];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-risk-'));
    expect(runPatchcast(['run', '--demo', '--json'], { cwd: dir }).code).toBe(0);
    const listed = runPatchcast(['findings', '--sort', 'risk', '--explain', '--json', '--limit', '300'], {
      cwd: dir,
    });
    expect(listed.stderr).toBe('');
    findings = JSON.parse(listed.stdout).findings;
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts a KEV finding on an internet-facing or critical asset first', () => {
    const top = findings[0];
    expect(top?.explanation.contributions.some((c) => c.factor === 'kev')).toBe(true);
    expect(getExposedOrCritical().has(top?.assetId ?? '')).toBe(true);
    const risks = findings.map((f) => f.risk);
    expect(risks).toEqual([...risks].sort((a, b) => b - a));
  });

  it('explains every finding with contributions that add up to its stored risk', () => {
    for (const f of findings) {
      const sum = f.explanation.contributions.reduce((s, c) => s + c.value, 0);
      expect(Math.abs(sum - f.explanation.risk)).toBeLessThan(1e-12);
      expect(f.explanation.risk).toBeCloseTo(f.risk, 12);
      expect(['Track', 'Track*', 'Attend', 'Act']).toContain(f.explanation.ssvc.decision);
    }
  });

  it('explains one finding in words, by id or by CVE and asset', () => {
    const byCve = runPatchcast(['explain', 'CVE-2018-6789', '--asset', 'orders-db-01', '--top', '10'], {
      cwd: dir,
    });
    expect(byCve.code).toBe(0);
    expect(byCve.stdout).toMatch(/risk 0\.\d{3}\s+SSVC Act/);
    expect(byCve.stdout).toContain('listed in CISA KEV since 2021-11-03');
    expect(byCve.stdout).toContain('known use in ransomware campaigns');
    const byId = runPatchcast(['explain', findings[0]?.id ?? '', '--json'], { cwd: dir });
    expect(JSON.parse(byId.stdout).findings[0].risk).toBeCloseTo(findings[0]?.risk ?? -1, 12);
    const missing = runPatchcast(['explain', 'CVE-2018-6789', '--asset', 'no-such-host'], { cwd: dir });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('no-such-host');
  });
});
