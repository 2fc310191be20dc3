import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobSpec, PackageTarget, Probe } from '../../src/rollout/contract.js';
import { getPackageManager } from '../../src/rollout/package-managers/index.js';
import { makeRehearsalArgv } from '../../src/rollout/rehearsal.js';
import { runJob } from '../../src/rollout/run-job.js';
import { buildDemoDebs, PCDEMO, PCDEMO_HEALTH_FILE, PCDEMO_LIB } from '../support/debs.js';
import { RecordingSink } from '../support/fake-host.js';
import { makeTestHost, type TestHost } from '../support/test-hosts.js';

// Real apt and dpkg in overlay test hosts (test/support/test-hosts.ts): mounts and namespaces need root.
const isRoot = process.getuid?.() === 0;

function makeSpec(version: string, overrides: Partial<JobSpec> = {}): JobSpec {
  return {
    jobId: `job-pcdemo-${version}`,
    assetId: 'test-host',
    manager: 'apt',
    targets: [{ name: PCDEMO.name, version }],
    allow: { removals: false, downgrades: false, held: false },
    rehearsal: false,
    hooks: { pre: [], post: [] },
    probes: [],
    reboot: 'if-required',
    restartServices: true,
    refresh: true,
    ...overrides,
  };
}

const healthProbe: Probe = {
  kind: 'command',
  name: 'pcdemo health',
  argv: ['grep', '-qx', 'ok', PCDEMO_HEALTH_FILE],
};

