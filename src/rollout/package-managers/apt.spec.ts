import { describe, expect, it } from 'vitest';
import { AptPackageManager, parseAptSimulation } from './apt.js';

// Outputs below were captured from apt 2.6.1 / dpkg 1.21 on Debian 12 (apt.int.spec.ts produces the
// same against a temp repository); the multi-package one is trimmed from a real bookworm upgrade.

const HEADER = 'Reading package lists...\nBuilding dependency tree...\nReading state information...\n';

describe('apt argv', () => {
  const apt = new AptPackageManager({ aptOptions: ['-o', 'Dir::Etc::sourceparts=-'] });

  it('puts the extra options right after apt-get and pins exact versions', () => {
    expect(apt.refresh()).toEqual(['apt-get', '-o', 'Dir::Etc::sourceparts=-', 'update']);
    expect(apt.simulate([{ name: 'openssl', version: '3.0.15-1~deb12u1' }])).toEqual([
      'apt-get',
      '-o',
      'Dir::Etc::sourceparts=-',
      '-s',
      '-y',
      '-o',
      'Debug::NoLocking=1',
      '--allow-downgrades',
      '--allow-change-held-packages',
      'install',
      'openssl=3.0.15-1~deb12u1',
    ]);
  });

  it('installs keeping changed configuration files, downgrading only when asked', () => {
    const plain = apt.install([{ name: 'libssl3', version: '3.0.15-1~deb12u1' }]);
    expect(plain).toContain('Dpkg::Options::=--force-confold');
    expect(plain).not.toContain('--allow-downgrades');
    expect(plain.at(-1)).toBe('libssl3=3.0.15-1~deb12u1');
    expect(
      apt.install([{ name: 'libssl3', version: '3.0.11-1~deb12u2' }], { allowDowngrades: true }),
    ).toContain('--allow-downgrades');
    expect(plain).not.toContain('--allow-change-held-packages');
    expect(apt.install([{ name: 'openssl', version: '1' }], { allowHeld: true })).toContain(
      '--allow-change-held-packages',
    );
  });

  it('refuses a name or version that would read as an option or shell syntax', () => {
    expect(() => apt.simulate([{ name: '-oAPT::Get::Assume-Yes=1', version: '1' }])).toThrow(
      /not a valid package name/,
    );
    expect(() => apt.install([{ name: 'bash', version: '5.2; rm -rf /' }])).toThrow(
      /not a valid package version/,
    );
    expect(() => apt.queryInstalled(['a b'])).toThrow(/not a valid package name/);
  });

  it('reads the changelog from the package documentation, without the architecture qualifier', () => {
    expect(apt.changelogPath('libssl3:amd64')).toBe('/usr/share/doc/libssl3/changelog.Debian.gz');
    expect(apt.changelog('libssl3').slice(0, 2)).toEqual(['sh', '-c']);
    expect(apt.changelog('libssl3').at(-1)).toBe('/usr/share/doc/libssl3');
  });
});

describe('dpkg-query output', () => {
  it('keeps installed packages only', () => {
    const apt = new AptPackageManager();
    const stdout = 'libssl3\t3.0.15-1~deb12u1\tinstalled\nrc-pkg\t1.0-1\tconfig-files\nhalf\t2.0\tunpacked\n';
    expect(apt.parseInstalled(stdout)).toEqual(new Map([['libssl3', '3.0.15-1~deb12u1']]));
  });
});

describe('apt-get -s output', () => {
  it('reads upgrades with their old version and architecture-qualified names', () => {
    const stdout = `${HEADER}The following packages will be upgraded:
  libssl3 openssl
2 upgraded, 0 newly installed, 0 to remove and 31 not upgraded.
Inst libssl3 [3.0.11-1~deb12u2] (3.0.15-1~deb12u1 Debian-Security:12/stable-security [amd64])
Inst libssl3:i386 [3.0.11-1~deb12u2] (3.0.15-1~deb12u1 Debian-Security:12/stable-security [i386]) []
Inst openssl [3.0.11-1~deb12u2] (3.0.15-1~deb12u1 Debian-Security:12/stable-security [amd64])
Conf libssl3 (3.0.15-1~deb12u1 Debian-Security:12/stable-security [amd64])
Conf openssl (3.0.15-1~deb12u1 Debian-Security:12/stable-security [amd64])
`;
    const sim = parseAptSimulation({ code: 0, stdout, stderr: '' });
    expect(sim.ok).toBe(true);
    expect(sim.changes.map((c) => `${c.name} ${c.action} ${c.from}→${c.to}`)).toEqual([
      'libssl3 upgrade 3.0.11-1~deb12u2→3.0.15-1~deb12u1',
      'libssl3:i386 upgrade 3.0.11-1~deb12u2→3.0.15-1~deb12u1',
      'openssl upgrade 3.0.11-1~deb12u2→3.0.15-1~deb12u1',
    ]);
  });

  it('orders versions as dpkg does: a tilde sorts before the end', () => {
    const stdout = `${HEADER}Inst pc [1.0-1] (1.0-1~bpo1 x [all])\n`;
    expect(parseAptSimulation({ code: 0, stdout, stderr: '' }).changes[0]?.action).toBe('downgrade');
  });

  it('reads a reinstall of the same version', () => {
    const stdout = `${HEADER}Inst pc [1.0-1] (1.0-1 x [all])\n`;
    expect(parseAptSimulation({ code: 0, stdout, stderr: '' }).changes[0]?.action).toBe('reinstall');
  });

  it('collects held and kept-back packages, across wrapped lines', () => {
    const stdout = `${HEADER}The following held packages will be changed:
  linux-image-amd64 openssl
  libssl3
The following packages have been kept back:
  systemd
The following packages will be upgraded:
  libssl3 openssl
`;
    const sim = parseAptSimulation({ code: 0, stdout, stderr: '' });
    expect(sim.held).toEqual(['linux-image-amd64', 'openssl', 'libssl3', 'systemd']);
  });

  it('reports the -y refusal of held changes as an error when the simulation ran without the allow flag', () => {
    const stderr = 'E: Held packages were changed and -y was used without --allow-change-held-packages.\n';
    const sim = parseAptSimulation({ code: 100, stdout: HEADER, stderr });
    expect(sim).toMatchObject({ ok: false, errors: [stderr.slice(3).trim()] });
  });

  it('reports a package apt does not know', () => {
    const sim = parseAptSimulation({
      code: 100,
      stdout: HEADER,
      stderr: 'E: Unable to locate package pc-nonexist\n',
    });
    expect(sim).toEqual({
      ok: false,
      changes: [],
      held: [],
      errors: ['Unable to locate package pc-nonexist'],
    });
  });

  it('is not ok on a non-zero exit even without an E: line', () => {
    expect(parseAptSimulation({ code: 100, stdout: HEADER, stderr: '' }).ok).toBe(false);
  });
});
