import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPatchcastInProcess } from '../support/cli-in-process.js';

const FEEDS = new URL('../../src/feeds/', import.meta.url).pathname;

/** The feed fixtures (real records, trimmed) in the ../shared/data layout. */
function makeMirror(dir: string): string {
  const mirror = join(dir, 'mirror');
  rmSync(mirror, { recursive: true, force: true });
  mkdirSync(mirror);
  copyFileSync(join(FEEDS, 'cve/__fixtures__/cves.jsonl.gz'), join(mirror, 'cves.jsonl.gz'));
  copyFileSync(join(FEEDS, 'exploits/__fixtures__/exploits.jsonl.gz'), join(mirror, 'exploits.jsonl.gz'));
  copyFileSync(
    join(FEEDS, 'kev/__fixtures__/known_exploited_vulnerabilities.json'),
    join(mirror, 'kev.json'),
  );
  const epss = 'epss_scores-2026-01-30.csv.gz';
  copyFileSync(join(FEEDS, `epss/__fixtures__/${epss}`), join(mirror, epss));
  return mirror;
}

describe('the forecast from the store: sync scores it without model.data, explain reads it without --data', () => {
  let dir: string;
  let mirror: string;
  const cli = (args: string[]) => runPatchcastInProcess(args, { home: join(dir, 'home') });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-forecast-'));
    mirror = makeMirror(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sync runs the model step from the store, shows progress, and says why the retrain was skipped', async () => {
    const synced = await cli(['sync', '--offline', mirror]);
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.stderr).toContain("model: loading the model's history from the store");
    expect(synced.stderr).toMatch(/history from the store: 7 CVEs, \d+ exploit sightings, 5 KEV entries/);
    // The shipped model is trained until after the fixtures' data: not due, and the reason says so.
    expect(synced.stdout).toMatch(
      /model retrain: not run \(last retrain or training as of \d{4}-\d{2}-\d{2}; next due/,
    );
    expect(synced.stdout).toMatch(/model scores: \d{4}-\d{2}-\d{2} stored \(\d+ scored/);
    const skipped = await cli(['sync', '--offline', mirror, '--no-retrain']);
    expect(skipped.stdout).toContain('model retrain: not run (skipped (--no-retrain))');
  });

  it('explain CVE-… works from the store: a KEV CVE is reported as listed, with its ransomware use', async () => {
    const listed = await cli(['explain', 'CVE-2021-44228']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('CVE-2021-44228 is in CISA KEV since 2021-12-10, ransomware use: known');
    expect(listed.stdout).toContain('the KEV factor carries CVE-2021-44228');
    expect(listed.stdout).not.toMatch(/P\(added to KEV/);
  });

  it('explain CVE-… of a CVE outside KEV gives its probability, the stored percentile and its factors', async () => {
    const out = await cli(['explain', 'CVE-2014-0160', '--json']);
    expect(out.code, out.stderr).toBe(0);
    const forecast = JSON.parse(out.stdout);
    expect(forecast).toMatchObject({ cve: 'CVE-2014-0160', kev: null, inPopulation: true });
    expect(forecast.probability).toBeGreaterThan(0);
    expect(forecast.probability).toBeLessThan(1);
    expect(forecast.percentile).toBeGreaterThanOrEqual(0);
    expect(forecast.factors.length).toBeGreaterThan(0);
    const text = await cli(['explain', 'CVE-2014-0160']);
    expect(text.stdout).toMatch(
      /^CVE-2014-0160 as of \d{4}-\d{2}-\d{2}: P\(added to KEV within 30 days\) = [\d.]+% \([\d.]+th percentile\)/,
    );
  });

  it('explain of a CVE the store does not hold fails with a hint', async () => {
    const missing = await cli(['explain', 'CVE-2099-0001']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('CVE-2099-0001 is not in the store');
  });
});
