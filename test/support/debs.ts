import { execFile } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const run = promisify(execFile);

/** A throw-away package's versions and what each one is for in the rollout tests. */
export const PCDEMO = {
  name: 'pcdemo',
  /** The version a host starts at. */
  base: '1.0-1',
  /** The fix: installs cleanly, health `ok`. */
  fix: '1.0-2',
  /** Its postinst exits 1: dpkg leaves the package half-configured. */
  failingPostinst: '1.0-3',
  /** Installs cleanly but writes `broken` into /usr/share/pcdemo/health: only a probe notices. */
  brokenHealth: '1.0-4',
} as const;

export const PCDEMO_LIB = { name: 'pcdemo-lib', base: '1.0-1', fix: '1.0-2' } as const;

/** Where the health probe reads; `ok` or `broken`. */
export const PCDEMO_HEALTH_FILE = '/usr/share/pcdemo/health';

export interface DemoRepo {
  /** The directory holding the .deb files and the `Packages` index (a flat apt repository). */
  dir: string;
  /** Name → version → path of the .deb. */
  debs: Record<string, Record<string, string>>;
}

/**
 * Each version's Debian changelog entry (deb-changelog(5)), newest last here; a package ships the
 * entries up to its own version, newest first, as /usr/share/doc/PKG/changelog.Debian.gz.
 */
const CHANGELOG: Record<
  string,
  Array<{ version: string; urgency: string; lines: string[]; date: string }>
> = {
  [PCDEMO.name]: [
    {
      version: PCDEMO.base,
      urgency: 'low',
      lines: ['Initial release.'],
      date: 'Mon, 05 Jan 2026 10:00:00 +0000',
    },
    {
      version: PCDEMO.fix,
      urgency: 'high',
      lines: ['Fix CVE-2026-0001: out-of-bounds read in the health parser.'],
      date: 'Tue, 03 Feb 2026 10:00:00 +0000',
    },
    {
      version: PCDEMO.failingPostinst,
      urgency: 'low',
      lines: ['Check the health file in postinst.'],
      date: 'Wed, 04 Mar 2026 10:00:00 +0000',
    },
    {
      version: PCDEMO.brokenHealth,
      urgency: 'medium',
      lines: ['New upstream release.', 'Rework the health file format.'],
      date: 'Thu, 02 Apr 2026 10:00:00 +0000',
    },
  ],
  [PCDEMO_LIB.name]: [
    {
      version: PCDEMO_LIB.base,
      urgency: 'low',
      lines: ['Initial release.'],
      date: 'Mon, 05 Jan 2026 10:00:00 +0000',
    },
    {
      version: PCDEMO_LIB.fix,
      urgency: 'medium',
      lines: ['Fix CVE-2026-0002.'],
      date: 'Tue, 03 Feb 2026 10:00:00 +0000',
    },
  ],
};

/** The changelog a package version ships: its own entry and the earlier ones, newest first. */
export function getDemoChangelog(name: string, version: string): string {
  const all = CHANGELOG[name] ?? [];
  const upTo = all.slice(0, all.findIndex((e) => e.version === version) + 1).reverse();
  return upTo
    .map((e) =>
      [
        `${name} (${e.version}) unstable; urgency=${e.urgency}`,
        '',
        ...e.lines.map((line) => `  * ${line}`),
        '',
        ` -- patchcast tests <tests@patchcast.invalid>  ${e.date}`,
        '',
      ].join('\n'),
    )
    .join('\n');
}

interface DemoPackage {
  name: string;
  version: string;
  files: Record<string, string>;
  postinst?: string;
}

const PACKAGES: DemoPackage[] = [
  ...[PCDEMO.base, PCDEMO.fix, PCDEMO.failingPostinst].map((version) => ({
    name: PCDEMO.name,
    version,
    files: { [PCDEMO_HEALTH_FILE]: 'ok\n', '/usr/share/pcdemo/version': `${version}\n` },
    ...(version === PCDEMO.failingPostinst
      ? { postinst: '#!/bin/sh\necho "pcdemo: postinst fails on purpose" >&2\nexit 1\n' }
      : {}),
  })),
  {
    name: PCDEMO.name,
    version: PCDEMO.brokenHealth,
    files: { [PCDEMO_HEALTH_FILE]: 'broken\n', '/usr/share/pcdemo/version': `${PCDEMO.brokenHealth}\n` },
  },
  ...[PCDEMO_LIB.base, PCDEMO_LIB.fix].map((version) => ({
    name: PCDEMO_LIB.name,
    version,
    files: { '/usr/share/pcdemo-lib/version': `${version}\n` },
  })),
];

/**
 * Builds real .deb files of `pcdemo` (1.0-1 … 1.0-4) and `pcdemo-lib` (1.0-1, 1.0-2) with dpkg-deb,
 * each shipping its Debian changelog (see CHANGELOG), and indexes them as a flat repository
 * (`deb [trusted=yes] file:DIR ./`). `-m` keeps every version in `Packages`; without it apt can
 * install only the newest.
 */
export async function buildDemoDebs(dir: string): Promise<DemoRepo> {
  await mkdir(dir, { recursive: true });
  const debs: Record<string, Record<string, string>> = {};
  for (const pkg of PACKAGES) {
    const deb = await buildDeb(dir, pkg);
    debs[pkg.name] = { ...debs[pkg.name], [pkg.version]: deb };
  }
  const { stdout } = await run('dpkg-scanpackages', ['-m', '.', '/dev/null'], {
    cwd: dir,
    maxBuffer: 16 << 20,
  });
  await writeFile(join(dir, 'Packages'), stdout);
  return { dir, debs };
}

async function buildDeb(dir: string, pkg: DemoPackage): Promise<string> {
  const root = join(dir, 'build', `${pkg.name}_${pkg.version}`);
  await mkdir(join(root, 'DEBIAN'), { recursive: true });
  await writeFile(
    join(root, 'DEBIAN', 'control'),
    [
      `Package: ${pkg.name}`,
      `Version: ${pkg.version}`,
      'Architecture: all',
      'Maintainer: patchcast tests <tests@patchcast.invalid>',
      'Section: misc',
      'Priority: optional',
      `Description: patchcast rollout test package ${pkg.name}`,
      ' Throw-away package built by the rollout tests; installed only inside test hosts.',
      '',
    ].join('\n'),
  );
  if (pkg.postinst !== undefined) {
    await writeFile(join(root, 'DEBIAN', 'postinst'), pkg.postinst);
    await chmod(join(root, 'DEBIAN', 'postinst'), 0o755);
  }
  for (const [path, text] of Object.entries(pkg.files)) {
    const target = join(root, path);
    await mkdir(join(target, '..'), { recursive: true });
    await writeFile(target, text);
  }
  // Debian Policy §12.7: the Debian changelog, gzip-compressed; Node's gzip keeps no name or time, like dh_compress's `gzip -n`.
  const doc = join(root, 'usr', 'share', 'doc', pkg.name);
  await mkdir(doc, { recursive: true });
  await writeFile(
    join(doc, 'changelog.Debian.gz'),
    gzipSync(getDemoChangelog(pkg.name, pkg.version), { level: 9 }),
  );
  const deb = join(dir, `${pkg.name}_${pkg.version}_all.deb`);
  await run('dpkg-deb', ['--root-owner-group', '-b', root, deb]);
  return deb;
}
