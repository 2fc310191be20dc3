import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { JobSpec } from './contract.js';
import { exportAnsiblePlaybook, exportShellScript, maxFailPercentage } from './export.js';

function spec(overrides: Partial<JobSpec> = {}): JobSpec {
  return {
    jobId: 'job-1',
    assetId: 'asset-web-1',
    manager: 'apt',
    targets: [
      { name: 'openssl', version: '3.0.15-1~deb12u1' },
      { name: 'libssl3', version: '3.0.15-1~deb12u1' },
    ],
    allow: { removals: false, downgrades: false, held: false },
    rehearsal: false,
    hooks: {
      pre: [['systemctl', 'stop', 'my app']],
      post: [['sh', '-c', 'echo {{ not_a_template }} $(id)']],
    },
    probes: [
      { kind: 'http', url: 'http://127.0.0.1:8080/health', status: 200, bodyIncludes: "it's {{ ok }}" },
      { kind: 'tcp', host: '127.0.0.1', port: 5432, timeoutMs: 3000 },
      { kind: 'command', name: 'nginx config', argv: ['nginx', '-t'] },
    ],
    reboot: 'if-required',
    restartServices: true,
    refresh: true,
    ...overrides,
  };
}

// `!unsafe` is Ansible's own tag; read it back as the plain string it carries.
const readPlaybook = (text: string) =>
  parse(text, { customTags: [{ tag: '!unsafe', resolve: (value: string) => `UNSAFE:${value}` }] });

describe('exportAnsiblePlaybook', () => {
  const hostOf = (asset: string) => asset.replace('asset-', '');

  it('writes one play for alike jobs, with serial and max_fail_percentage', () => {
    const text = exportAnsiblePlaybook([spec(), spec({ jobId: 'job-2', assetId: 'asset-web-2' })], hostOf, {
      concurrency: 4,
      errorBudget: 1,
    });
    const plays = readPlaybook(text);
    expect(plays).toHaveLength(1);
    expect(plays[0]).toMatchObject({
      hosts: ['web-1', 'web-2'],
      serial: 4,
      max_fail_percentage: 25,
      become: true,
    });
  });

  it('installs exact versions, refreshes when asked and never downgrades by default', () => {
    const [play] = readPlaybook(exportAnsiblePlaybook([spec()], hostOf, { concurrency: 1, errorBudget: 0 }));
    const install = play.tasks.find((t: Record<string, unknown>) => 'ansible.builtin.apt' in t);
    expect(install['ansible.builtin.apt']).toEqual({
      name: ['openssl=3.0.15-1~deb12u1', 'libssl3=3.0.15-1~deb12u1'],
      state: 'present',
      update_cache: true,
      allow_downgrade: false,
    });
    expect(play.max_fail_percentage).toBe(0);
  });

  it('runs hooks and probes as argv, every user string marked unsafe for Jinja', () => {
    const [play] = readPlaybook(exportAnsiblePlaybook([spec()], hostOf, { concurrency: 1, errorBudget: 0 }));
    const names = play.tasks.map((t: { name: string }) => t.name);
    expect(names).toEqual([
      'record the installed versions (the rollback target)',
      'pre-hook 1',
      'install the exact versions',
      'is a reboot required',
      'reboot when required',
      'probe 1',
      'probe 2',
      'probe nginx config',
      'post-hook 1',
    ]);
    const byName = (n: string) => play.tasks.find((t: { name: string }) => t.name === n);
    expect(byName('post-hook 1')['ansible.builtin.command'].argv).toEqual([
      'UNSAFE:sh',
      'UNSAFE:-c',
      'UNSAFE:echo {{ not_a_template }} $(id)',
    ]);
    expect(byName('reboot when required').when).toBe('patchcast_reboot.stat.exists');
    expect(byName('probe 1').vars.patchcast_expected).toBe("UNSAFE:it's {{ ok }}");
    expect(byName('probe 2')['ansible.builtin.wait_for']).toEqual({
      host: 'UNSAFE:127.0.0.1',
      port: 5432,
      timeout: 3,
    });
  });

  it('uses the dnf module with name-version, and groups different jobs into separate plays', () => {
    const dnf = spec({
      manager: 'dnf',
      jobId: 'job-3',
      assetId: 'asset-db-1',
      targets: [{ name: 'bash', version: '5.1.8-9.el9' }],
    });
    const plays = readPlaybook(
      exportAnsiblePlaybook([spec(), dnf], hostOf, { concurrency: 2, errorBudget: 5 }),
    );
    expect(plays).toHaveLength(2);
    const install = plays[1].tasks.find((t: Record<string, unknown>) => 'ansible.builtin.dnf' in t);
    expect(install['ansible.builtin.dnf'].name).toEqual(['bash-5.1.8-9.el9']);
    expect(plays[1].max_fail_percentage).toBe(100);
  });

  it('refuses a host name that would widen the play', () => {
    const options = { concurrency: 1, errorBudget: 0 };
    for (const host of ['all', 'web*', 'web:db', 'all:!db', 'web[0:9]', '{{ x }}']) {
      expect(() => exportAnsiblePlaybook([spec()], () => host, options), host).toThrow(
        /not an Ansible inventory name/,
      );
    }
    expect(exportAnsiblePlaybook([spec()], () => 'web-1.example.org', options)).toContain(
      '- web-1.example.org',
    );
  });

  it('computes the batch percentage from the budget', () => {
    expect(maxFailPercentage({ concurrency: 3, errorBudget: 1 })).toBe(33);
    expect(maxFailPercentage({ concurrency: 0, errorBudget: 1 })).toBe(0);
  });
});

