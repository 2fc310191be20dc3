/**
 * Package URLs ↔ OSV ecosystems. SBOMs name packages by purl; OSV advisories by (ecosystem, name).
 * The mapping follows the purl types spec and OSV's ecosystem list; OS packages get their release
 * from the `distro` qualifier (`distro=debian-12`, `distro=alpine-3.20.3`, `distro=focal`).
 */
import { PackageURL } from 'packageurl-js';
import { getOsRelease } from './os-release.js';

/** What a purl names, in OSV terms. */
export interface OsvPackageRef {
  ecosystem: string;
  name: string;
  version: string;
  /** Source package named by the purl (`upstream`, `source`, `origin` qualifiers), when given. */
  sourceName?: string;
  sourceVersion?: string;
}

/** Language ecosystems whose purl type maps one-to-one, and how the OSV name is built. */
const LANGUAGE_TYPES: Readonly<Record<string, { ecosystem: string; join: string }>> = {
  npm: { ecosystem: 'npm', join: '/' },
  pypi: { ecosystem: 'PyPI', join: '/' },
  maven: { ecosystem: 'Maven', join: ':' },
  golang: { ecosystem: 'Go', join: '/' },
  cargo: { ecosystem: 'crates.io', join: '/' },
  gem: { ecosystem: 'RubyGems', join: '/' },
  nuget: { ecosystem: 'NuGet', join: '/' },
  composer: { ecosystem: 'Packagist', join: '/' },
  pub: { ecosystem: 'Pub', join: '/' },
  hex: { ecosystem: 'Hex', join: '/' },
  cran: { ecosystem: 'CRAN', join: '/' },
  hackage: { ecosystem: 'Hackage', join: '/' },
  swift: { ecosystem: 'SwiftURL', join: '/' },
  cocoapods: { ecosystem: 'CocoaPods', join: '/' },
  conan: { ecosystem: 'ConanCenter', join: '/' },
};

/** rpm purl namespace → OSV ecosystem. CentOS has no OSV ecosystem; its packages are rebuilt RHEL ones, as Trivy treats them. */
const RPM_NAMESPACES: Readonly<Record<string, string>> = {
  redhat: 'Red Hat',
  rhel: 'Red Hat',
  centos: 'Red Hat',
  almalinux: 'AlmaLinux',
  alma: 'AlmaLinux',
  rocky: 'Rocky Linux',
  rockylinux: 'Rocky Linux',
  opensuse: 'openSUSE',
  suse: 'SUSE',
  sles: 'SUSE',
  mageia: 'Mageia',
  openeuler: 'openEuler',
};

/** PEP 503 normalized name: lower case, runs of `-`, `_`, `.` as one `-`. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Parses a purl string; undefined when it is not a valid purl. */
export function parsePurl(purl: string): PackageURL | undefined {
  try {
    return PackageURL.fromString(purl.trim());
  } catch {
    return undefined;
  }
}

/** Splits `name@version` or `name (version)` as SBOM tools write source packages in qualifiers. */
function splitSource(value: string | undefined): { sourceName?: string; sourceVersion?: string } {
  if (!value) return {};
  const match = /^([^@\s(]+)\s*(?:@|\()\s*([^)\s]+)\)?$/.exec(value.trim());
  if (match) return { sourceName: match[1], sourceVersion: match[2] };
  return { sourceName: value.trim() };
}

function osPackage(purl: PackageURL, ecosystem: string, version: string, source?: string): OsvPackageRef {
  return { ecosystem, name: purl.name, version, ...splitSource(source) };
}

function debPackage(purl: PackageURL, version: string): OsvPackageRef | undefined {
  const q = purl.qualifiers ?? {};
  const family = (purl.namespace ?? '').toLowerCase();
  if (family !== 'debian' && family !== 'ubuntu') return undefined;
  const ecosystem = distroEcosystem(family, q.distro) ?? (family === 'debian' ? 'Debian' : 'Ubuntu');
  return osPackage(purl, ecosystem, version, q.upstream ?? q.source);
}

function rpmPackage(purl: PackageURL, version: string): OsvPackageRef | undefined {
  const q = purl.qualifiers ?? {};
  const namespace = (purl.namespace ?? '').toLowerCase();
  const base = RPM_NAMESPACES[namespace];
  if (!base) return undefined;
  // OSV writes RPM versions as [epoch:]version-release; purl keeps the epoch in a qualifier.
  const full = q.epoch && q.epoch !== '0' && !version.includes(':') ? `${q.epoch}:${version}` : version;
  const ecosystem = distroEcosystem(namespace, q.distro) ?? base;
  return osPackage(purl, ecosystem, full, q.upstream ?? q.sourcerpm);
}

function apkPackage(purl: PackageURL, version: string): OsvPackageRef | undefined {
  const q = purl.qualifiers ?? {};
  const namespace = (purl.namespace ?? '').toLowerCase();
  const base = { alpine: 'Alpine', wolfi: 'Wolfi', chainguard: 'Chainguard' }[namespace];
  if (!base) return undefined;
  const ecosystem = distroEcosystem(namespace, q.distro) ?? base;
  return osPackage(purl, ecosystem, version, q.origin ?? q.upstream);
}

/**
 * The OSV ecosystem with release for a purl `distro` qualifier: `debian-12` → `Debian:12`, `focal` →
 * `Ubuntu:20.04:LTS`, `alpine-3.17.2` or a bare `3.22.0` → `Alpine:v3.17`. Undefined when not derivable.
 */
