import { execFile } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

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
 * and indexes them as a flat repository (`deb [trusted=yes] file:DIR ./`). `-m` keeps every version
 * in `Packages`; without it apt can install only the newest.
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
  const deb = join(dir, `${pkg.name}_${pkg.version}_all.deb`);
  await run('dpkg-deb', ['--root-owner-group', '-b', root, deb]);
  return deb;
}
