import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../contract.js';
import { DnfPackageManager, parseDnfSimulation } from './dnf.js';

// Two kinds of output here: the first tests' output is written from dnf 4's format (dnf/cli/output.py,
// as RHEL 9 / Fedora 38 print it) for cases the real run below cannot produce; the last block reads
// output captured from dnf 4.14 / rpm 4.18 by dnf.int.spec.ts (__fixtures__/dnf-*.txt), so the parser
// is held to real output on machines without dnf too.

/** A fixture: `# exit N`, `# --- stdout`, the stdout, `# --- stderr`, the stderr. */
function fixture(name: string): CommandResult {
  const text = readFileSync(join(import.meta.dirname, '__fixtures__', `dnf-${name}.txt`), 'utf8');
  const match = /^# exit (\d+)\n# --- stdout\n([\s\S]*)# --- stderr\n([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`fixture ${name} is not in the capture format`);
  return { code: Number(match[1]), stdout: match[2]!, stderr: match[3]! };
}

const dnf = new DnfPackageManager();

const UPGRADE = `Last metadata expiration check: 0:41:07 ago on Tue 02 Jan 2024 09:12:44 AM UTC.
Dependencies resolved.
================================================================================
 Package              Architecture   Version                Repository     Size
================================================================================
Upgrading:
 openssl              x86_64         1:3.0.7-25.el9_3       baseos        1.2 M
 openssl-libs         x86_64         1:3.0.7-25.el9_3       baseos        2.1 M
Installing dependencies:
 openssl-fips-provider
                      x86_64         3.0.7-2.el9            baseos        9.4 k
Removing dependent packages:
 compat-openssl11     x86_64         1:1.1.1k-4.el9_0       @appstream    4.0 M

Transaction Summary
================================================================================
Install  1 Package
Upgrade  2 Packages
Remove   1 Package

Total download size: 3.3 M
Operation aborted.
`;

describe('dnf argv', () => {
  it('simulates with --assumeno and pins name-version', () => {
    expect(dnf.simulate([{ name: 'openssl', version: '1:3.0.7-25.el9_3' }])).toEqual([
      'dnf',
      '--assumeno',
      'install',
      'openssl-1:3.0.7-25.el9_3',
    ]);
    expect(dnf.install([{ name: 'openssl', version: '1:3.0.7-24.el9' }], { allowDowngrades: true })).toEqual([
      'dnf',
      '-y',
      'install',
      'openssl-1:3.0.7-24.el9',
    ]);
    expect(dnf.queryInstalled(['openssl'])).toEqual([
      'rpm',
      '-q',
      '--qf',
      '%{NAME}\\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n',
      'openssl',
    ]);
    expect(dnf.remove(['openssl-fips-provider'])).toEqual([
      'dnf',
      '-y',
      'remove',
      '--',
      'openssl-fips-provider',
    ]);
  });

  it('puts dnfOptions right after dnf in every dnf command, and rpmRoot into the query', () => {
    const rooted = new DnfPackageManager({
      dnfOptions: ['--installroot=/r', '--disablerepo=*'],
      rpmRoot: '/r',
    });
    const target = [{ name: 'pcdemo', version: '1.0-1' }];
    expect(rooted.refresh()).toEqual([
      'dnf',
      '--installroot=/r',
      '--disablerepo=*',
      '-y',
      'makecache',
      '--refresh',
    ]);
    expect(rooted.simulate(target)).toEqual([
      'dnf',
      '--installroot=/r',
      '--disablerepo=*',
      '--assumeno',
      'install',
      'pcdemo-1.0-1',
    ]);
    expect(rooted.install(target)).toEqual([
      'dnf',
      '--installroot=/r',
      '--disablerepo=*',
      '-y',
      'install',
      'pcdemo-1.0-1',
    ]);
    expect(rooted.remove(['pcdemo'])).toEqual([
      'dnf',
      '--installroot=/r',
      '--disablerepo=*',
      '-y',
      'remove',
      '--',
      'pcdemo',
    ]);
    expect(rooted.queryInstalled(['pcdemo'])).toEqual([
      'rpm',
      '--root',
      '/r',
      '-q',
      '--qf',
      '%{NAME}\\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n',
      'pcdemo',
    ]);
    expect(() => rooted.remove(['--all'])).toThrow('not a valid package name');
  });
});