export function distroEcosystem(family: string, distro: string | undefined): string | undefined {
  if (!distro) return undefined;
  const value = distro.trim().toLowerCase();
  const dash = /^([a-z][a-z-]*?)-(\d[\w.]*)$/.exec(value);
  const id = dash ? (dash[1] as string) : family;
  const version = dash ? (dash[2] as string) : value;
  const isNumeric = /^\d/.test(version);
  return getOsRelease({
    ID: id === 'opensuse' ? 'opensuse-leap' : id,
    ...(isNumeric ? { VERSION_ID: version } : { VERSION_CODENAME: version }),
  }).osEcosystem;
}

/** Maps a parsed purl to its OSV ecosystem and name; undefined for types OSV does not cover. */
export function purlToOsv(purl: PackageURL): OsvPackageRef | undefined {
  const version = purl.version;
  if (!version) return undefined;
  if (purl.type === 'deb') return debPackage(purl, version);
  if (purl.type === 'rpm') return rpmPackage(purl, version);
  if (purl.type === 'apk') return apkPackage(purl, version);
  const language = LANGUAGE_TYPES[purl.type];
  if (!language) return undefined;
  let name = purl.namespace ? `${purl.namespace}${language.join}${purl.name}` : purl.name;
  if (purl.type === 'pypi') name = normalizePypiName(name);
  return { ecosystem: language.ecosystem, name, version };
}

/** Reverse of `purlToOsv` for the OS families: OSV base ecosystem → purl type and namespace. */
const OS_PURLS: Readonly<Record<string, { type: string; namespace: string; distro: string }>> = {
  Debian: { type: 'deb', namespace: 'debian', distro: 'debian' },
  Ubuntu: { type: 'deb', namespace: 'ubuntu', distro: 'ubuntu' },
  Alpine: { type: 'apk', namespace: 'alpine', distro: 'alpine' },
  Wolfi: { type: 'apk', namespace: 'wolfi', distro: 'wolfi' },
  Chainguard: { type: 'apk', namespace: 'chainguard', distro: 'chainguard' },
  'Red Hat': { type: 'rpm', namespace: 'redhat', distro: 'rhel' },
  AlmaLinux: { type: 'rpm', namespace: 'almalinux', distro: 'almalinux' },
  'Rocky Linux': { type: 'rpm', namespace: 'rocky', distro: 'rocky' },
  openSUSE: { type: 'rpm', namespace: 'opensuse', distro: 'opensuse-leap' },
  SUSE: { type: 'rpm', namespace: 'suse', distro: 'sles' },
  Mageia: { type: 'rpm', namespace: 'mageia', distro: 'mageia' },
  openEuler: { type: 'rpm', namespace: 'openeuler', distro: 'openeuler' },
};

function splitName(name: string, separator: string): [string | undefined, string] {
  const at = name.lastIndexOf(separator);
  return at <= 0 ? [undefined, name] : [name.slice(0, at), name.slice(at + 1)];
}

function osQualifiers(ecosystem: string, version: string, qualifiers: Record<string, string>) {
  const [base, ...release] = ecosystem.split(':');
  const os = OS_PURLS[base ?? ''];
  if (!os) return undefined;
  const out: Record<string, string> = { ...qualifiers };
  // Release `v3.20` → distro `alpine-3.20`; `22.04:LTS` → `ubuntu-22.04`; `Leap 15.5` → `opensuse-leap-15.5`.
  // Red Hat's release is a product stream: `enterprise_linux:9` → distro `rhel-9`.
  const releaseId = (base === 'Red Hat' ? (release[1] ?? '') : (release[0] ?? ''))
    .replace(/^v/, '')
    .replace(/^Leap /i, '');
  if (releaseId && !out.distro) out.distro = `${os.distro}-${releaseId}`;
  let plainVersion = version;
  const epoch = /^(\d+):(.+)$/.exec(version);
  if (os.type === 'rpm' && epoch) {
    out.epoch = epoch[1] as string;
    plainVersion = epoch[2] as string;
  }
  return { os, qualifiers: out, version: plainVersion };
}

/**
 * A purl string for a package named as OSV names it: `makePurl('Debian:12', 'openssl', '3.0.15-1~deb12u1')`
 * → `pkg:deb/debian/openssl@3.0.15-1~deb12u1?distro=debian-12`. Undefined for ecosystems without a purl type.
 */
export function makePurl(
  ecosystem: string,
  name: string,
  version: string,
  qualifiers: Record<string, string> = {},
): string | undefined {
  const os = osQualifiers(ecosystem, version, qualifiers);
  const q = (values: Record<string, string>) => (Object.keys(values).length > 0 ? values : undefined);
  try {
    if (os) return new PackageURL(os.os.type, os.os.namespace, name, os.version, q(os.qualifiers)).toString();
    const entry = Object.entries(LANGUAGE_TYPES).find(([, value]) => value.ecosystem === ecosystem);
    if (!entry) return undefined;
    const [type, { join }] = entry;
    const [namespace, shortName] =
      type === 'npm' && !name.startsWith('@') ? [undefined, name] : splitName(name, join);
    return new PackageURL(type, namespace, shortName, version, q(qualifiers)).toString();
  } catch {
    return undefined;
  }
}
