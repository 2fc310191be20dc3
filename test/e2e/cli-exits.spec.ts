import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type CliResult } from '../support/cli.js';
import { runPatchcastInProcess } from '../support/cli-in-process.js';

const FIXTURES = fileURLToPath(new URL('../../src/matching/__fixtures__/', import.meta.url));
/** composer.lock (league/flysystem 1.0.8) and requirements.txt (Werkzeug 0.11, GDAL 3.0.1). */
const PROJECT = join(FIXTURES, 'mixed-project');
/** Real OSV records: GDAL's is critical (CVSS 9.8), Werkzeug's high and unrated, flysystem's unrated. */
const ADVISORIES = join(FIXTURES, 'mixed-advisories');

/** One line of cause with its code, one of hint, nothing else. */
function expectCodedLine(result: CliResult, exit: number, code: string): void {
  expect(result.code).toBe(exit);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(new RegExp(`^error: .+ \\[${code}\\]$`));
  expect(lines[1]).toMatch(/^hint: /);
}

describe('patchcast exit codes and one-line errors', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'patchcast-exits-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  const scan = (...extra: string[]) =>
    runPatchcastInProcess(['scan', PROJECT, '--advisories', ADVISORIES, ...extra], { home });

  it('scan --fail-on high exits 1 when a critical finding is open', async () => {
    const result = await scan('--fail-on', 'high');
    expect(result.stdout).toContain('PYSEC-2019-241');
    expect(result.stdout).toMatch(/gdal .*critical/);
    expect(result.code).toBe(1);
    expect((await scan('--fail-on', 'critical')).code).toBe(1);
  });

  it('scan --fail-on exits 0 when every finding is below the threshold, and without --fail-on', async () => {
    const composerOnly = await runPatchcastInProcess(
      ['scan', join(PROJECT, 'composer.lock'), '--advisories', ADVISORIES, '--fail-on', 'low'],
      { home },
    );
    expect(composerOnly.stdout).toContain('FRIENDSOFPHP-league-flysystem-CVE-2021-32708');
    expect(composerOnly.code).toBe(0);
    expect((await scan()).code).toBe(0);
  });

  it('scan JSON names the file each finding came from: PyPI from requirements.txt, Packagist from composer.lock', async () => {
    const result = await scan('--format', 'json');
    const findings = JSON.parse(result.stdout).findings as Array<{
      package: { ecosystem: string; name: string };
      source: string;
    }>;
    const sourceOf = (name: string) => findings.find((f) => f.package.name === name)?.source;
    expect(sourceOf('gdal')).toBe(join(PROJECT, 'requirements.txt'));
    expect(sourceOf('werkzeug')).toBe(join(PROJECT, 'requirements.txt'));
    expect(sourceOf('league/flysystem')).toBe(join(PROJECT, 'composer.lock'));
    for (const f of findings)
      expect(f.source.endsWith(f.package.ecosystem === 'PyPI' ? 'requirements.txt' : 'composer.lock')).toBe(
        true,
      );
  });

  it('an unknown option: exit 2, one line with USAGE_INVALID_ARGUMENT and the suggestion', async () => {
    const result = await runPatchcastInProcess(['findings', '--lim', '3'], { home });
    expectCodedLine(result, 2, 'USAGE_INVALID_ARGUMENT');
    expect(result.stderr).toContain("unknown option '--lim'");
    expect(result.stderr).toContain('Did you mean --limit?');
  });

  it('sync --offline with a missing directory: exit 5, one INPUT_NOT_FOUND line naming it', async () => {
    const missing = join(home, 'no-such-mirror');
    const result = await runPatchcastInProcess(['sync', '--offline', missing], { home });
    expectCodedLine(result, 5, 'INPUT_NOT_FOUND');
    expect(result.stderr).toContain(`--offline ${missing}: no such directory`);
    expect(result.stderr).not.toContain('ENOENT');
  });

  it('a PATCHCAST_HOME that cannot be created (under /proc): exit 4 at once, STORE_NOT_WRITABLE', async () => {
    const result = await runPatchcastInProcess(['db', 'status'], { home: '/proc/patchcast-test/home' });
    expectCodedLine(result, 4, 'STORE_NOT_WRITABLE');
    expect(result.stderr).toContain('/proc/patchcast-test/home');
  });

  it('run without --demo on a store with no assets: exit 5, STORE_NO_ASSETS, and nothing imported', async () => {
    const empty = join(home, 'empty-store');
    const result = await runPatchcastInProcess(['run'], { home: empty });
    expectCodedLine(result, 5, 'STORE_NO_ASSETS');
    expect(result.stderr).toContain('patchcast run --demo');
    const assets = await runPatchcastInProcess(['assets', '--json'], { home: empty });
    expect(JSON.parse(assets.stdout)).toEqual([]);
  });

  it('output piped into a reader that already stopped (| head): exit 141, one OUTPUT_CLOSED line, no EPIPE stack', async () => {
    const result = await runWithClosedStdout(['config', 'schema']);
    expectCodedLine(result, 141, 'OUTPUT_CLOSED');
    expect(result.stderr).not.toContain('EPIPE\n');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

/** Spawns patchcast with its stdout pipe closed by the reader before anything is written. */
function runWithClosedStdout(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, PATCHCAST_FROM_SOURCE: '1', PATCHCAST_DATABASE_URL: '', PATCHCAST_CONFIG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: '', stderr }));
  });
}
