import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTinyRepo, statusStanza, type TinyRepo } from '../__tests__/tiny-deb.js';
import { summarizeDebianChangelog } from '../changelog.js';
import type { CommandResult } from '../contract.js';
import { evaluatePreflight } from '../preflight.js';
import { AptPackageManager } from './apt.js';

// Real apt-get and dpkg-query against a temp repository and a temp copy of the dpkg status file:
// apt reads and writes only the temp dirs its options name, so this host's packages never change.

const run = promisify(execFile);

async function exec(argv: readonly string[]): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await run(argv[0]!, argv.slice(1), {
      env: { PATH: process.env.PATH, LANG: 'C' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const ALLOW_NOTHING = { removals: false, downgrades: false, held: false };

describe('apt driver against real apt-get and dpkg-query', () => {
  let repo: TinyRepo;
  let apt: AptPackageManager;
  let pristineStatus: string;

  const setInstalled = (...stanzas: string[]) =>
    writeFileSync(repo.statusFile, `${pristineStatus}\n${stanzas.join('\n')}`);

  beforeAll(async () => {
    repo = makeTinyRepo([
      { name: 'pc-tiny', version: '1.0-1' },
      { name: 'pc-tiny', version: '2.0-1' },
      { name: 'pc-tiny', version: '3.0-1', control: ['Depends: pc-missing'] },
      { name: 'pc-tiny', version: '4.0-1', control: ['Conflicts: pc-other'] },
    ]);
    pristineStatus = readFileSync(repo.statusFile, 'utf8');
    apt = new AptPackageManager({ aptOptions: repo.aptOptions, dpkgAdminDir: dirname(repo.statusFile) });
    const update = await exec(apt.refresh());
    expect(update.code, update.stderr).toBe(0);
  });
  afterAll(() => repo?.remove());

  it('simulates a new install of 1.0-1 and the preflight passes', async () => {
    setInstalled();
    const sim = apt.parseSimulation(await exec(apt.simulate([{ name: 'pc-tiny', version: '1.0-1' }])));
    expect(sim).toEqual({
      ok: true,
      changes: [{ name: 'pc-tiny', action: 'install', to: '1.0-1' }],
      held: [],
      errors: [],
    });
    expect(evaluatePreflight(sim, [{ name: 'pc-tiny', version: '1.0-1' }], ALLOW_NOTHING).blockers).toEqual(
      [],
    );
  });

  it('reads the installed version with dpkg-query and simulates the upgrade 1.0-1 → 2.0-1', async () => {
    setInstalled(statusStanza('pc-tiny', '1.0-1'));
    const query = await exec(apt.queryInstalled(['pc-tiny', 'pc-not-known']));
    expect(query.code).toBe(1); // the unknown package; the known one is still printed
    expect(apt.parseInstalled(query.stdout)).toEqual(new Map([['pc-tiny', '1.0-1']]));
    const sim = apt.parseSimulation(await exec(apt.simulate([{ name: 'pc-tiny', version: '2.0-1' }])));
    expect(sim.changes).toEqual([{ name: 'pc-tiny', action: 'upgrade', from: '1.0-1', to: '2.0-1' }]);
    expect(sim.ok).toBe(true);
  });

  it('reports a version the repository does not have, and the preflight names it', async () => {
    setInstalled(statusStanza('pc-tiny', '1.0-1'));
    const sim = apt.parseSimulation(await exec(apt.simulate([{ name: 'pc-tiny', version: '9.9-1' }])));
    expect(sim.ok).toBe(false);
    expect(sim.errors).toContain("Version '9.9-1' for 'pc-tiny' was not found");
    const verdict = evaluatePreflight(sim, [{ name: 'pc-tiny', version: '9.9-1' }], ALLOW_NOTHING);
    expect(verdict.blockers).toEqual(['pc-tiny=9.9-1 not found']);
  });

  it('shows a downgrade 2.0-1 → 1.0-1, which the preflight blocks unless allowed', async () => {
    setInstalled(statusStanza('pc-tiny', '2.0-1'));
    const sim = apt.parseSimulation(await exec(apt.simulate([{ name: 'pc-tiny', version: '1.0-1' }])));
    expect(sim.changes).toEqual([{ name: 'pc-tiny', action: 'downgrade', from: '2.0-1', to: '1.0-1' }]);
    const target = [{ name: 'pc-tiny', version: '1.0-1' }];
    expect(evaluatePreflight(sim, target, ALLOW_NOTHING).blockers).toEqual([
      'downgrades pc-tiny 2.0-1 → 1.0-1',
    ]);
    expect(evaluatePreflight(sim, target, { ...ALLOW_NOTHING, downgrades: true }).ok).toBe(true);
  });

  it('names a held package', async () => {
    setInstalled(statusStanza('pc-tiny', '1.0-1', 'hold'));
    const sim = apt.parseSimulation(await exec(apt.simulate([{ name: 'pc-tiny', version: '2.0-1' }])));
    expect(sim.held).toEqual(['pc-tiny']);
    expect(evaluatePreflight(sim, [{ name: 'pc-tiny', version: '2.0-1' }], ALLOW_NOTHING).blockers).toEqual([
      'holds pc-tiny',
    ]);
  });

  it('shows the removal a conflict causes', async () => {
    setInstalled(statusStanza('pc-tiny', '2.0-1'), statusStanza('pc-other', '0.5-1'));
    const sim = apt.parseSimulation(await exec(apt.simulate([{ name: 'pc-tiny', version: '4.0-1' }])));
    expect(sim.changes).toEqual([
      { name: 'pc-other', action: 'remove', from: '0.5-1' },
      { name: 'pc-tiny', action: 'upgrade', from: '2.0-1', to: '4.0-1' },
    ]);
    expect(evaluatePreflight(sim, [{ name: 'pc-tiny', version: '4.0-1' }], ALLOW_NOTHING).blockers).toEqual([
      'removes pc-other 0.5-1',
    ]);
  });

  it('reports unmet dependencies as resolver errors', async () => {
    setInstalled(statusStanza('pc-tiny', '2.0-1'));
    const sim = apt.parseSimulation(await exec(apt.simulate([{ name: 'pc-tiny', version: '3.0-1' }])));
    expect(sim.ok).toBe(false);
    expect(sim.errors).toEqual([
      'unmet dependencies: pc-tiny : Depends: pc-missing but it is not installable',
      'Unable to correct problems, you have held broken packages.',
    ]);
  });

  it('leaves a target that is already installed unblocked when the installed versions are given', async () => {
    setInstalled(statusStanza('pc-tiny', '2.0-1'));
    const result = await exec(apt.simulate([{ name: 'pc-tiny', version: '2.0-1' }]));
    expect(result.stdout).toContain('pc-tiny is already the newest version (2.0-1).');
    const sim = apt.parseSimulation(result);
    const target = [{ name: 'pc-tiny', version: '2.0-1' }];
    expect(evaluatePreflight(sim, target, ALLOW_NOTHING, new Map([['pc-tiny', '2.0-1']])).ok).toBe(true);
    expect(evaluatePreflight(sim, target, ALLOW_NOTHING).blockers).toEqual([
      'pc-tiny=2.0-1 not reached: the simulation does not change it',
    ]);
  });

  it('builds install commands apt accepts; a held package needs allowHeld (run with -s: nothing installs)', async () => {
    setInstalled(statusStanza('pc-tiny', '2.0-1', 'hold'));
    const asSimulation = (argv: string[]) => [argv[0]!, '-s', ...argv.slice(1)];
    const target = [{ name: 'pc-tiny', version: '1.0-1' }];
    const refused = await exec(asSimulation(apt.install(target, { allowDowngrades: true })));
    expect(refused.code).toBe(100);
    expect(refused.stderr).toContain(
      'E: Held packages were changed and -y was used without --allow-change-held-packages.',
    );
    const accepted = await exec(
      asSimulation(apt.install(target, { allowDowngrades: true, allowHeld: true })),
    );
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(apt.parseSimulation(accepted).changes).toEqual([
      { name: 'pc-tiny', action: 'downgrade', from: '2.0-1', to: '1.0-1' },
    ]);
  });

  // Read-only on this host: dpkg-query and zcat on its own dpkg database and documentation.
  it("reads this host's changelogs of a native (dpkg) and a non-native (bash) package and summarises them", async () => {
    const host = new AptPackageManager();
    const installed = host.parseInstalled((await exec(host.queryInstalled(['dpkg', 'bash']))).stdout);
    for (const name of ['dpkg', 'bash']) {
      const changelog = await exec(host.changelog(name));
      expect(changelog.code, changelog.stderr).toBe(0);
      const summary = summarizeDebianChangelog(changelog.stdout, undefined, installed.get(name)!);
      expect(summary.entries[0]?.version, name).toBe(installed.get(name));
    }
    expect(await exec(host.changelog('pc-not-installed'))).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no changelog'),
    });
  });
});

describe("a target's changelog, read from its .deb with real apt-get download and dpkg-deb", () => {
  let repo: TinyRepo;
  let apt: AptPackageManager;
  const entry = (version: string, text: string) =>
    `pc-doc (${version}) unstable; urgency=low\n\n  * ${text}\n\n -- T <t@example.invalid>  Mon, 05 Jan 2026 10:00:00 +0000\n`;

  beforeAll(async () => {
    repo = makeTinyRepo([
      {
        name: 'pc-doc',
        version: '1.0-1+b1',
        docs: {
          'changelog.Debian.gz': entry('1.0-1', 'Source upload.'),
          'changelog.Debian.amd64.gz': entry('1.0-1+b1', 'Binary-only rebuild.'),
          'changelog.gz': 'upstream notes, not Debian syntax\n',
        },
      },
      { name: 'pc-doc', version: '2.0', docs: { 'changelog.gz': entry('2.0', 'Native package.') } },
      { name: 'pc-doc', version: '3.0-1' },
    ]);
    apt = new AptPackageManager({ aptOptions: repo.aptOptions });
    const update = await exec(apt.refresh());
    expect(update.code, update.stderr).toBe(0);
  });
  afterAll(() => repo?.remove());

  it('prints the binary-only entry first, then the source changelog, and not the upstream one', async () => {
    const result = await exec(apt.targetChangelog({ name: 'pc-doc', version: '1.0-1+b1' }));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(entry('1.0-1+b1', 'Binary-only rebuild.') + entry('1.0-1', 'Source upload.'));
  });

  it("prints a native package's changelog.gz, and says when there is none", async () => {
    const native = await exec(apt.targetChangelog({ name: 'pc-doc', version: '2.0' }));
    expect(native).toMatchObject({ code: 0, stdout: entry('2.0', 'Native package.') });
    const none = await exec(apt.targetChangelog({ name: 'pc-doc', version: '3.0-1' }));
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('no changelog in ./usr/share/doc/pc-doc of pc-doc 3.0-1');
  });
});
