import { dpkgScheme } from '../../versioning/dpkg/index.js';
import type { CommandResult, PackageChange, PackageManager, PackageTarget, Simulation } from '../contract.js';
import { assertPackageName, assertVersion, classifyChange, outputLines, targetArgs } from './shared.js';

export interface AptOptions {
  /**
   * Extra options put right after `apt-get` in every apt command, e.g. `-o Dir::Etc::sourcelist=…
   * -o Dir::Etc::sourceparts=-` to restrict a refresh to one list (tests point apt at temp dirs this way).
   */
  aptOptions?: readonly string[];
  /** `dpkg-query --admindir`, for a status database other than /var/lib/dpkg (tests only). */
  dpkgAdminDir?: string;
}

// dpkg-query prints one line per package: name, version, and the status word of `db:Status-Status`.
// Only `installed` is really installed; `config-files`, `half-installed`, `unpacked`… are not.
// biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own ${field} syntax, not a template
const QUERY_FORMAT = '${Package}\\t${Version}\\t${db:Status-Status}\\n';

// `Inst name [old] (new release [arch])`; the old version is absent for a new install.
const INST = /^Inst (\S+)(?: \[([^\]]*)\])? \((\S+)/;
// `Remv name [old]` (and `Purg` for --purge).
const REMV = /^(?:Remv|Purg) (\S+)(?: \[([^\]]*)\])?/;

// $1 package, $2 version, $3 its /usr/share/doc directory name, the rest apt options. apt's
// download runs as the _apt user when it can, hence the readable temp dir; its chatter goes to
// stderr so that stdout is the changelog alone.
const TARGET_CHANGELOG_SCRIPT = [
  'set -e',
  'pkg=$1; ver=$2; doc=$3; shift 3',
  'd=$(mktemp -d); trap \'rm -rf -- "$d"\' EXIT; chmod 755 "$d"; cd "$d"',
  'apt-get "$@" download -- "$pkg=$ver" >&2',
  'for f in ./*.deb; do dpkg-deb --fsys-tarfile "$f" > files.tar; done',
  'tar -tf files.tar > members',
  // Member names are matched literally ("$p" is quoted inside the patterns) and never globbed.
  'set -f; p="./usr/share/doc/$doc"; arch=; main=; native=',
  'while IFS= read -r m; do case "$m" in',
  '  "$p/changelog.Debian.gz") main=$m ;;',
  '  "$p/changelog.Debian."*.gz) arch="$arch $m" ;;',
  '  "$p/changelog.gz") native=$m ;;',
  'esac; done < members',
  'list="$arch $main"; [ -n "$arch$main" ] || list=$native',
  'if [ -z "$list" ]; then echo "no changelog in $p of $pkg $ver" >&2; exit 3; fi',
  'for m in $list; do tar -xOf files.tar "$m" | gunzip -c; done',
].join('\n');

/**
 * apt/dpkg (Debian, Ubuntu). Commands expect `DEBIAN_FRONTEND=noninteractive` in the environment
 * (the executor's minimal environment sets it), so that no debconf question waits for a terminal.
 */
export class AptPackageManager implements PackageManager {
  readonly name = 'apt' as const;
  readonly #options: readonly string[];
  readonly #adminDir: string | undefined;

  constructor(options: AptOptions = {}) {
    this.#options = [...(options.aptOptions ?? [])];
    this.#adminDir = options.dpkgAdminDir;
  }

