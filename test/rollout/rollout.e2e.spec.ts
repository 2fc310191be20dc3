/**
 * The README's "Rollout" walk-through, end to end with the real CLI on real hosts: two overlay test
 * hosts with apt and a local repository of real .deb packages, inventory from their agent reports,
 * advisories from local OSV files, a plan, `rollout start --approve`, and the controller carrying it
 * out: host-a gets the fix; host-b's fix installs but breaks its health probe and is rolled back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCli } from '../support/cli.js';
import { PCDEMO, PCDEMO_LIB } from '../support/debs.js';
import { makeRolloutLab, type RolloutLab } from '../support/rollout-lab.js';

const root = process.getuid?.() === 0;
let dir = '';
let lab: RolloutLab | undefined;

describe.skipIf(!root)('rollout on real hosts (README walk-through)', () => {
  const cli = makeCli(
    () => dir,
    () => join(dir, 'store'),
  );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-rollout-'));
    lab = await makeRolloutLab(dir);
  }, 300_000);

  afterAll(async () => {
    if (lab) for (const host of [lab.hosts.a, lab.hosts.b]) await host.destroy();
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

    const { a, b } = (lab as RolloutLab).hosts;
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
    // The preflight read 1.0-4's changelog from its package, and said why the prediction stayed.
    expect(byAsset['host-b'].releaseNotes).toEqual({
      pcdemo: expect.objectContaining({ entries: 3, maxUrgency: 'high', firstLine: 'New upstream release.' }),
    });
    expect(byAsset['host-b'].prediction).toMatchObject({
      after: byAsset['host-b'].prediction.before,
      reason: expect.stringContaining('+debNuM'),
    });
    const text = cli('rollout', 'job', byAsset['host-b'].id);
    expect(text).toContain('release notes pcdemo: 3 entries, urgency high, CVE-2026-0001');
    expect(text).toMatch(/P\(fail\) stays \d+\.\d%: the model scores only Debian security updates/);
    // The store learned host-a's verified version: its finding is fixed without a new inventory;
    // host-b's stays open.
    const statuses = (asset: string) =>
      JSON.parse(
        cli('findings', '--asset', asset, '--status', 'open,fixed', '--format', 'json'),
      ).findings.map((f: { vulnerabilityId: string; status: string }) => `${f.vulnerabilityId} ${f.status}`);
    expect(statuses('host-a')).toEqual(['PCDEMO-2026-0001 fixed']);
    expect(statuses('host-b')).toEqual(['PCDEMO-2026-0002 open']);
    const hostA = JSON.parse(cli('rollout', 'job', byAsset['host-a'].id, '--json'));
    expect(hostA.events.find((e: { kind: string }) => e.kind === 'store:findings')?.data).toMatchObject({
      resolved: 1,
    });
    // host-b is still vulnerable; its patch now says what the rollout learned about 1.0-4.
    const patch = JSON.parse(cli('explain', 'host-b/debian/pcdemo', '--json'));
    expect(patch.fleet).toEqual([
      expect.objectContaining({
        key: `pcdemo@${PCDEMO.brokenHealth}`,
        outcomes: expect.objectContaining({ rollback: 1 }),
      }),
    ]);
    expect(patch.fleet[0].mean).toBeGreaterThan(patch.fleet[0].prior);
    expect(patch.preflight).toMatchObject({
      jobId: byAsset['host-b'].id,
      releaseNotes: { pcdemo: { entries: 3, cves: ['CVE-2026-0001'] } },
      prediction: { reason: expect.stringContaining('+debNuM') },
    });
    expect(cli('explain', 'host-b/debian/pcdemo')).toContain(
      'release notes pcdemo: 3 entries, urgency high, CVE-2026-0001, same upstream version',
    );
    const audit = cli('audit', 'list', '--json');
    expect(audit).toMatch(/job:rolled-back/);
    expect(audit).toMatch(/wave:promote/);
  }, 600_000);
});