describe('exportShellScript run against stub commands', () => {
  // The script runs under a PATH holding only stubs and links to harmless tools, so apt-get,
  // dpkg-query and reboot are recorders: nothing on this host is changed, nothing reboots.
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function runScript(script: string, simulation: string, curlResponse = "healthy: it's {{ ok }}\n200") {
    const dir = mkdtempSync(join(tmpdir(), 'patchcast-export-'));
    dirs.push(dir);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    // Each stub records its argv; a simulation prints the prepared output (dnf's --assumeno then exits
    // 1, as dnf does), and curl prints the prepared response.
    const stub = [
      '#!/bin/sh',
      `{ printf 'CALL\\0'; printf '%s\\0' "\${0##*/}" "$@"; } >> "$STUB_LOG"`,
      `case " $* " in *' -s '*|*' --assumeno '*) cat "$STUB_SIMULATION";; esac`,
      `case " $* " in *' --assumeno '*) exit 1;; esac`,
      `if [ "\${0##*/}" = curl ]; then cat "$STUB_CURL"; fi`,
      '',
    ].join('\n');
    for (const name of [
      'apt-get',
      'dpkg-query',
      'dnf',
      'rpm',
      'reboot',
      'systemctl',
      'nginx',
      'curl',
      'nc',
    ]) {
      writeFileSync(join(bin, name), stub);
      chmodSync(join(bin, name), 0o755);
    }
    for (const tool of ['sh', 'grep', 'mktemp', 'rm', 'cat', 'printf']) {
      const real = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
      if (real.startsWith('/')) symlinkSync(real, join(bin, tool));
    }
    writeFileSync(join(dir, 'sim'), simulation);
    writeFileSync(join(dir, 'curl'), curlResponse);
    writeFileSync(join(dir, 'job.sh'), script);
    const env = {
      PATH: bin,
      STUB_LOG: join(dir, 'log'),
      STUB_SIMULATION: join(dir, 'sim'),
      STUB_CURL: join(dir, 'curl'),
      PATCHCAST_PREVIOUS_FILE: join(dir, 'previous'),
    };
    const result = spawnSync(join(bin, 'sh'), [join(dir, 'job.sh')], { env, encoding: 'utf8' });
    const log = existsSync(env.STUB_LOG) ? readFileSync(env.STUB_LOG, 'utf8') : '';
    const calls = log
      .split('CALL\0')
      .slice(1)
      .map((call) => call.split('\0').slice(0, -1));
    return {
      status: result.status,
      stderr: result.stderr,
      calls,
      previousWritten: existsSync(env.PATCHCAST_PREVIOUS_FILE),
    };
  }

  const UPGRADE =
    'Inst openssl [3.0.11-1~deb12u2] (3.0.15-1~deb12u1 Debian-Security:12/stable-security [amd64])\n';

  it('is valid sh', () => {
    const script = exportShellScript(spec());
    expect(spawnSync('sh', ['-n'], { input: script }).status).toBe(0);
    expect(script).toMatch(/^#!\/bin\/sh\n/);
    expect(script).toContain('set -eu');
  });

  it('records versions, refreshes, simulates, then installs, in that order, with the arguments intact', () => {
    const job = spec({ probes: [], reboot: 'always' });
    const { status, calls, previousWritten } = runScript(exportShellScript(job), UPGRADE);
    expect(status).toBe(0);
    expect(previousWritten).toBe(true);
    expect(calls.map((c) => c[0])).toEqual([
      'dpkg-query',
      'apt-get',
      'apt-get',
      'systemctl',
      'apt-get',
      'reboot',
    ]);
    expect(calls[2]).toContain('-s');
    expect(calls[3]).toEqual(['systemctl', 'stop', 'my app']);
    expect(calls[4]?.slice(-2)).toEqual(['openssl=3.0.15-1~deb12u1', 'libssl3=3.0.15-1~deb12u1']);
  });

  it('stops before installing when the simulation removes a package', () => {
    const { status, stderr, calls } = runScript(
      exportShellScript(spec()),
      `Remv libfoo1 [1.2-3]\n${UPGRADE}`,
    );
    expect(status).toBe(1);
    expect(stderr).toContain('blocked: the simulation removes packages');
    expect(calls.map((c) => c[0])).toEqual(['dpkg-query', 'apt-get', 'apt-get']);
  });

  it('stops on a downgrade unless the job allows it', () => {
    const downgrade =
      'The following packages will be DOWNGRADED:\n  openssl\n0 upgraded, 0 newly installed, 1 downgraded, 0 to remove and 0 not upgraded.\n';
    expect(runScript(exportShellScript(spec()), downgrade).status).toBe(1);
    const allowed = spec({
      allow: { removals: false, downgrades: true, held: false },
      probes: [],
      reboot: 'never',
    });
    const run = runScript(exportShellScript(allowed), downgrade);
    expect(run.status).toBe(0);
    expect(run.calls.at(-1)).toContain('--allow-downgrades');
  });

  it('takes dnf --assumeno aborting as a finished simulation, and stops on a dnf removal', () => {
    const dnf = spec({
      manager: 'dnf',
      targets: [{ name: 'bash', version: '5.1.8-9.el9' }],
      probes: [],
      reboot: 'never',
    });
    const table =
      ' Package  Arch  Version  Repository  Size\nUpgrading:\n bash  x86_64  5.1.8-9.el9  baseos  1.7 M\n\nOperation aborted.\n';
    const ok = runScript(exportShellScript(dnf), table);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.calls.map((c) => c.slice(0, 3).join(' '))).toEqual([
      'rpm -q --qf',
      'dnf -y makecache',
      'dnf --assumeno install',
      'systemctl stop my app',
      'dnf -y install',
    ]);
    const removal = table.replace('Upgrading:', 'Removing:');
    expect(runScript(exportShellScript(dnf), removal).status).toBe(1);
  });

  it('runs the probes before the post-hooks and stops when one fails', () => {
    const job = spec({ hooks: { pre: [], post: [['systemctl', 'start', 'after']] }, reboot: 'never' });
    const passing = runScript(exportShellScript(job), UPGRADE);
    expect(passing.status, passing.stderr).toBe(0);
    expect(passing.calls.map((c) => c[0])).toEqual([
      'dpkg-query',
      'apt-get',
      'apt-get',
      'apt-get',
      'curl',
      'nc',
      'nginx',
      'systemctl',
    ]);
    const wrongBody = runScript(exportShellScript(job), UPGRADE, 'unhealthy\n200');
    expect(wrongBody.status).toBe(1);
    expect(wrongBody.stderr).toContain('probe 1 failed');
    expect(wrongBody.calls.map((c) => c[0])).not.toContain('systemctl');
    // A body ending in digits must not be read as part of the status code.
    expect(runScript(exportShellScript(job), UPGRADE, "it's {{ ok }} 404\n200").status).toBe(0);
    expect(runScript(exportShellScript(job), UPGRADE, "it's {{ ok }}\n500").status).toBe(1);
  });
});
