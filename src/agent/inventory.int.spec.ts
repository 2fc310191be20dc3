import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentReportFormat } from '../inventory/agent-report/index.js';
import type { Executor } from '../rollout/contract.js';
import { loadHostReport, loadPackagesInUse } from './inventory.js';

// Reads this machine's /proc and dpkg database; changes nothing.
const isRoot = process.getuid?.() === 0;
const hasDpkg = spawnSync('dpkg-query', ['--version']).status === 0;

describe.skipIf(!isRoot || !hasDpkg)('packages in use on this machine (root, dpkg)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patchcast-inuse-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('marks every package of the running system in use or not: libc6 (this runner maps it) in use', async () => {
    const inUse = await loadPackagesInUse('/');
    expect(inUse?.has('libc6')).toBe(true);
    const report = await loadHostReport('/', new Date('2026-12-08T01:00:00Z'), inUse ? { inUse } : {});
    const packages = report?.packages ?? [];
    expect(packages.every((p) => typeof p.inUse === 'boolean')).toBe(true);
    expect(packages.find((p) => p.name === 'libc6')?.inUse).toBe(true);
    // Some installed package is mapped by no process (documentation, data, tools not running).
    expect(packages.some((p) => p.inUse === false)).toBe(true);
    const read = agentReportFormat.parse({ path: 'r.json', content: Buffer.from(JSON.stringify(report)) });
    expect(read.packages.find((p) => p.name === 'libc6')?.inUse).toBe(true);
  });

  it('leaves usage unknown when the scan sees no mapped file at all (it could not look)', async () => {
    const blind: Executor = {
      kind: 'local',
      run: async () => ({ code: 0, stdout: '', stderr: '' }),
      readFile: async () => undefined,
      close: async () => {},
    };
    expect(await loadPackagesInUse('/', blind)).toBeUndefined();
  });

  it('leaves usage unknown for a --root that is not the running system', async () => {
    const root = join(dir, 'root');
    await mkdir(join(root, 'etc'), { recursive: true });
    await mkdir(join(root, 'var/lib/dpkg'), { recursive: true });
    await writeFile(join(root, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n');
    const status = fileURLToPath(new URL('../inventory/dpkg-status/__fixtures__/status', import.meta.url));
    await copyFile(status, join(root, 'var/lib/dpkg/status'));
    expect(await loadPackagesInUse(root)).toBeUndefined();
    const report = await loadHostReport(root, new Date('2026-12-08T01:00:00Z'));
    expect(report?.packages.length).toBeGreaterThan(0);
    expect(report?.packages.some((p) => 'inUse' in p)).toBe(false);
  });
});
