/**
 * `/etc/os-release` (systemd os-release(5)) → the OSV ecosystem of the OS packages, with release:
 * `Debian:12`, `Ubuntu:22.04:LTS`, `Alpine:v3.20`, `Red Hat:enterprise_linux:9`, `AlmaLinux:9`, `openSUSE:Leap 15.5`.
 * OSV spells releases per distribution; the rules below follow its ecosystem list.
 */

/** What patchcast keeps of an os-release file. */
export interface OsRelease {
  /** `ID`, lower case (`debian`, `ubuntu`, `alpine`, `rhel`…). */
  id: string;
  versionId?: string;
  prettyName?: string;
  /** OSV ecosystem with release; undefined for a distribution OSV does not cover. */
  osEcosystem?: string;
}

const DEBIAN_CODENAMES: Readonly<Record<string, string>> = {
  wheezy: '7',
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
};

const UBUNTU_CODENAMES: Readonly<Record<string, string>> = {
  trusty: '14.04',
  xenial: '16.04',
  artful: '17.10',
  bionic: '18.04',
  cosmic: '18.10',
  disco: '19.04',
  eoan: '19.10',
  focal: '20.04',
  groovy: '20.10',
  hirsute: '21.04',
  impish: '21.10',
  jammy: '22.04',
  kinetic: '22.10',
  lunar: '23.04',
  mantic: '23.10',
  noble: '24.04',
  oracular: '24.10',
  plucky: '25.04',
  questing: '25.10',
};

/**
 * Parses os-release text into its fields. Values may be quoted with `"` or `'` and use shell escapes
 * (os-release(5)); comments and blank lines are skipped. Throws a plain Error naming the line on a
 * malformed assignment or an unterminated quote; callers wrap it with the file name.
 */
export function parseOsReleaseText(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) throw new Error(`line ${index + 1}: expected KEY=value`);
    fields[match[1] as string] = unquote(match[2] as string, index + 1);
  }
  return fields;
}

function unquote(value: string, line: number): string {
  const quote = value[0];
  if (quote !== '"' && quote !== "'") return value;
  if (value.length < 2 || value[value.length - 1] !== quote)
    throw new Error(`line ${line}: unterminated quote`);
  const inner = value.slice(1, -1);
  return quote === '"' ? inner.replace(/\\(["\\`$])/g, '$1') : inner;
}

function majorOf(version: string | undefined): string | undefined {
  return version ? /^(\d+)/.exec(version)?.[1] : undefined;
}

function majorMinorOf(version: string | undefined): string | undefined {
  return version ? /^(\d+\.\d+)/.exec(version)?.[1] : undefined;
}

function ubuntuEcosystem(fields: Record<string, string>): string {
  const codename = (fields.VERSION_CODENAME ?? fields.UBUNTU_CODENAME ?? '').toLowerCase();
  const version = majorMinorOf(fields.VERSION_ID) ?? UBUNTU_CODENAMES[codename];
  if (!version) return 'Ubuntu';
  // OSV suffixes LTS releases; without a VERSION line, LTS is every even year's April release.
  const lts = fields.VERSION ? /\bLTS\b/.test(fields.VERSION) : /^\d*[02468]\.04$/.test(version);
  return lts ? `Ubuntu:${version}:LTS` : `Ubuntu:${version}`;
}

function debianEcosystem(fields: Record<string, string>): string {
  const codename = (fields.VERSION_CODENAME ?? '').toLowerCase();
  const major = majorOf(fields.VERSION_ID) ?? DEBIAN_CODENAMES[codename];
  return major ? `Debian:${major}` : 'Debian';
}

function withRelease(base: string, release: string | undefined): string {
  return release ? `${base}:${release}` : base;
}

function suseEcosystem(version: string | undefined): string {
  const match = version ? /^(\d+)(?:\.(\d+))?/.exec(version) : null;
  if (!match) return 'SUSE';
  const sp = match[2] && match[2] !== '0' ? ` SP${match[2]}` : '';
  return `SUSE:Linux Enterprise Server ${match[1]}${sp}`;
}

/** The OSV ecosystem for os-release fields, or undefined for a distribution OSV does not cover. */
export function getOsEcosystem(fields: Record<string, string>): string | undefined {
  const id = (fields.ID ?? '').toLowerCase();
  const version = fields.VERSION_ID;
  switch (id) {
    case 'debian':
      return debianEcosystem(fields);
    case 'ubuntu':
      return ubuntuEcosystem(fields);
    case 'alpine': {
      const release = majorMinorOf(version);
      return withRelease('Alpine', release ? `v${release}` : undefined);
    }
    // OSV's Red Hat ecosystem names CPE product streams (`Red Hat:enterprise_linux:9::baseos`); the
    // major release is their prefix, which the matcher compares, so RHEL 9 never meets a RHEL 8 stream.
    // CentOS builds are RHEL rebuilds and match Red Hat advisories, as Trivy does.
    case 'rhel':
    case 'redhat':
    case 'centos':
      return withRelease('Red Hat', majorOf(version) ? `enterprise_linux:${majorOf(version)}` : undefined);
    case 'almalinux':
      return withRelease('AlmaLinux', majorOf(version));
    case 'rocky':
    case 'rockylinux':
      return withRelease('Rocky Linux', majorOf(version));
    case 'opensuse-leap':
      return withRelease('openSUSE', version ? `Leap ${version}` : undefined);
    case 'opensuse-tumbleweed':
      return 'openSUSE:Tumbleweed';
    case 'sles':
    case 'sled':
    case 'sles_sap':
      return suseEcosystem(version);
    case 'wolfi':
      return 'Wolfi';
    case 'chainguard':
      return 'Chainguard';
    case 'mageia':
      return withRelease('Mageia', majorOf(version));
    case 'openeuler':
      return withRelease('openEuler', version);
    default:
      return undefined;
  }
}

/** Reads os-release fields into an `OsRelease` with its OSV ecosystem. */
export function getOsRelease(fields: Record<string, string>): OsRelease {
  const osEcosystem = getOsEcosystem(fields);
  return {
    id: (fields.ID ?? '').toLowerCase(),
    ...(fields.VERSION_ID ? { versionId: fields.VERSION_ID } : {}),
    ...(fields.PRETTY_NAME ? { prettyName: fields.PRETTY_NAME } : {}),
    ...(osEcosystem ? { osEcosystem } : {}),
  };
}

/** Package families whose OSV ecosystems share a package format (and so a package database). */
const FAMILIES: readonly (readonly string[])[] = [
  ['Debian', 'Ubuntu'],
  ['Alpine', 'Wolfi', 'Chainguard'],
  ['Red Hat', 'AlmaLinux', 'Rocky Linux', 'openSUSE', 'SUSE', 'Mageia', 'openEuler'],
];

/**
 * Fills in the release of an OS package's ecosystem from the asset's os-release: `Debian` becomes
 * `Debian:12`, and a package database read without knowing the distribution (dpkg status says
 * `Debian`, rpm output `Red Hat`) takes the distribution of its family that os-release names
 * (`Ubuntu:22.04:LTS`, `AlmaLinux:9`). A package that already has a release is left alone.
 */
export function withOsRelease(ecosystem: string, osEcosystem: string | undefined): string {
  if (!osEcosystem || ecosystem.includes(':')) return ecosystem;
  const base = osEcosystem.split(':')[0] as string;
  if (base === ecosystem) return osEcosystem;
  const family = FAMILIES.find((members) => members.includes(ecosystem));
  return family?.includes(base) ? osEcosystem : ecosystem;
}