describe.skipIf(!isRoot)('runJob on test hosts (root, real apt)', () => {
  let dir: string;
  let hostA: TestHost;
  let hostB: TestHost;

  async function prepare(name: string, repo: string): Promise<TestHost> {
    const host = await makeTestHost({ dir: join(dir, name), repo });
    for (const argv of [
      ['apt-get', ...host.aptOptions, 'update'],
      ['apt-get', ...host.aptOptions, 'install', '-y', `${PCDEMO.name}=${PCDEMO.base}`],
    ]) {
      const result = await host.run(argv);
      if (result.code !== 0) throw new Error(`${argv.join(' ')}: ${result.stderr}`);
    }
    return host;
  }

  function run(
    host: TestHost,
    spec: JobSpec,
    sink = new RecordingSink(),
    previousSeen: PackageTarget[][] = [],
  ) {
    const manager = getPackageManager('apt', { apt: { aptOptions: host.aptOptions } });
    return runJob(spec, { executor: host.executor(), manager }, sink, {
      onPrevious: async (previous) => void previousSeen.push(previous),
    });
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patchcast-run-job-'));
    const repo = await buildDemoDebs(join(dir, 'repo'));
    hostA = await prepare('a', repo.dir);
    hostB = await prepare('b', repo.dir);
  }, 300_000);

  afterAll(async () => {
    await hostA?.destroy();
    await hostB?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a rehearsal installs the fix in a throw-away root and leaves the host as it was', async () => {
    const manager = getPackageManager('apt', { apt: { aptOptions: hostB.aptOptions } });
    const logBefore = await hostB.dpkgLog();
    const argv = makeRehearsalArgv([
      manager.install([{ name: PCDEMO.name, version: PCDEMO.fix }]),
      ['dpkg-query', '-W', PCDEMO.name],
    ]);
    const result = await hostB.run(argv);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${PCDEMO.name}\t${PCDEMO.fix}\n`);
    expect(await hostB.installed(PCDEMO.name)).toBe(PCDEMO.base);
    expect(await hostB.dpkgLog()).toEqual(logBefore);
  });

  it('a job with a rehearsal catches the failing postinst before the host is touched', async () => {
    const logBefore = await hostB.dpkgLog();
    const sink = new RecordingSink();
    const result = await run(
      hostB,
      makeSpec(PCDEMO.failingPostinst, { rehearsal: true, probes: [healthProbe] }),
      sink,
    );
    expect(result.outcome).toBe('failed');
    expect(result.lastError).toMatch(/^rehearsal: rehearsal exited with \d+$/);
    expect(sink.steps()).toEqual(['preflight:ok', 'rehearsal:failed']);
    expect(sink.reports[1]?.excerpt).toContain('postinst fails on purpose');
    expect(await hostB.installed(PCDEMO.name)).toBe(PCDEMO.base);
    expect(await hostB.dpkgLog()).toEqual(logBefore);
  });

  it('rolls a failing postinst back to the previous version', async () => {
    const sink = new RecordingSink();
    const result = await run(hostB, makeSpec(PCDEMO.failingPostinst), sink);
    expect(result).toMatchObject({
      outcome: 'rolled-back',
      previous: [{ name: PCDEMO.name, version: PCDEMO.base }],
    });
    expect(sink.steps()).toEqual([
      'preflight:ok',
      'rehearsal:skipped',
      'pre-hooks:skipped',
      'apply:failed',
      'rollback:ok',
    ]);
    expect(await hostB.installed(PCDEMO.name)).toBe(PCDEMO.base);
  });

  it('a run resumed after a crash in the middle of a failing install rolls the half-done install back', async () => {
    // The crashed run recorded 1.0-1 and started the install; the install died in postinst.
    const cut = await hostB.run([
      'apt-get',
      ...hostB.aptOptions,
      'install',
      '-y',
      `${PCDEMO.name}=${PCDEMO.failingPostinst}`,
    ]);
    expect(cut.code).not.toBe(0);
    const sink = new RecordingSink();
    const manager = getPackageManager('apt', { apt: { aptOptions: hostB.aptOptions } });
    const result = await runJob(
      makeSpec(PCDEMO.failingPostinst),
      { executor: hostB.executor(), manager },
      sink,
      {
        resume: { previous: [{ name: PCDEMO.name, version: PCDEMO.base }], lastStep: 'pre-hooks' },
      },
    );
    expect(result.outcome).toBe('rolled-back');
    expect(result.lastError).toContain(`apply was interrupted half-way: ${PCDEMO.name} not fully installed`);
    expect(sink.steps()).toEqual(['rollback:ok']);
    expect(await hostB.installed(PCDEMO.name)).toBe(PCDEMO.base);
  });

  it('removes a package the failed job newly installed when it rolls back', async () => {
    expect(await hostB.installed(PCDEMO_LIB.name)).toBeUndefined();
    const spec = makeSpec(PCDEMO.brokenHealth, {
      targets: [
        { name: PCDEMO.name, version: PCDEMO.brokenHealth },
        { name: PCDEMO_LIB.name, version: PCDEMO_LIB.fix },
      ],
      probes: [healthProbe],
    });
    const result = await run(hostB, spec);
    expect(result).toMatchObject({
      outcome: 'rolled-back',
      previous: [{ name: PCDEMO.name, version: PCDEMO.base }],
    });
    expect(await hostB.installed(PCDEMO.name)).toBe(PCDEMO.base);
    expect(await hostB.installed(PCDEMO_LIB.name)).toBeUndefined();
  });

  it('rehearses and installs the fix, and a resumed run then finds it done without installing again', async () => {
    const previousSeen: PackageTarget[][] = [];
    const sink = new RecordingSink();
    const spec = makeSpec(PCDEMO.fix, { rehearsal: true, probes: [healthProbe] });
    const result = await run(hostA, spec, sink, previousSeen);
    expect(result).toEqual({ outcome: 'succeeded', previous: [{ name: PCDEMO.name, version: PCDEMO.base }] });
    expect(previousSeen).toEqual([result.previous]);
    expect(sink.steps()).toEqual([
      'preflight:ok',
      'rehearsal:ok',
      'pre-hooks:skipped',
      'apply:ok',
      'restart:skipped',
      'verify:ok',
      'post-hooks:skipped',
    ]);
    expect(await hostA.installed(PCDEMO.name)).toBe(PCDEMO.fix);

    const logBefore = await hostA.dpkgLog();
    const manager = getPackageManager('apt', { apt: { aptOptions: hostA.aptOptions } });
    const resumed = await runJob(
      makeSpec(PCDEMO.fix),
      { executor: hostA.executor(), manager },
      new RecordingSink(),
      {
        resume: { previous: result.previous, lastStep: 'pre-hooks' },
      },
    );
    expect(resumed.outcome).toBe('succeeded');
    expect(await hostA.dpkgLog()).toEqual(logBefore);
  });

  it('rolls back a version that installs but fails its health probe', async () => {
    const sink = new RecordingSink();
    const result = await run(hostA, makeSpec(PCDEMO.brokenHealth, { probes: [healthProbe] }), sink);
    expect(result.outcome).toBe('rolled-back');
    expect(result.lastError).toContain('pcdemo health');
    expect(sink.steps().slice(-3)).toEqual(['restart:skipped', 'verify:failed', 'rollback:ok']);
    expect(await hostA.installed(PCDEMO.name)).toBe(PCDEMO.fix);
    expect((await hostA.run(['cat', PCDEMO_HEALTH_FILE])).stdout).toBe('ok\n');
  });
});
