import { describe, expect, it } from 'vitest';
import { FakeHost } from '../../test/support/fake-host.js';
import { getPackageManager } from './package-managers/index.js';
import { getServiceUnit, isRestartable, parseDeletedMaps } from './restart.js';
import { restartAfterChange } from './restart-step.js';

// Trimmed from `grep -H ' (deleted)$' /proc/[0-9]*/maps` on a Debian 12 host after an openssl upgrade.
const DELETED_MAPS = [
  '/proc/812/maps:7f3b1c200000-7f3b1c29a000 r--p 00000000 fd:01 1573012                    /usr/lib/x86_64-linux-gnu/libssl.so.3 (deleted)',
  '/proc/812/maps:7f3b1c29a000-7f3b1c2f6000 r-xp 0009a000 fd:01 1573012                    /usr/lib/x86_64-linux-gnu/libssl.so.3 (deleted)',
  '/proc/812/maps:7f86c4b5d000-7f86cd9f5000 rw-s 00000000 00:01 1028                       /dev/zero (deleted)',
  '/proc/901/maps:7f86cfe1a000-7f86cfe1b000 rw-s 00000000 00:01 4                          /SYSV0015e073 (deleted)',
  '/proc/933/maps:55d0c3a00000-55d0c3a8c000 r-xp 00000000 fd:01 1310722                    /usr/sbin/nginx (deleted)',
  '/proc/977/maps:7f0000000000-7f0000001000 r--p 00000000 fd:01 99                         /tmp/scratch file (deleted)',
].join('\n');

describe('restart', () => {
  it('finds packaged files that running processes still map after they were replaced', () => {
    expect(parseDeletedMaps(DELETED_MAPS)).toEqual(
      new Map([
        [812, new Set(['/usr/lib/x86_64-linux-gnu/libssl.so.3'])],
        [933, new Set(['/usr/sbin/nginx'])],
      ]),
    );
  });

  it('names the service of a process from its cgroup, v2 or v1', () => {
    expect(getServiceUnit(['0::/system.slice/nginx.service'])).toBe('nginx.service');
    expect(getServiceUnit(['4:memory:/x', '1:name=systemd:/system.slice/ssh.service', '0::/'])).toBe(
      'ssh.service',
    );
    expect(getServiceUnit(['0::/system.slice/docker.service/worker'])).toBe('docker.service');
    expect(getServiceUnit(['0::/user.slice/user-1000.slice/session-3.scope'])).toBeUndefined();
  });

  it('never restarts the bus, logins or patchcast itself', () => {
    expect(isRestartable('nginx.service')).toBe(true);
    expect(isRestartable('dbus.service')).toBe(false);
    expect(isRestartable('getty@tty1.service')).toBe(false);
    expect(isRestartable('patchcast-agent.service')).toBe(false);
  });

  it('restarts each restartable service still running replaced code on a systemd host', async () => {
    const host = new FakeHost({});
    host.files.set('/proc/1/comm', 'systemd\n');
    host.scripted.push(
      {
        match: (argv) => argv[2]?.startsWith('grep') === true,
        result: { code: 0, stdout: DELETED_MAPS, stderr: '' },
      },
      {
        match: (argv) => argv[2]?.startsWith('for p') === true,
        result: {
          code: 0,
          stdout:
            '812\tnginx\t0::/system.slice/nginx.service|\n933\tdbus-daemon\t0::/system.slice/dbus.service|\n',
          stderr: '',
        },
      },
    );
    const result = await restartAfterChange({ reboot: 'never', restartServices: true }, host);
    expect(result.outcome).toBe('ok');
    expect(result.data).toMatchObject({
      restarted: ['nginx.service'],
      left: { units: ['dbus.service'], pids: [] },
    });
    expect(host.calls).toContainEqual(['systemctl', 'restart', '--', 'nginx.service']);
    expect(host.calls).not.toContainEqual(['systemctl', 'restart', '--', 'dbus.service']);
  });

  it('fails the step when a service does not restart', async () => {
    const host = new FakeHost({});
    host.files.set('/proc/1/comm', 'systemd\n');
    host.failing.add('systemctl restart -- nginx.service');
    host.scripted.push(
      {
        match: (argv) => argv[2]?.startsWith('grep') === true,
        result: { code: 0, stdout: DELETED_MAPS, stderr: '' },
      },
      {
        match: (argv) => argv[2]?.startsWith('for p') === true,
        result: { code: 0, stdout: '812\tnginx\t0::/system.slice/nginx.service|\n', stderr: '' },
      },
    );
    const result = await restartAfterChange({ reboot: 'if-required', restartServices: true }, host);
    expect(result).toMatchObject({
      outcome: 'failed',
      reason: 'systemctl restart nginx.service exited with 1',
    });
  });

  it("restarts only the services running old files of the job's own packages", async () => {
    const host = new FakeHost({});
    host.files.set('/proc/1/comm', 'systemd\n');
    host.scripted.push(
      {
        match: (argv) => argv[2]?.startsWith('grep') === true,
        result: { code: 0, stdout: DELETED_MAPS, stderr: '' },
      },
      {
        match: (argv) => argv[2]?.startsWith('for p') === true,
        result: {
          code: 0,
          stdout:
            '812\tapache2\t0::/system.slice/apache2.service|\n933\tnginx\t0::/system.slice/nginx.service|\n',
          stderr: '',
        },
      },
      {
        match: (argv) => argv[0] === 'dpkg-query' && argv[1] === '-S',
        result: {
          code: 0,
          stdout: 'libssl3:amd64: /usr/lib/x86_64-linux-gnu/libssl.so.3\nnginx-core: /usr/sbin/nginx\n',
          stderr: '',
        },
      },
    );
    const result = await restartAfterChange(
      { reboot: 'never', restartServices: true },
      host,
      {},
      {
        manager: getPackageManager('apt'),
        packages: ['libssl3', 'openssl'],
      },
    );
    expect(result.data).toMatchObject({
      restarted: ['apache2.service'],
      left: { unrelated: ['nginx.service'] },
    });
    expect(host.calls).not.toContainEqual(['systemctl', 'restart', '--', 'nginx.service']);
  });
});
