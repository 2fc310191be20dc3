/**
 * A rollout lab on this machine: a local apt repository of real demo packages, two overlay test
 * hosts and the files the README's "Rollout" walk-through uses (patchcast.yaml, the hosts' agent
 * reports, two OSV advisories). host-a runs pcdemo-lib 1.0-1, whose fix 1.0-2 is good; host-b runs
 * pcdemo 1.0-1, whose "fix" 1.0-4 installs but breaks its health file, so its probe fails and the
 * rollout rolls it back. Used by test/rollout/rollout.e2e.spec.ts and scripts/rollout-lab.ts.
 */
import { writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { buildDemoDebs, PCDEMO, PCDEMO_HEALTH_FILE, PCDEMO_LIB } from './debs.js';
import { makeTestHost, type TestHost } from './test-hosts.js';

export interface RolloutLab {
  dir: string;
  hosts: { a: TestHost; b: TestHost };
}

function agentReport(hostname: string, packages: Array<{ name: string; version: string }>): string {
  return JSON.stringify(
    {
      schema: 'patchcast.agent-report/1',
      host: { hostname },
      os: { id: 'debian', version_id: '12' },
      collectedAt: new Date().toISOString(),
      packages: packages.map((p) => ({ ...p, arch: 'all', source: p.name, sourceVersion: p.version })),
    },
    null,
    2,
  );
}

function osv(id: string, pkg: string, fixed: string): string {
  return JSON.stringify(
    {
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
    },
    null,
    2,
  );
}

/** Builds the lab in `dir` (which must exist and be empty). */
export async function makeRolloutLab(
  dir: string,
  options: { productionRehearsal?: boolean } = {},
): Promise<RolloutLab> {
  const repo = await buildDemoDebs(join(dir, 'repo'));
  const made: TestHost[] = [];
  for (const [name, pkg, base] of [
    ['host-a', PCDEMO_LIB.name, PCDEMO_LIB.base],
    ['host-b', PCDEMO.name, PCDEMO.base],
  ] as const) {
    await mkdir(join(dir, 'hosts', name), { recursive: true });
    const host = await makeTestHost({ dir: join(dir, 'hosts', name), repo: repo.dir, hostname: name });
    made.push(host);
    for (const argv of [
      ['apt-get', ...host.aptOptions, 'update'],
      ['apt-get', ...host.aptOptions, 'install', '-y', `${pkg}=${base}`],
    ]) {
      const r = await host.run(argv);
      if (r.code !== 0) throw new Error(`${host.hostname}: ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
    }
    writeFileSync(join(dir, `${name}.agent-report.json`), agentReport(name, [{ name: pkg, version: base }]));
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
  const [a, b] = made as [TestHost, TestHost];
  const entry = (h: TestHost, id: string) =>
    `  - { select: { assets: [${id}] }, executor: local, prefix: ${JSON.stringify(h.prefix)}, aptOptions: ${JSON.stringify(h.aptOptions)} }`;
  writeFileSync(
    join(dir, 'patchcast.yaml'),
    [
      '# The rollout lab (scripts/rollout-lab.ts): two test hosts on this machine, reached as `local`',
      '# hosts through the argv that enters each one (nsenter into its mount namespace, chroot).',
      'windows:',
      '  - { id: every-20-minutes, groups: [default], cron: "*/20 * * * *", duration: 1h }',
      'rings:',
      '  - { id: canary, select: { assets: [host-a] } }',
      `  - { id: production, concurrency: 1, errorBudget: 1, approval: required, rehearsal: ${options.productionRehearsal ?? false} }`,
      'rollout:',
      '  tick: 1s',
      '  reboot: never',
      '  hosts:',
      entry(a, 'host-a'),
      entry(b, 'host-b'),
      '  probes:',
      `    - { select: { assets: [host-b] }, name: pcdemo-health, command: [grep, -qx, ok, ${PCDEMO_HEALTH_FILE}] }`,
      '',
    ].join('\n'),
  );
  return { dir, hosts: { a, b } };
}
