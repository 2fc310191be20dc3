import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One version of a throw-away noarch rpm; `tags` adds spec lines such as `Requires: x` or `Obsoletes: y`. */
export interface TinyRpm {
  name: string;
  /** `version-release`, e.g. `1.0-2`. */
  version: string;
  tags?: string[];
}

/**
 * A yum repository of tiny rpms in a temp dir, an empty install root beside it, and the options that
 * keep dnf and rpm inside them. Nothing on the host changes:
 * - dnf gets `--installroot` (its logs, history and rpm database land under the root), a metadata
 *   cache in the temp dir, its own config file and repo dir, and only the `pcdemo` repository;
 * - `env.HOME` points at a temp home whose `.rpmmacros` sets `%_dbpath /var/lib/rpm`. Debian's rpm
 *   otherwise keeps its database in `~/.rpmdb` (it is not the system's package manager there), which
 *   would put the root's database at `ROOT/root/.rpmdb`; a Fedora or RHEL host has it in /var/lib/rpm,
 *   and so does this root. rpmbuild runs with a home of its own, since it opens a database too.
 * Run every command with `env`; the driver takes `dnfOptions` and `rpmRoot`.
 */
export interface TinyRpmRepo {
  dir: string;
  /** The install root: empty until dnf installs into it. */
  root: string;
  dnfOptions: string[];
  env: Record<string, string>;
  remove(): void;
}

export const TINY_RPM_REPO_ID = 'pcdemo';

export function makeTinyRpmRepo(rpms: readonly TinyRpm[]): TinyRpmRepo {
  const dir = mkdtempSync(join(tmpdir(), 'patchcast-tiny-rpm-'));
  const [repo, root, repos, home, buildHome, top] = [
    'repo',
    'root',
    'repos.d',
    'home',
    'build-home',
    'top',
  ].map((sub) => join(dir, sub)) as [string, string, string, string, string, string];
  for (const d of [repo, root, repos, home, buildHome, join(top, 'SPECS')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(home, '.rpmmacros'), '%_dbpath /var/lib/rpm\n');
  const buildEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', HOME: buildHome };
  for (const rpm of rpms) {
    const spec = join(top, 'SPECS', `${rpm.name}-${rpm.version}.spec`);
    writeFileSync(spec, specText(rpm));
    execFileSync('rpmbuild', ['--define', `_topdir ${top}`, '-bb', spec], {
      env: buildEnv,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }
  const built = join(top, 'RPMS', 'noarch');
  for (const file of readdirSync(built)) copyFileSync(join(built, file), join(repo, file));
  execFileSync('createrepo_c', ['-q', repo], { env: buildEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  writeFileSync(
    join(repos, `${TINY_RPM_REPO_ID}.repo`),
    `[${TINY_RPM_REPO_ID}]\nname=patchcast test packages\nbaseurl=file://${repo}\ngpgcheck=0\nenabled=1\n`,
  );
  const config = join(dir, 'dnf.conf');
  writeFileSync(config, '[main]\ngpgcheck=0\ninstallonly_limit=3\n');
  const dnfOptions = [
    `--installroot=${root}`,
    `--config=${config}`,
    `--setopt=reposdir=${repos}`,
    // Run as root, dnf keeps repository metadata in system_cachedir, which --installroot does not
    // move (the host's /var/cache/dnf otherwise): both point into the temp dir.
    `--setopt=cachedir=${join(dir, 'cache')}`,
    `--setopt=system_cachedir=${join(dir, 'cache')}`,
    // dnf would read the release from the root's system-release package, which an empty root lacks.
    '--releasever=1',
    '--nogpgcheck',
    '--disablerepo=*',
    `--enablerepo=${TINY_RPM_REPO_ID}`,
  ];
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', HOME: home };
  return { dir, root, dnfOptions, env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Whether rpmbuild, createrepo_c, dnf and rpm are on PATH (the reason to skip when not). */
export function missingRpmTools(): string[] {
  return ['rpmbuild', 'createrepo_c', 'dnf', 'rpm'].filter((tool) => {
    try {
      execFileSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
}

// No scriptlets: rpm would require /bin/sh for them, which an empty root does not have. AutoReqProv
// off keeps rpmbuild from adding any other automatic dependency.
function specText(rpm: TinyRpm): string {
  const [version, release] = rpm.version.split('-');
  return [
    `Name: ${rpm.name}`,
    `Version: ${version}`,
    `Release: ${release ?? '1'}`,
    'Summary: throw-away package for patchcast tests',
    'License: MIT',
    'BuildArch: noarch',
    'AutoReqProv: no',
    ...(rpm.tags ?? []),
    '%description',
    'A throw-away package for patchcast tests.',
    '%install',
    `mkdir -p %{buildroot}/usr/share/${rpm.name}`,
    // One file per version, so that two versions of an install-only package can sit side by side.
    `echo ${rpm.version} > %{buildroot}/usr/share/${rpm.name}/${rpm.version}`,
    '%files',
    `/usr/share/${rpm.name}/${rpm.version}`,
    '',
  ].join('\n');
}