  refresh(): string[] {
    return ['apt-get', ...this.#options, 'update'];
  }

  queryInstalled(names: readonly string[]): string[] {
    const admin = this.#adminDir === undefined ? [] : [`--admindir=${this.#adminDir}`];
    return ['dpkg-query', ...admin, '-W', `-f=${QUERY_FORMAT}`, '--', ...names.map(assertPackageName)];
  }

  /** A package dpkg does not know makes dpkg-query exit 1 after printing the others; those still count. */
  parseInstalled(stdout: string): Map<string, string> {
    const installed = new Map<string, string>();
    for (const line of stdout.split('\n')) {
      const [name, version, status] = line.split('\t');
      if (name && version && status?.trim() === 'installed') installed.set(name, version);
    }
    return installed;
  }

  /**
   * The simulation allows downgrades and held packages so that it shows the whole transaction; the
   * preflight then decides from the job's `allow`. Without those flags `-y` makes apt stop before
   * printing any `Inst` line ("Packages were downgraded and -y was used without --allow-downgrades").
   */
  simulate(targets: readonly PackageTarget[]): string[] {
    return [
      'apt-get',
      ...this.#options,
      '-s',
      '-y',
      '-o',
      'Debug::NoLocking=1',
      '--allow-downgrades',
      '--allow-change-held-packages',
      'install',
      ...targetArgs(targets, (n, v) => `${n}=${v}`),
    ];
  }

  parseSimulation(result: CommandResult): Simulation {
    return parseAptSimulation(result);
  }

  /** Keeps the admin's changed configuration files (`--force-confold`) and takes the default for the rest. */
  install(
    targets: readonly PackageTarget[],
    options: { allowDowngrades?: boolean; allowHeld?: boolean } = {},
  ): string[] {
    return [
      'apt-get',
      ...this.#options,
      'install',
      '-y',
      '-o',
      'Dpkg::Options::=--force-confdef',
      '-o',
      'Dpkg::Options::=--force-confold',
      ...(options.allowDowngrades ? ['--allow-downgrades'] : []),
      ...(options.allowHeld ? ['--allow-change-held-packages'] : []),
      ...targetArgs(targets, (n, v) => `${n}=${v}`),
    ];
  }

  /**
   * Prints the installed package's Debian changelog. `apt-get changelog` would fetch it from the
   * distribution's servers, which a host in a closed network cannot reach; the copy dpkg installed is
   * on disk (Debian Policy §12.7). It is gzip, which `Executor.readFile` (text) cannot carry, hence
   * `zcat` in a constant script with the directory as `$1`. A binary-only upload (`+b8`) has its entry
   * in `changelog.Debian.<arch>.gz`, printed first since it is the newest; a native package (dpkg
   * itself) has only `changelog.gz`, which in any other package is the upstream changelog.
   */
  changelog(name: string): string[] {
    const script = [
      'set -e; found=',
      'for f in "$1"/changelog.Debian.*.gz "$1/changelog.Debian.gz"; do if [ -e "$f" ]; then zcat -- "$f"; found=1; fi; done',
      'if [ -z "$found" ] && [ -e "$1/changelog.gz" ]; then exec zcat -- "$1/changelog.gz"; fi',
      'if [ -z "$found" ]; then echo "no changelog in $1" >&2; exit 1; fi',
    ].join('\n');
    return ['sh', '-c', script, 'sh', this.docDir(name)];
  }

  /**
   * Prints the Debian changelog shipped in the target's .deb, without installing it: `apt-get
   * download` into a temp dir, the changelog members read out of `dpkg-deb --fsys-tarfile` in the
   * order `changelog()` uses, gunzipped. A constant script; the package, version, doc dir name and
   * apt options arrive as positional arguments. The temp dir is removed on every exit.
   */
  targetChangelog(target: PackageTarget): string[] {
    const name = assertPackageName(target.name);
    const version = assertVersion(name, target.version);
    const doc = this.docDir(name).slice('/usr/share/doc/'.length);
    return ['sh', '-c', TARGET_CHANGELOG_SCRIPT, 'sh', name, version, doc, ...this.#options];
  }

  /** Where dpkg installs a non-native package's Debian changelog (Debian Policy §12.7), gzip-compressed. */
  changelogPath(name: string): string {
    return `${this.docDir(name)}/changelog.Debian.gz`;
  }

  /** `/usr/share/doc/<package>`, without an architecture qualifier. */
  docDir(name: string): string {
    const bare = assertPackageName(name).split(':')[0] ?? name;
    return `/usr/share/doc/${bare}`;
  }
}

/** Parses `apt-get -s install` output (both streams): changes, held packages and errors. */
export function parseAptSimulation(result: CommandResult): Simulation {
  const changes: PackageChange[] = [];
  const held: string[] = [];
  const errors: string[] = [];
  let section: 'held' | 'unmet' | undefined;
  for (const line of outputLines(result.stdout, result.stderr)) {
    const inst = INST.exec(line);
    const remv = REMV.exec(line);
    if (inst) changes.push(instChange(inst[1]!, inst[2], inst[3]!));
    else if (remv) changes.push({ name: remv[1]!, action: 'remove', ...(remv[2] ? { from: remv[2] } : {}) });
    else if (line.startsWith('E: ')) errors.push(line.slice(3));
    if (/^The following (held packages will be changed|packages have been kept back):$/.test(line)) {
      section = 'held';
      continue;
    }
    if (line === 'The following packages have unmet dependencies:') {
      section = 'unmet';
      continue;
    }
    if (section && line.startsWith(' ')) {
      if (section === 'held') held.push(...line.trim().split(/\s+/));
      else errors.push(`unmet dependencies: ${line.trim()}`);
      continue;
    }
    section = undefined;
  }
  const ok = result.code === 0 && errors.length === 0;
  return { ok, changes, held: [...new Set(held)], errors };
}

function instChange(name: string, from: string | undefined, to: string): PackageChange {
  const action = classifyChange(from || undefined, to, dpkgScheme.compare);
  return { name, action, ...(from ? { from } : {}), to };
}
