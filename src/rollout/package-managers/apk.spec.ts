import { describe, expect, it } from 'vitest';
import { ApkPackageManager, parseApkSimulation } from './apk.js';

// apk is not installed on the machine these tests were written on. The change lines follow apk-tools'
// print_change (src/commit.c); the rest is written from Alpine 3.19 output, not captured: see readme.md.

const apk = new ApkPackageManager();

describe('apk argv', () => {
  it('pins exact versions with name=version', () => {
    expect(apk.simulate([{ name: 'musl', version: '1.2.4-r3' }])).toEqual([
      'apk',
      'add',
      '--simulate',
      'musl=1.2.4-r3',
    ]);
    expect(apk.install([{ name: 'musl', version: '1.2.4-r2' }], { allowDowngrades: true })).toEqual([
      'apk',
      'add',
      'musl=1.2.4-r2',
    ]);
    expect(apk.refresh()).toEqual(['apk', 'update']);
  });
});

describe('installed packages', () => {
  it('splits name-version from apk info -v, where names may contain hyphens and digits', () => {
    const stdout = 'musl-1.2.4-r2\nlibssl3-3.1.4-r1\npy3-setuptools-68.2.2-r0\nbusybox-binsh-1.36.1-r15\n';
    expect(apk.parseInstalled(stdout)).toEqual(
      new Map([
        ['musl', '1.2.4-r2'],
        ['libssl3', '3.1.4-r1'],
        ['py3-setuptools', '68.2.2-r0'],
        ['busybox-binsh', '1.36.1-r15'],
      ]),
    );
  });

  it('reads apk list --installed lines', () => {
    const stdout =
      'musl-1.2.4-r2 x86_64 {musl} (MIT) [installed]\nopenssl-3.1.4-r1 x86_64 {openssl} (Apache-2.0) [upgradable from: openssl-3.1.3-r0]\n';
    expect(apk.parseInstalled(stdout)).toEqual(new Map([['musl', '1.2.4-r2']]));
  });
});

describe('apk add --simulate output', () => {
  it('reads every kind of change', () => {
    const stdout = `(1/5) Upgrading musl (1.2.4-r2 -> 1.2.4-r3)
(2/5) Installing libfoo (1.0-r0)
(3/5) Downgrading curl (8.5.0-r0 -> 8.4.0-r0)
(4/5) Purging oldlib (0.9-r1)
(5/5) Re-installing busybox (1.36.1-r15)
OK: 9 MiB in 17 packages
`;
    expect(parseApkSimulation({ code: 0, stdout, stderr: '' })).toEqual({
      ok: true,
      changes: [
        { name: 'musl', action: 'upgrade', from: '1.2.4-r2', to: '1.2.4-r3' },
        { name: 'libfoo', action: 'install', to: '1.0-r0' },
        { name: 'curl', action: 'downgrade', from: '8.5.0-r0', to: '8.4.0-r0' },
        { name: 'oldlib', action: 'remove', from: '0.9-r1' },
        { name: 'busybox', action: 'reinstall', from: '1.36.1-r15', to: '1.36.1-r15' },
      ],
      held: [],
      errors: [],
    });
  });

  it('drops a repository tag from the name', () => {
    const sim = parseApkSimulation({
      code: 0,
      stdout: '(1/1) Upgrading musl@edge (1.2.4-r2 -> 1.2.5-r0)\n',
      stderr: '',
    });
    expect(sim.changes[0]?.name).toBe('musl');
  });

  it('reports an unsatisfiable constraint with its detail lines', () => {
    const stderr = `ERROR: unable to select packages:
  musl-1.2.4-r9:
    breaks: world[musl=1.2.4-r9]
`;
    const sim = parseApkSimulation({ code: 1, stdout: '', stderr });
    expect(sim.ok).toBe(false);
    expect(sim.errors).toEqual([
      'unable to select packages:',
      'musl-1.2.4-r9:',
      'breaks: world[musl=1.2.4-r9]',
    ]);
  });
});
