import { describe, expect, it } from 'vitest';
import { getOsEcosystem, parseOsReleaseText, withOsRelease } from './os-release.js';

describe('os-release → OSV ecosystem', () => {
  it.each([
    [{ ID: 'debian', VERSION_ID: '12' }, 'Debian:12'],
    [{ ID: 'debian', VERSION_CODENAME: 'trixie' }, 'Debian:13'],
    [{ ID: 'ubuntu', VERSION_ID: '22.04', VERSION: '22.04.4 LTS (Jammy Jellyfish)' }, 'Ubuntu:22.04:LTS'],
    [{ ID: 'ubuntu', VERSION_ID: '23.10', VERSION: '23.10 (Mantic Minotaur)' }, 'Ubuntu:23.10'],
    [{ ID: 'alpine', VERSION_ID: '3.20.3' }, 'Alpine:v3.20'],
    [{ ID: 'rhel', VERSION_ID: '9.4' }, 'Red Hat:enterprise_linux:9'],
    [{ ID: 'rhel' }, 'Red Hat'],
    [{ ID: 'almalinux', VERSION_ID: '9.4' }, 'AlmaLinux:9'],
    [{ ID: 'rocky', VERSION_ID: '8.9' }, 'Rocky Linux:8'],
    [{ ID: 'opensuse-leap', VERSION_ID: '15.5' }, 'openSUSE:Leap 15.5'],
    [{ ID: 'sles', VERSION_ID: '15.5' }, 'SUSE:Linux Enterprise Server 15 SP5'],
    [{ ID: 'wolfi', VERSION_ID: '20230201' }, 'Wolfi'],
    [{ ID: 'chainguard' }, 'Chainguard'],
  ])('%o → %s', (fields, ecosystem) => {
    expect(getOsEcosystem(fields)).toBe(ecosystem);
  });

  it('has none for a distribution OSV does not cover', () => {
    expect(getOsEcosystem({ ID: 'arch' })).toBeUndefined();
  });

  it('parses quoting and escapes as os-release(5) says', () => {
    expect(parseOsReleaseText('# c\nNAME="A \\"B\\""\nID=x\nV=\'1 2\'\n')).toEqual({
      NAME: 'A "B"',
      ID: 'x',
      V: '1 2',
    });
  });

  it('fills the release of a package database ecosystem within its family only', () => {
    expect(withOsRelease('Debian', 'Debian:12')).toBe('Debian:12');
    expect(withOsRelease('Debian', 'Ubuntu:22.04:LTS')).toBe('Ubuntu:22.04:LTS');
    expect(withOsRelease('Red Hat', 'AlmaLinux:9')).toBe('AlmaLinux:9');
    expect(withOsRelease('npm', 'Debian:12')).toBe('npm');
    expect(withOsRelease('Debian:11', 'Debian:12')).toBe('Debian:11');
    expect(withOsRelease('Alpine', 'Debian:12')).toBe('Alpine');
  });
});
