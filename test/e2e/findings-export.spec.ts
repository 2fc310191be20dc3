import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPatchcast } from '../support/cli.js';

describe('patchcast findings export: CSV, SARIF, CycloneDX VDR/VEX', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-export-'));
    expect(runPatchcast(['run', '--demo'], { cwd: dir }).code).toBe(0);
    const vex = join(dir, 'exim.openvex.json');
    writeFileSync(
      vex,
      JSON.stringify({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        '@id': 'https://example.com/vex/2',
        author: 'ops',
        timestamp: '2026-02-01T00:00:00Z',
        version: 1,
        statements: [
          {
            vulnerability: { name: 'CVE-2018-6789' },
            products: [{ '@id': 'orders-db-01' }],
            status: 'not_affected',
            justification: 'vulnerable_code_not_in_execute_path',
          },
        ],
      }),
    );
    expect(runPatchcast(['vex', 'import', vex], { cwd: dir }).code).toBe(0);
    const added = runPatchcast(
      [
        'exceptions',
        'add',
        '--scope',
        'vulnerability',
        '--id',
        'CVE-2019-10149',
        '--owner',
        'sec',
        '--reason',
        'not exposed',
        '--expires',
        new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10),
        '--approver',
        'ciso',
      ],
      { cwd: dir },
    );
    expect(added.code, added.stderr).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const exportAs = (format: string) =>
    runPatchcast(['findings', '--asset', 'orders-db-01', '--format', format, '--limit', '5000'], {
      cwd: dir,
    });

  it('CycloneDX: VEX-suppressed findings are not_affected with a CycloneDX justification; accepted risks are will_not_fix', () => {
    const bom = JSON.parse(exportAs('cyclonedx').stdout);
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.5' });
    const byId = (id: string) => bom.vulnerabilities.filter((v: { id: string }) => v.id === id);
    expect(byId('DEBIAN-CVE-2018-6789').map((v: { analysis: unknown }) => v.analysis)).toEqual(
      Array(4).fill({
        state: 'not_affected',
        justification: 'code_not_reachable',
        detail: 'vulnerable_code_not_in_execute_path',
      }),
    );
    for (const v of byId('DEBIAN-CVE-2019-10149'))
      expect(v.analysis).toMatchObject({ state: 'exploitable', response: ['will_not_fix'] });
    expect(bom.components.every((c: { purl?: string }) => c.purl?.startsWith('pkg:deb/debian/'))).toBe(true);
  });

  it('SARIF marks both kinds as suppressed; CSV has one quoted line per finding', () => {
    const sarif = JSON.parse(exportAs('sarif').stdout);
    const results = sarif.runs[0].results as Array<{ ruleId: string; suppressions?: unknown[] }>;
    expect(
      results
        .filter((r) => r.ruleId === 'DEBIAN-CVE-2018-6789' || r.ruleId === 'DEBIAN-CVE-2019-10149')
        .every((r) => r.suppressions?.length === 1),
    ).toBe(true);
    const csv = exportAs('csv').stdout.trim().split('\r\n');
    expect(csv[0]).toBe(
      'risk,asset,ecosystem,package,installed,vulnerability,aliases,severity,fixed_versions,target_version,status,due_date,first_seen',
    );
    const json = JSON.parse(
      runPatchcast(['findings', '--asset', 'orders-db-01', '--json', '--limit', '5000'], { cwd: dir }).stdout,
    );
    expect(csv).toHaveLength(json.findings.length + 1);
    expect(
      csv.some(
        (line) =>
          line.includes(',DEBIAN-CVE-2019-10149,CVE-2019-10149,critical,') && line.includes(',excepted,'),
      ),
    ).toBe(true);
  });
});
