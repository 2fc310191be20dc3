import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEventsAfter, openStore } from '../../src/store/index.js';
import { runPatchcast } from '../support/cli.js';

const SNAPSHOT = new URL('../../data/snapshot/', import.meta.url).pathname;

describe('npm start: patchcast run on a fresh machine', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-run-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // A whole first run on an empty store: about a minute on a busy 2-core machine.
  it('loads the bundled snapshot and demo fleet, matches, and ranks by risk', { timeout: 600_000 }, () => {
    const result = runPatchcast(['run', '--demo', '--json', '--top', '5'], { cwd: dir });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.steps[0]).toContain('bundled snapshot');
    expect(summary.synced.map((s: { source: string }) => s.source)).toEqual(
      expect.arrayContaining(['kev', 'epss', 'osv', 'cve', 'exploits']),
    );
    expect(summary.assets).toBe(8);
    expect(summary.openFindings).toBeGreaterThan(100);
    // Ranked by risk: strong exploit evidence first (KEV, or EPSS/model ≥ 0.5), highest risk first
    // (test/e2e/risk.spec.ts has more). Each row says which exploit estimate it used.
    const top = summary.top[0];
    expect(top.kev || top.exploit.probability >= 0.5).toBe(true);
    expect(['model', 'epss', 'cvss-prior']).toContain(top.exploit.source);
    expect(summary.top.filter((f: { kev: boolean }) => f.kev).length).toBeGreaterThan(0);
    const risks = summary.top.map((f: { risk: number }) => f.risk);
    expect(risks).toEqual([...risks].sort((a, b) => b - a));
    expect(summary.top.every((f: { targetVersion: string | null }) => f.targetVersion !== null)).toBe(true);
  });

  it("tells the API's readers the findings changed: the run wrote a finding:changed event", async () => {
    const store = await openStore({ home: join(dir, '.patchcast'), databaseUrl: '', migrate: false });
    try {
      const events = await listEventsAfter(store.db, 0, 100);
      expect(events.map((e) => e.kind)).toContain('finding:changed');
    } finally {
      await store.close();
    }
  });

  it('lists first to patch as patches (exim4 once, not per binary) in ≤ 120 columns, with ids explain takes', () => {
    const run = runPatchcast(['run', '--top', '10'], { cwd: dir });
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(120);
    const table = lines.slice(lines.findIndex((l) => l.startsWith('RISK')));
    expect(table.filter((l) => l.includes('orders-db-01/debian/exim4'))).toHaveLength(1);
    expect(table.some((l) => /exim4-base|exim4-config/.test(l))).toBe(false);

    const patches = JSON.parse(
      runPatchcast(['patches', '--json', '--asset', 'orders-db-01'], { cwd: dir }).stdout,
    ).patches as Array<Record<string, unknown>>;
    const exim = patches.find((p) => p.id === 'orders-db-01/debian/exim4');
    expect(exim).toMatchObject({
      asset: 'orders-db-01',
      package: 'exim4',
      installedVersion: '4.89-2+deb9u2',
      binaries: ['exim4', 'exim4-base', 'exim4-config', 'exim4-daemon-light'],
    });
    // The highest target any exim4 finding needs (CVE-2019-10149 alone needs deb9u4).
    expect(exim?.targetVersion).toBe('4.89-2+deb9u8');
    expect(exim?.vulnerabilities).toContain('DEBIAN-CVE-2019-10149');

    const explained = runPatchcast(['explain', 'orders-db-01/debian/exim4'], { cwd: dir });
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain('upgrade exim4 4.89-2+deb9u2 → 4.89-2+deb9u8');
    expect(explained.stdout).toMatch(/risk removed \d+\.\d{3} · due \d{4}-\d{2}-\d{2}/);
  }, 180_000);

  it('filters findings by severity (CVE-2018-6789 is CVSS 9.8: critical, never low)', () => {
    const query = (severity: string) =>
      JSON.parse(
        runPatchcast(
          ['findings', '--json', '--asset', 'orders-db-01', '--severity', severity, '--limit', '5000'],
          { cwd: dir },
        ).stdout,
      ).findings as Array<{ vulnerabilityId: string }>;
    const critical = query('critical');
    expect(critical.some((f) => f.vulnerabilityId === 'DEBIAN-CVE-2018-6789')).toBe(true);
    expect(query('low').some((f) => f.vulnerabilityId === 'DEBIAN-CVE-2018-6789')).toBe(false);
  });

  it('a second run syncs nothing new and keeps the same open findings', () => {
    const first = JSON.parse(runPatchcast(['run', '--demo', '--json'], { cwd: dir }).stdout);
    expect(first.synced).toEqual([]);
    expect(first.findings).toMatchObject({ resolved: 0 });
    const findings = JSON.parse(
      runPatchcast(
        ['findings', '--json', '--asset', 'orders-db-01', '--vulnerability', 'DEBIAN-CVE-2018-6789'],
        { cwd: dir },
      ).stdout,
    );
    expect(findings.findings.map((f: { packageName: string }) => f.packageName).sort()).toEqual([
      'exim4',
      'exim4-base',
      'exim4-config',
      'exim4-daemon-light',
    ]);
    expect(findings.findings[0]).toMatchObject({
      installedVersion: '4.89-2+deb9u2',
      targetVersion: '4.89-2+deb9u3',
      status: 'open',
    });
  });

  it('an upgraded inventory resolves its findings, and VEX suppresses visibly', () => {
    const vex = join(dir, 'exim.openvex.json');
    writeFileSync(
      vex,
      JSON.stringify({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        '@id': 'https://example.com/vex/1',
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
    const imported = JSON.parse(runPatchcast(['vex', 'import', vex, '--json'], { cwd: dir }).stdout);
    expect(imported).toMatchObject({ statements: 1, suppressed: 4 });
    const suppressed = JSON.parse(
      runPatchcast(
        ['findings', '--json', '--asset', 'orders-db-01', '--vulnerability', 'DEBIAN-CVE-2018-6789'],
        { cwd: dir },
      ).stdout,
    );
    expect(suppressed.findings.map((f: { status: string }) => f.status)).toEqual([
      'suppressed',
      'suppressed',
      'suppressed',
      'suppressed',
    ]);
    expect(suppressed.findings[0].suppression).toMatchObject({
      kind: 'vex',
      justification: 'vulnerable_code_not_in_execute_path',
    });

    const report = JSON.parse(readFileSync(join(SNAPSHOT, 'fleet', 'blog-01.json'), 'utf8'));
    for (const p of report.packages)
      if (p.source === 'apache2') p.version = p.sourceVersion = '2.4.25-3+deb9u13';
    const upgraded = join(dir, 'blog-01.json');
    writeFileSync(upgraded, JSON.stringify(report));
    const imported2 = JSON.parse(
      runPatchcast(['inventory', 'import', upgraded, '--json'], { cwd: dir }).stdout,
    );
    expect(imported2.resolved).toBeGreaterThan(0);
    const apache = JSON.parse(
      runPatchcast(['findings', '--json', '--asset', 'blog-01', '--package', 'apache2', '--status', 'open'], {
        cwd: dir,
      }).stdout,
    );
    expect(
      apache.findings.every((f: { installedVersion: string }) => f.installedVersion === '2.4.25-3+deb9u13'),
    ).toBe(true);
  }, 90_000);
});
