import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pypiOsvRecord } from '../support/advisories.js';
import { runPatchcastInProcess } from '../support/cli-in-process.js';

// Two advisories alike in every way, so two findings on one host differ only in package usage.
const ADVISORIES = [
  pypiOsvRecord('TEST-DJANGO-1', 'django', '1.4.3', '2025-06-30'),
  pypiOsvRecord('TEST-FLASK-1', 'flask', '2.0.0', '2025-06-30'),
];

/** An agent report of `host`; `usage` gives django's and flask's `inUse`, or leaves it out. */
function report(host: string, usage?: { django: boolean; flask: boolean }) {
  return {
    schema: 'patchcast.agent-report/1',
    host: { hostname: host },
    os: { id: 'debian', version_id: '12' },
    collectedAt: '2026-02-27T00:00:00Z',
    packages: [
      { name: 'django', version: '1.4.1', ecosystem: 'PyPI', ...(usage ? { inUse: usage.django } : {}) },
      { name: 'flask', version: '1.0.0', ecosystem: 'PyPI', ...(usage ? { inUse: usage.flask } : {}) },
    ],
  };
}

interface Listed {
  id: string;
  assetId: string;
  packageName: string;
  risk: number;
  explanation: { risk: number; contributions: Array<{ factor: string; value: number; text: string }> };
}

describe('packages in use (agent report → store → risk → findings and explain)', () => {
  let dir: string;
  const cli = async (args: string[]) => {
    const result = await runPatchcastInProcess(args, { home: join(dir, 'home') });
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };
  const listFindings = async () =>
    JSON.parse(await cli(['findings', '--explain', '--json'])).findings as Listed[];
  const find = (findings: Listed[], asset: string, pkg: string) => {
    const found = findings.find((f) => f.assetId === asset && f.packageName === pkg);
    if (!found) throw new Error(`no finding for ${pkg} on ${asset}`);
    return found;
  };
  const inUseTerms = (f: Listed) => f.explanation.contributions.filter((c) => c.factor === 'in-use');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-in-use-'));
    for (const sub of ['osv', 'fleet']) mkdirSync(join(dir, sub));
    for (const a of ADVISORIES) writeFileSync(join(dir, 'osv', `${a.id}.json`), JSON.stringify(a));
    writeFileSync(
      join(dir, 'fleet', 'web-1.json'),
      JSON.stringify(report('web-1', { django: true, flask: false })),
    );
    writeFileSync(join(dir, 'fleet', 'web-2.json'), JSON.stringify(report('web-2')));
    await cli(['sync', 'osv', '--from', join(dir, 'osv')]);
    await cli(['inventory', 'import', join(dir, 'fleet')]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows the in-use term in findings --json: in use raises the risk, not in use names itself and leaves it', async () => {
    const findings = await listFindings();
    const used = find(findings, 'web-1', 'django');
    const unused = find(findings, 'web-1', 'flask');
    const unknown = find(findings, 'web-2', 'django');
    expect(inUseTerms(used)).toEqual([
      { factor: 'in-use', value: expect.any(Number), text: 'in use: a running process maps its files' },
    ]);
    expect(inUseTerms(used)[0]?.value).toBeGreaterThan(0);
    expect(inUseTerms(unused)).toEqual([
      { factor: 'in-use', value: 0, text: 'not in use: no running process maps its files' },
    ]);
    expect(inUseTerms(unknown)).toEqual([]);
    expect(used.risk).toBeGreaterThan(unused.risk);
    // Not in use scores as unknown usage does: the same advisory on an identical host.
    expect(unused.risk).toBe(unknown.risk);
    for (const f of [used, unused, unknown]) {
      const sum = f.explanation.contributions.reduce((s, c) => s + c.value, 0);
      expect(Math.abs(sum - f.risk)).toBeLessThan(1e-12);
    }
  });

  it('explains each finding with its usage in words', async () => {
    const findings = await listFindings();
    const used = await cli(['explain', find(findings, 'web-1', 'django').id]);
    expect(used).toMatch(/\+0\.\d{3} in use: a running process maps its files/);
    const unused = await cli(['explain', find(findings, 'web-1', 'flask').id]);
    expect(unused).toContain('+0.000 not in use: no running process maps its files');
    const unknown = await cli(['explain', find(findings, 'web-2', 'django').id]);
    expect(unknown).not.toMatch(/in use/);
  });

  it('follows the next report: a package that stopped being used loses its in-use term', async () => {
    writeFileSync(join(dir, 'web-1.json'), JSON.stringify(report('web-1', { django: false, flask: false })));
    await cli(['inventory', 'import', join(dir, 'web-1.json')]);
    const findings = await listFindings();
    const django = find(findings, 'web-1', 'django');
    expect(inUseTerms(django).map((c) => c.text)).toEqual(['not in use: no running process maps its files']);
    expect(django.risk).toBe(find(findings, 'web-2', 'django').risk);
  });
});