describe('rpm -q output', () => {
  it('drops a zero epoch, skips packages not installed and keeps the highest kernel', () => {
    const stdout = [
      'openssl\t1:3.0.7-25.el9_3',
      'bash\t0:5.1.8-6.el9_1',
      'package nginx is not installed',
      'kernel\t0:5.14.0-362.8.1.el9_3',
      'kernel\t0:5.14.0-362.13.1.el9_3',
      '',
    ].join('\n');
    expect(dnf.parseInstalled(stdout)).toEqual(
      new Map([
        ['openssl', '1:3.0.7-25.el9_3'],
        ['bash', '5.1.8-6.el9_1'],
        ['kernel', '5.14.0-362.13.1.el9_3'],
      ]),
    );
  });
});

describe('dnf --assumeno output', () => {
  it('reads the transaction table, including a name on a line of its own', () => {
    const sim = parseDnfSimulation({ code: 1, stdout: UPGRADE, stderr: '' });
    expect(sim).toEqual({
      ok: true,
      changes: [
        { name: 'openssl', action: 'upgrade', to: '1:3.0.7-25.el9_3' },
        { name: 'openssl-libs', action: 'upgrade', to: '1:3.0.7-25.el9_3' },
        { name: 'openssl-fips-provider', action: 'install', to: '3.0.7-2.el9' },
        { name: 'compat-openssl11', action: 'remove', from: '1:1.1.1k-4.el9_0' },
      ],
      held: [],
      errors: [],
    });
  });

  it('reads downgrades and obsoleted packages', () => {
    const stdout = `Dependencies resolved.
================================================================================
 Package          Arch        Version              Repository            Size
================================================================================
Downgrading:
 curl             x86_64      7.76.1-26.el9        baseos               294 k
Upgrading:
 python3-dnf      noarch      4.14.0-9.el9         baseos               461 k
     replacing  python3-dnf-plugin-foo.noarch 1.0-1.el9

Transaction Summary
================================================================================
Operation aborted.
`;
    const sim = parseDnfSimulation({ code: 1, stdout, stderr: '' });
    expect(sim.changes).toEqual([
      { name: 'curl', action: 'downgrade', to: '7.76.1-26.el9' },
      { name: 'python3-dnf', action: 'upgrade', to: '4.14.0-9.el9' },
      { name: 'python3-dnf-plugin-foo', action: 'remove', from: '1.0-1.el9' },
    ]);
  });

  it('reports a missing version and a version excluded by versionlock', () => {
    const stderr = `All matches were filtered out by exclude filtering for argument: openssl-1:3.0.7-25.el9_3
Error: Unable to find a match: openssl-1:3.0.7-25.el9_3
`;
    const sim = parseDnfSimulation({
      code: 1,
      stdout: 'Last metadata expiration check: 0:01:02 ago.\n',
      stderr,
    });
    expect(sim).toEqual({
      ok: false,
      changes: [],
      held: ['openssl'],
      errors: ['Unable to find a match: openssl-1:3.0.7-25.el9_3'],
    });
  });

  it('reports a depsolve problem with its detail lines', () => {
    const stderr = `Error: 
 Problem: cannot install the best candidate for the job
  - nothing provides libfoo.so.1()(64bit) needed by foo-2.0-1.el9.x86_64
(try to add '--skip-broken' to skip uninstallable packages or '--nobest' to use not only best candidate packages)
`;
    const sim = parseDnfSimulation({ code: 1, stdout: 'Dependencies resolved.\n', stderr });
    expect(sim.ok).toBe(false);
    expect(sim.errors).toEqual([
      'Problem: cannot install the best candidate for the job',
      '- nothing provides libfoo.so.1()(64bit) needed by foo-2.0-1.el9.x86_64',
    ]);
  });

  it('treats a target already installed as nothing to do', () => {
    const stdout =
      'Package openssl-1:3.0.7-25.el9_3.x86_64 is already installed.\nDependencies resolved.\nNothing to do.\nComplete!\n';
    expect(parseDnfSimulation({ code: 0, stdout, stderr: '' })).toEqual({
      ok: true,
      changes: [],
      held: [],
      errors: [],
    });
  });

  it('is not ok when dnf exits 1 without aborting the transaction itself', () => {
    expect(parseDnfSimulation({ code: 1, stdout: 'Dependencies resolved.\n', stderr: '' }).ok).toBe(false);
  });
});

