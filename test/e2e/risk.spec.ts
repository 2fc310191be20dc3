import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPatchcastInProcess } from '../support/cli-in-process.js';
import { copyDemoStore } from '../support/demo-store.js';

const ASSETS = new URL('../../data/snapshot/assets.csv', import.meta.url).pathname;

interface Contribution {
  factor: string;
  value: number;
  text: string;
}

interface Exploit {
  probability: number;
  source: 'model' | 'epss' | 'cvss-prior';
  horizonDays: number;
  asOf: string;
  epss: { score: number; date: string } | null;
  model: { probability: number; onEpssScale: number | null; asOf: string } | null;
}

interface ExplainedFinding {
  id: string;
  assetId: string;
  vulnerabilityId: string;
  risk: number;
  explanation: {
    risk: number;
    ssvc: { decision: string };
    exploit: Exploit;
    contributions: Contribution[];
  };
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
  // In-process: the same program as bin/patchcast.js without a process start-up per command.
  const cli = (args: string[]) => runPatchcastInProcess(args, { home: join(dir, '.patchcast') });
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-risk-'));
    // What `patchcast run` leaves in ./.patchcast, prepared once per test run.
    await copyDemoStore(join(dir, '.patchcast'));
    const listed = await cli(['findings', '--sort', 'risk', '--explain', '--json', '--limit', '300']);
    expect(listed.stderr).toBe('');
    findings = JSON.parse(listed.stdout).findings;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts a finding with strong exploit evidence (KEV, or a probability ≥ 0.5) on an internet-facing or critical asset first', () => {
    const top = findings[0];
    const kev = top?.explanation.contributions.some((c) => c.factor === 'kev');
    expect(kev || (top?.explanation.exploit.probability ?? 0) >= 0.5).toBe(true);
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

  it('explains one finding in words, by id or by CVE and asset', async () => {
    const byCve = await cli(['explain', 'CVE-2018-6789', '--asset', 'orders-db-01', '--top', '10']);
    expect(byCve.code).toBe(0);
    expect(byCve.stdout).toMatch(/risk 0\.\d{3}\s+SSVC Act/);
    expect(byCve.stdout).toContain('listed in CISA KEV since 2021-11-03');
    expect(byCve.stdout).toContain('known use in ransomware campaigns');
    const byId = await cli(['explain', findings[0]?.id ?? '', '--json']);
    expect(JSON.parse(byId.stdout).findings[0].risk).toBeCloseTo(findings[0]?.risk ?? -1, 12);
    const missing = await cli(['explain', 'CVE-2018-6789', '--asset', 'no-such-host']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('no-such-host');
  }, 90_000);

  it('separates CVE-2019-6977 (EPSS 0.878, public exploits) from CVE-2017-5130 (EPSS 0.008) on one asset', async () => {
    const listed = await cli([
      'findings',
      '--asset',
      'shop-web-01',
      '--explain',
      '--json',
      '--limit',
      '2000',
    ]);
    const onAsset: ExplainedFinding[] = JSON.parse(listed.stdout).findings;
    const on = (cve: string) => onAsset.find((f) => f.vulnerabilityId.endsWith(cve));
    const gd = on('CVE-2019-6977');
    const xml = on('CVE-2017-5130');
    expect(gd?.explanation.exploit.epss?.score).toBeCloseTo(0.878, 3);
    expect(xml?.explanation.exploit.epss?.score).toBeCloseTo(0.008, 3);
    // Both are in the model's population: the model's probability is shown beside whichever is used,
    // as its own KEV-listing probability and on EPSS's scale (the shipped model carries the scale).
    expect(gd?.explanation.exploit.model?.onEpssScale).toBeGreaterThan(0);
    expect(xml?.explanation.exploit.model?.onEpssScale).toBeGreaterThan(0);
    // gd: exploitation seen (EPSS 0.878) outweighs the model's rank; xml: EPSS sees little, the model
    // ranks it in its top 5 % and its rank, on EPSS's scale, is what counts.
    expect(gd?.explanation.exploit).toMatchObject({ source: 'epss', probability: 0.87771 });
    expect(xml?.explanation.exploit.source).toBe('model');
    expect(xml?.explanation.exploit.probability).toBe(xml?.explanation.exploit.model?.onEpssScale);
    expect(gd?.explanation.exploit.probability).toBeGreaterThan(
      3 * (xml?.explanation.exploit.probability ?? 1),
    );
    expect(gd?.risk).toBeGreaterThan(2.5 * (xml?.risk ?? 1));
  }, 90_000);

  it('says which exploit source each finding used, with EPSS beside it, and a KEV CVE is not scored by the model', async () => {
    for (const f of findings) {
      const e = f.explanation.exploit;
      expect(['model', 'epss', 'cvss-prior']).toContain(e.source);
      expect(e.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (e.source === 'model') expect(e.probability).toBe(e.model?.onEpssScale);
      if (e.source === 'epss') expect(e.probability).toBe(e.epss?.score);
      if (e.model && e.epss) expect(e.probability).toBe(Math.max(e.model.onEpssScale ?? -1, e.epss.score));
      if (f.explanation.contributions.some((c) => c.factor === 'kev')) expect(e.model).toBeNull();
    }
    expect(findings.filter((f) => f.explanation.exploit.model !== null).length).toBeGreaterThan(100);
    // The forecast drives risk: under max(raw model, EPSS) EPSS decided 2,526 of the 2,532 findings
    // (the model at most 6 of these 300); on EPSS's scale the model decides where it ranks a CVE higher.
    expect(findings.filter((f) => f.explanation.exploit.source === 'model').length).toBeGreaterThan(100);
    const text = await cli(['explain', 'CVE-2019-6977', '--asset', 'shop-web-01']);
    expect(text.stdout).toMatch(/exploit probability 8\d% from EPSS 0\.878 on 2026-01-30; exploit model /);
  }, 90_000);

  it('a second run reads the stored forecast instead of scoring the population again', async () => {
    const again = await cli(['run', '--json']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('exploit forecast: stored scores of 2026-03-01');
    expect(again.stderr).not.toContain('scoring the population');
  }, 90_000);
});
