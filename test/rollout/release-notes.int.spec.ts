import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobSpec } from '../../src/rollout/contract.js';
import { runPreflight } from '../../src/rollout/job-steps.js';
import { getPackageManager } from '../../src/rollout/package-managers/index.js';
import { fetchReleaseNotes } from '../../src/rollout/release-notes.js';
import { buildDemoDebs, PCDEMO } from '../support/debs.js';
import { makeTestHost, type TestHost } from '../support/test-hosts.js';

// Real apt-get download and dpkg-deb in an overlay test host (mounts need root).
const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('release notes in the preflight (root, real apt)', () => {
  let dir: string;
  let host: TestHost;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patchcast-notes-'));
    const repo = await buildDemoDebs(join(dir, 'repo'));
    host = await makeTestHost({ dir: join(dir, 'host'), repo: repo.dir });
    for (const argv of [
      ['apt-get', ...host.aptOptions, 'update'],
      ['apt-get', ...host.aptOptions, 'install', '-y', `${PCDEMO.name}=${PCDEMO.base}`],
    ]) {
      const result = await host.run(argv);
      if (result.code !== 0) throw new Error(`${argv.join(' ')}: ${result.stderr}`);
    }
  }, 300_000);

  afterAll(async () => {
    await host?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function hostOf() {
    return {
      executor: host.executor(),
      manager: getPackageManager('apt', { apt: { aptOptions: host.aptOptions } }),
    };
  }

  it('reports the target changelog since the installed version and leaves the host as it was', async () => {
    const logBefore = await host.dpkgLog();
    const spec: JobSpec = {
      jobId: 'job-notes',
      assetId: 'test-host',
      manager: 'apt',
      targets: [{ name: PCDEMO.name, version: PCDEMO.fix }],
      allow: { removals: false, downgrades: false, held: false },
      rehearsal: false,
      hooks: { pre: [], post: [] },
      probes: [],
      reboot: 'never',
      restartServices: false,
      refresh: false,
    };
    const verdict = await runPreflight(spec, hostOf());
    expect(verdict.outcome).toBe('ok');
    expect(verdict.data?.releaseNotes).toEqual({
      pcdemo: {
        maxUrgency: 'high',
        cves: ['CVE-2026-0001'],
        upstreamChanged: false,
        backport: false,
        entries: 1,
        mentionsRegression: false,
        firstLine: 'Fix CVE-2026-0001: out-of-bounds read in the health parser.',
      },
    });
    expect(verdict.output).toContain('release notes pcdemo 1.0-2: 1 entry, urgency high, CVE-2026-0001');
    expect(await host.installed(PCDEMO.name)).toBe(PCDEMO.base);
    expect(await host.dpkgLog()).toEqual(logBefore);
    // No downloaded package is left behind: the host's own writes (its overlay upper) hold no temp dir.
    const upperTmp = await readdir(join(host.dir, 'u', 'tmp')).catch(() => []);
    expect(upperTmp.filter((name) => name.startsWith('tmp.'))).toEqual([]);
  });

  it('summarizes several entries, and records why notes could not be fetched', async () => {
    const notes = await fetchReleaseNotes(
      hostOf(),
      [{ name: PCDEMO.name, version: PCDEMO.brokenHealth }],
      new Map([[PCDEMO.name, PCDEMO.base]]),
    );
    // 1.0-2 (high), 1.0-3 (low) and 1.0-4 (medium): the highest urgency of the three counts.
    expect(notes?.pcdemo).toMatchObject({
      maxUrgency: 'high',
      cves: ['CVE-2026-0001'],
      entries: 3,
      firstLine: 'New upstream release.',
    });
    const missing = await fetchReleaseNotes(hostOf(), [{ name: PCDEMO.name, version: '9.9-9' }], new Map());
    expect(missing?.pcdemo).toEqual({ error: expect.stringMatching(/^exit 100: E: .*9\.9-9/) });
  });
});
