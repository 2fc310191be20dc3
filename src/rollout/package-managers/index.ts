import { PatchcastError } from '../../core/errors.js';
import type { PackageManager, PackageManagerName } from '../contract.js';
import { ApkPackageManager } from './apk.js';
import { type AptOptions, AptPackageManager } from './apt.js';
import { type DnfOptions, DnfPackageManager } from './dnf.js';

export { ApkPackageManager, parseApkSimulation } from './apk.js';
export { type AptOptions, AptPackageManager, parseAptSimulation } from './apt.js';
export { type DnfOptions, DnfPackageManager, parseDnfSimulation } from './dnf.js';

export interface PackageManagerOptions {
  /** apt: extra `-o` settings, a dpkg admin dir. */
  apt?: AptOptions;
  /** dnf: extra dnf options (an install root, a repo dir), an `rpm --root`. */
  dnf?: DnfOptions;
}

/** The driver for a package manager by name. Throws `INPUT_INVALID` for an unknown name. */
export function getPackageManager(
  name: PackageManagerName,
  options: PackageManagerOptions = {},
): PackageManager {
  switch (name) {
    case 'apt':
      return new AptPackageManager(options.apt);
    case 'dnf':
      return new DnfPackageManager(options.dnf);
    case 'apk':
      return new ApkPackageManager();
    default:
      throw new PatchcastError('INPUT_INVALID', `unknown package manager ${JSON.stringify(name)}`, {
        hint: 'Use apt, dnf or apk.',
      });
  }
}

/** The /etc/os-release fields that name a distribution and its family (os-release(5)). */
export interface OsReleaseFields {
  ID?: string;
  ID_LIKE?: string;
}

const FAMILIES: ReadonlyArray<readonly [PackageManagerName, ReadonlySet<string>]> = [
  ['apt', new Set(['debian', 'ubuntu'])],
  ['dnf', new Set(['fedora', 'rhel', 'centos', 'rocky', 'almalinux', 'ol'])],
  ['apk', new Set(['alpine'])],
];

/**
 * The package manager of a host from its os-release: `ID` first, then each `ID_LIKE` word in order
 * (os-release(5) lists the closest relative first). Undefined when none is known; a RHEL 7 host
 * (yum, no dnf) is reported as dnf, which the caller's `VERSION_ID` check must exclude if it matters.
 */
export function detectPackageManager(fields: OsReleaseFields): PackageManagerName | undefined {
  const ids = [fields.ID ?? '', ...(fields.ID_LIKE ?? '').split(/\s+/)].map((id) => id.trim().toLowerCase());
  for (const id of ids) {
    for (const [manager, family] of FAMILIES) {
      if (family.has(id)) return manager;
    }
  }
  return undefined;
}