describe('output captured from dnf 4.14 and rpm 4.18 (dnf.int.spec.ts)', () => {
  const ok = (changes: unknown[]) => ({ ok: true, changes, held: [], errors: [] });

  it('reads rpm -q with a package that is not installed', () => {
    const query = fixture('rpm-query');
    expect(query.code).toBe(1);
    expect(dnf.parseInstalled(query.stdout)).toEqual(new Map([['pcdemo', '1.0-1']]));
  });

  it('reads install, upgrade with a dependency, downgrade and epoch rows; "Operation aborted." is on stderr', () => {
    expect(fixture('install').stderr).toBe('Operation aborted.\n');
    expect(parseDnfSimulation(fixture('install'))).toEqual(
      ok([{ name: 'pcdemo', action: 'install', to: '1.0-1' }]),
    );
    expect(parseDnfSimulation(fixture('upgrade'))).toEqual(
      ok([
        { name: 'pcdemo', action: 'upgrade', to: '1.0-2' },
        { name: 'pcdemo-lib', action: 'install', to: '2.0-1' },
      ]),
    );
    expect(parseDnfSimulation(fixture('downgrade'))).toEqual(
      ok([{ name: 'pcdemo', action: 'downgrade', to: '1.0-1' }]),
    );
    expect(parseDnfSimulation(fixture('epoch-install'))).toEqual(
      ok([{ name: 'pcdemo-epoch', action: 'install', to: '2:1.0-1' }]),
    );
    expect(parseDnfSimulation(fixture('epoch-upgrade'))).toEqual(
      ok([{ name: 'pcdemo-epoch', action: 'upgrade', to: '2:1.0-2' }]),
    );
    expect(parseDnfSimulation(fixture('already-installed'))).toEqual(ok([]));
    // An install-only package's newer version goes in beside the old one: dnf says Installing.
    expect(parseDnfSimulation(fixture('installonly'))).toEqual(
      ok([{ name: 'pcdemo-kernel', action: 'install', to: '1.0-2' }]),
    );
  });

  it('reads a name wider than the table: dnf 4.14 widens the table and wraps the header, not the row', () => {
    const name = 'pcdemo-with-a-name-so-long-that-the-transaction-table-cannot-fit-it-on-one-row';
    expect(parseDnfSimulation(fixture('long-name'))).toEqual(ok([{ name, action: 'install', to: '1.0-1' }]));
  });

  it('reads replacing lines as removals, also where dnf resolves a conflict through an obsoleting package', () => {
    expect(parseDnfSimulation(fixture('obsoletes')).changes).toEqual([
      { name: 'pcdemo-lib', action: 'install', to: '2.0-1' },
      { name: 'pcdemo-old', action: 'remove', from: '0.5-1' },
    ]);
    expect(parseDnfSimulation(fixture('conflict-obsoleted')).changes).toEqual([
      { name: 'pcdemo-lib', action: 'install', to: '2.0-1' },
      { name: 'pcdemo-old', action: 'remove', from: '0.5-1' },
      { name: 'pcdemo-tool', action: 'install', to: '1.0-1' },
    ]);
  });

  it('reads a missing version, an excluded one, a missing dependency and a conflict as errors', () => {
    expect(parseDnfSimulation(fixture('missing'))).toEqual({
      ok: false,
      changes: [],
      held: [],
      errors: ['Unable to find a match: pcdemo-9.9-1'],
    });
    expect(parseDnfSimulation(fixture('excluded'))).toEqual({
      ok: false,
      changes: [],
      held: ['pcdemo-epoch'],
      errors: ['Unable to find a match: pcdemo-epoch-2:1.0-2'],
    });
    expect(parseDnfSimulation(fixture('depsolve'))).toEqual({
      ok: false,
      changes: [],
      held: [],
      errors: [
        'Problem: conflicting requests',
        '- nothing provides pcdemo-missing needed by pcdemo-1.0-3.noarch',
      ],
    });
    const conflict = parseDnfSimulation(fixture('conflict'));
    expect(conflict.ok).toBe(false);
    expect(conflict.errors).toHaveLength(4);
    expect(conflict.errors[0]).toBe('Problem: problem with installed package pcdemo-epoch-2:1.0-1.noarch');
  });
});
