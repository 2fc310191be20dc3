/**
 * The README's "Rollout" walk-through, end to end with the real CLI on real hosts: two overlay test
 * hosts with apt and a local repository of real .deb packages, inventory from their agent reports,
 * advisories from local OSV files, a plan, `rollout start --approve`, and the controller carrying it
 * out: host-a gets the fix; host-b's fix installs but breaks its health probe and is rolled back.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPatchcast } from '../support/cli.js';
import { buildDemoDebs, PCDEMO, PCDEMO_HEALTH_FILE, PCDEMO_LIB } from '../support/debs.js';
import { makeTestHost, type TestHost } from '../support/test-hosts.js';

const root = process.getuid?.() === 0;
let dir = '';
const hosts: TestHost[] = [];

function agentReport(hostname: string, packages: Array<{ name: string; version: string }>) {
  return JSON.stringify({
    schema: 'patchcast.agent-report/1',
    host: { hostname },
    os: { id: 'debian', version_id: '12' },
    collectedAt: new Date().toISOString(),
    packages: packages.map((p) => ({ ...p, arch: 'all', source: p.name, sourceVersion: p.version })),
  });
}

function osv(id: string, pkg: string, fixed: string) {
  return JSON.stringify({
    schema_version: '1.6.0',
    id,
    modified: '2026-12-01T00:00:00Z',
    published: '2026-12-01T00:00:00Z',
    summary: `${pkg}: remote code execution (demo advisory)`,
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    affected: [
      {
        package: { ecosystem: 'Debian:12', name: pkg },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
      },
    ],
  });
}

describe.skipIf(!root)('rollout on real hosts (README walk-through)', () => {
  const cli = (...args: string[]) => {
    const result = runPatchcast(args, { cwd: dir, env: { PATCHCAST_HOME: join(dir, 'store') } });
    if (result.code !== 0)
      throw new Error(
        `patchcast ${args.join(' ')} exited ${result.code}:\n${result.stderr}\n${result.stdout}`,
      );
    return result.stdout;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-rollout-'));
    const repo = await buildDemoDebs(join(dir, 'repo'));
    for (const [name, pkg] of [
      ['host-a', PCDEMO_LIB.name],
      ['host-b', PCDEMO.name],
    ] as const) {
      await mkdir(join(dir, 'hosts', name), { recursive: true });
      const host = await makeTestHost({ dir: join(dir, 'hosts', name), repo: repo.dir, hostname: name });
      hosts.push(host);
      const base = pkg === PCDEMO.name ? PCDEMO.base : PCDEMO_LIB.base;
      for (const argv of [
        ['apt-get', ...host.aptOptions, 'update'],
        ['apt-get', ...host.aptOptions, 'install', '-y', `${pkg}=${base}`],
      ]) {
        const r = await host.run(argv);
        if (r.code !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
      }
      writeFileSync(
        join(dir, `${name}.agent-report.json`),
        agentReport(name, [{ name: pkg, version: base }]),
      );
    }
    await mkdir(join(dir, 'advisories'));
    writeFileSync(
      join(dir, 'advisories', 'PCDEMO-2026-0001.json'),
      osv('PCDEMO-2026-0001', PCDEMO_LIB.name, PCDEMO_LIB.fix),
    );
    writeFileSync(
      join(dir, 'advisories', 'PCDEMO-2026-0002.json'),
      osv('PCDEMO-2026-0002', PCDEMO.name, PCDEMO.brokenHealth),
    );
    const [a, b] = hosts as [TestHost, TestHost];
    const entry = (h: TestHost, id: string) =>
      `  - { select: { assets: [${id}] }, executor: local, prefix: ${JSON.stringify(h.prefix)}, aptOptions: ${JSON.stringify(h.aptOptions)} }`;
    writeFileSync(
      join(dir, 'patchcast.yaml'),
      [
        'windows:',
        '  - { id: always, groups: [default], cron: "*/20 * * * *", duration: 1h }',
        'rings:',
        '  - { id: canary, select: { assets: [host-a] } }',
        '  - { id: production, concurrency: 1, errorBudget: 1, approval: required, rehearsal: false }',
        'rollout:',
        '  tick: 1s',
        '  reboot: never',
        '  hosts:',
        entry(a, 'host-a'),
        entry(b, 'host-b'),
        '  probes:',
        `    - { select: { assets: [host-b] }, name: pcdemo-health, command: [grep, -qx, ok, ${PCDEMO_HEALTH_FILE}] }`,
      ].join('\n'),
    );
  }, 300_000);

  afterAll(async () => {
    for (const host of hosts) await host.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('patches host-a, rolls host-b back when its probe fails, and records every step', async () => {
    cli('inventory', 'import', 'host-a.agent-report.json', 'host-b.agent-report.json');
    cli('sync', 'osv', '--from', 'advisories');
    const plan = JSON.parse(cli('plan', '--horizon', '1d', '--json'));
    expect(
      plan.assignments.map((x: { assetId: string; packages: string[] }) => [x.assetId, x.packages]),
    ).toEqual(
      expect.arrayContaining([
        ['host-a', [`${PCDEMO_LIB.name}@${PCDEMO_LIB.fix}`]],
        ['host-b', [`${PCDEMO.name}@${PCDEMO.brokenHealth}`]],
      ]),
    );
    // The demo cannot wait for the next window: an approver's emergency change starts it now.
    const started = cli('rollout', 'start', '--approve', '--now');
    expect(started).toMatch(/Approved rings: production/);
    expect(started).toMatch(/2 job\(s\) start now/);
    const log = cli('controller', '--until-idle', '--tick', '300');
    expect(log).toMatch(/rollout done: 1 succeeded, 1 failed/);

    const status = JSON.parse(cli('rollout', 'status', '--json'));
    expect(status.status).toBe('done');
    const byAsset = Object.fromEntries(status.jobs.map((j: { assetId: string }) => [j.assetId, j]));
    expect(byAsset['host-a']).toMatchObject({ status: 'succeeded' });
    expect(byAsset['host-b'], JSON.stringify(byAsset['host-b'])).toMatchObject({ status: 'rolled-back' });
    expect(byAsset['host-b'].lastError).toMatch(/pcdemo-health/);

    const [a, b] = hosts as [TestHost, TestHost];
    expect(await a.installed(PCDEMO_LIB.name)).toBe(PCDEMO_LIB.fix);
    expect(await b.installed(PCDEMO.name)).toBe(PCDEMO.base);
    // host-b's dpkg log: the broken version installed once, then the recorded version reinstalled.
    const installs = (await b.dpkgLog()).filter((l) => / (install|upgrade|downgrade) pcdemo:/.test(l));
    expect(installs.map((l) => l.split(' ').slice(2).join(' '))).toEqual([
      `install pcdemo:all <none> ${PCDEMO.base}`,
      `upgrade pcdemo:all ${PCDEMO.base} ${PCDEMO.brokenHealth}`,
      // dpkg logs a downgrade as an `upgrade` to the lower version.
      `upgrade pcdemo:all ${PCDEMO.brokenHealth} ${PCDEMO.base}`,
    ]);

    const job = JSON.parse(cli('rollout', 'job', byAsset['host-b'].id, '--json'));
    expect(job.events.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining([
        'lease',
        'step:preflight',
        'apply:begin',
        'step:apply',
        'step:verify',
        'step:rollback',
        'end',
      ]),
    );
    const audit = cli('audit', 'list', '--json');
    expect(audit).toMatch(/job:rolled-back/);
    expect(audit).toMatch(/wave:promote/);
  }, 600_000);
});
