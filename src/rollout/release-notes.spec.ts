import { describe, expect, it } from 'vitest';
import { FakeHost, fakeManager } from '../../test/support/fake-host.js';
import type { CommandResult } from './contract.js';
import { makeDryRunExecutor } from './executors/dry-run.js';
import { AptPackageManager } from './package-managers/apt.js';
import { describeReleaseNotes, fetchReleaseNotes, summarizeNotes } from './release-notes.js';

// A trimmed real entry layout (deb-changelog(5)), openssl's bookworm-security uploads.
const CHANGELOG = `openssl (3.0.15-1~deb12u1) bookworm-security; urgency=medium

  * Import 3.0.15
    - CVE-2024-5535 (Low)
    - CVE-2024-6119 (Moderate)

 -- Sebastian Andrzej Siewior <sebastian@breakpoint.cc>  Sun, 08 Sep 2024 20:20:51 +0200

openssl (3.0.14-1~deb12u2) bookworm-security; urgency=high

  * Fix a regression in the previous update (Closes: #1078021).

 -- Sebastian Andrzej Siewior <sebastian@breakpoint.cc>  Wed, 07 Aug 2024 22:39:11 +0200

openssl (3.0.13-1~deb12u1) bookworm; urgency=medium

  * Import 3.0.13

 -- Sebastian Andrzej Siewior <sebastian@breakpoint.cc>  Sun, 04 Feb 2024 20:08:55 +0100
`;

describe('release notes', () => {
  it('builds a constant script that takes package, version, doc dir and apt options as arguments', () => {
    const apt = new AptPackageManager({ aptOptions: ['-o', 'Dir::Etc::sourcelist=/x.list'] });
    const argv = apt.targetChangelog({ name: 'libssl3:amd64', version: '3.0.15-1~deb12u1' });
    expect(argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(argv.slice(3)).toEqual([
      'sh',
      'libssl3:amd64',
      '3.0.15-1~deb12u1',
      'libssl3',
      '-o',
      'Dir::Etc::sourcelist=/x.list',
    ]);
    // Nothing of the package reaches the script's text.
    expect(argv[2]).not.toContain('libssl3');
    expect(argv[2]).toContain('apt-get "$@" download -- "$pkg=$ver"');
    expect(() => apt.targetChangelog({ name: '-oAPT::x=1', version: '1' })).toThrow(
      'not a valid package name',
    );
    expect(() => apt.targetChangelog({ name: 'x', version: '1; rm -rf /' })).toThrow();
  });

  it('summarizes the entries after the installed version up to the target', () => {
    expect(summarizeNotes(CHANGELOG, '3.0.13-1~deb12u1', '3.0.15-1~deb12u1')).toEqual({
      maxUrgency: 'high',
      cves: ['CVE-2024-5535', 'CVE-2024-6119'],
      upstreamChanged: true,
      backport: true,
      entries: 2,
      mentionsRegression: true,
      firstLine: 'Import 3.0.15',
    });
    const one = summarizeNotes(CHANGELOG, '3.0.14-1~deb12u2', '3.0.15-1~deb12u1');
    expect(one).toMatchObject({ entries: 1, maxUrgency: 'medium', mentionsRegression: false });
  });

  it('runs the fetch per target on the host and records a failure without throwing', async () => {
    const host = new FakeHost({ openssl: '3.0.13-1~deb12u1' });
    const manager = {
      ...fakeManager,
      targetChangelog: (t: { name: string; version: string }) => ['notes', t.name, t.version],
    };
    const answer = (result: CommandResult) => ({
      match: (argv: readonly string[]) => argv[1] === 'openssl',
      result,
    });
    host.scripted.push(answer({ code: 0, stdout: CHANGELOG, stderr: '' }));
    host.scripted.push({
      match: (argv) => argv[1] === 'libfoo1',
      result: {
        code: 100,
        stdout: '',
        stderr: "Reading package lists...\nE: Version '2' for 'libfoo1' was not found\n",
      },
    });
    const targets = [
      { name: 'openssl', version: '3.0.15-1~deb12u1' },
      { name: 'libfoo1', version: '2' },
    ];
    const notes = await fetchReleaseNotes(
      { executor: host, manager },
      targets,
      new Map([['openssl', '3.0.14-1~deb12u2']]),
    );
    expect(host.calls).toEqual([
      ['notes', 'openssl', '3.0.15-1~deb12u1'],
      ['notes', 'libfoo1', '2'],
    ]);
    expect(notes?.openssl).toMatchObject({ entries: 1, cves: ['CVE-2024-5535', 'CVE-2024-6119'] });
    expect(notes?.libfoo1).toEqual({ error: "exit 100: E: Version '2' for 'libfoo1' was not found" });
    expect(describeReleaseNotes(notes ?? {}, targets)).toBe(
      [
        'release notes openssl 3.0.15-1~deb12u1: 1 entry, urgency medium, CVE-2024-5535 CVE-2024-6119, new upstream version, stable/security update — "Import 3.0.15"',
        "release notes libfoo1 2: not fetched (exit 100: E: Version '2' for 'libfoo1' was not found)",
      ].join('\n'),
    );
  });

  it('fetches nothing when the manager cannot, nor on a dry run', async () => {
    const dry = makeDryRunExecutor();
    const apt = new AptPackageManager();
    expect(
      await fetchReleaseNotes({ executor: dry, manager: apt }, [{ name: 'x', version: '1' }], new Map()),
    ).toBeUndefined();
    expect(dry.calls).toEqual([]);
    const host = new FakeHost({});
    expect(
      await fetchReleaseNotes(
        { executor: host, manager: fakeManager },
        [{ name: 'x', version: '1' }],
        new Map(),
      ),
    ).toBeUndefined();
    expect(host.calls).toEqual([]);
  });
});
