/** The inputs a drill feeds the real CLI: agent reports, OSV advisories and patchcast.yaml. */
import { PCDEMO_HEALTH_FILE } from '../../test/support/debs.js';
import type { TestHost } from '../../test/support/test-hosts.js';

export function makeAgentReport(hostname: string, packages: Array<{ name: string; version: string }>) {
  return JSON.stringify({
    schema: 'patchcast.agent-report/1',
    host: { hostname },
    os: { id: 'debian', version_id: '12' },
    collectedAt: new Date().toISOString(),
    packages: packages.map((p) => ({ ...p, arch: 'all', source: p.name, sourceVersion: p.version })),
  });
}

export function makeOsvRecord(id: string, pkg: string, fixed: string) {
  return JSON.stringify({
    schema_version: '1.6.0',
    id,
    modified: '2026-12-01T00:00:00Z',
    published: '2026-12-01T00:00:00Z',
    summary: `${pkg}: remote code execution (drill advisory)`,
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    affected: [
      {
        package: { ecosystem: 'Debian:12', name: pkg },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
      },
    ],
  });
}

/**
 * Two rings: `canary` (the first host, rehearsed) and `rest` (concurrency 2, not rehearsed, so the
 * broken pcdemo really installs and is really rolled back). The error budget is the whole ring: the
 * drill wants every job to run, not the gate to stop the rollout. Short leases, so a killed
 * controller's jobs are taken over within seconds; 5 attempts (kills can exhaust a job before apply: it fails, its host untouched).
 */
export function makeDrillConfig(input: {
  hosts: Array<{ host: TestHost; pkg: string }>;
  canary: string;
  probeHosts: string[];
}): string {
  const entry = (h: TestHost) =>
    `    - { select: { assets: [${h.hostname}] }, executor: local, prefix: ${JSON.stringify(h.prefix)}, aptOptions: ${JSON.stringify(h.aptOptions)} }`;
  return [
    'windows:',
    '  - { id: always, groups: [default], cron: "*/20 * * * *", duration: 1h }',
    'rings:',
    `  - { id: canary, select: { assets: [${input.canary}] }, concurrency: 1, errorBudget: "100%", rehearsal: true }`,
    '  - { id: rest, concurrency: 2, errorBudget: "100%", approval: auto, rehearsal: false }',
    'rollout:',
    '  tick: 1s',
    '  lease: 10s',
    '  backoff: 1s',
    '  maxAttempts: 5',
    '  workers: 2',
    '  reboot: never',
    '  hosts:',
    ...input.hosts.map(({ host }) => entry(host)),
    '  probes:',
    `    - { select: { assets: [${input.probeHosts.join(', ')}] }, name: pcdemo-health, command: [grep, -qx, ok, ${PCDEMO_HEALTH_FILE}] }`,
    '',
  ].join('\n');
}
