/**
 * The controller patching a host over SSH: a real OpenSSH sshd inside a test host on 127.0.0.1, its
 * host key pinned by a known_hosts file, the rollout's `ssh` executor from patchcast.yaml. The same
 * lab as the README walk-through, with host-a reached over SSH instead of locally.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCli } from '../support/cli.js';
import { PCDEMO_LIB } from '../support/debs.js';
import { makeRolloutLab, type RolloutLab } from '../support/rollout-lab.js';
import { hasSshd, startSshd, type TestSshd } from '../support/sshd.js';

const runnable = process.getuid?.() === 0 && hasSshd();
let dir = '';
let lab: RolloutLab | undefined;
let sshd: TestSshd | undefined;

describe.skipIf(!runnable)('rollout over SSH (needs root and /usr/sbin/sshd)', () => {
  const cli = makeCli(
    () => dir,
    () => join(dir, 'store'),
  );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-rollout-ssh-'));
    lab = await makeRolloutLab(dir);
    sshd = await startSshd(lab.hosts.a);
    writeFileSync(join(dir, 'client_key'), sshd.clientKey, { mode: 0o600 });
    writeFileSync(join(dir, 'known_hosts'), sshd.knownHosts);
    // host-a is reached over SSH; its apt options still point apt at the lab's repository.
    const config = readFileSync(join(dir, 'patchcast.yaml'), 'utf8').replace(
      /^ {2}- \{ select: \{ assets: \[host-a\] \}, executor: local, prefix: \[[^\]]*\](, aptOptions: .*) \}$/m,
      `  - { select: { assets: [host-a] }, executor: ssh, ssh: { host: 127.0.0.1, port: ${sshd.port}, user: root, privateKey: client_key, knownHosts: known_hosts }$1 }`,
    );
    expect(config).toMatch(/executor: ssh/);
    writeFileSync(join(dir, 'patchcast.yaml'), config);
  }, 300_000);

  afterAll(async () => {
    await sshd?.stop();
    if (lab) for (const host of [lab.hosts.a, lab.hosts.b]) await host.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('patches host-a over SSH, its host key pinned by known_hosts (a wrong key is refused: test/rollout/executors.spec.ts)', async () => {
    cli('inventory', 'import', 'host-a.agent-report.json');
    cli('sync', 'osv', '--from', 'advisories');
    cli('plan', '--horizon', '1d');
    cli('rollout', 'start', '--approve', '--now');
    expect(cli('controller', '--until-idle', '--tick', '300')).toMatch(/rollout done: 1 succeeded, 0 failed/);
    expect(await (lab as RolloutLab).hosts.a.installed(PCDEMO_LIB.name)).toBe(PCDEMO_LIB.fix);
    const status = JSON.parse(cli('rollout', 'status', '--json'));
    expect(status.jobs).toEqual([expect.objectContaining({ assetId: 'host-a', status: 'succeeded' })]);
  }, 600_000);
});
