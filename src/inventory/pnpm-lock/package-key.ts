/**
 * pnpm's package keys across lockfile versions: v5 `/name/1.0.0_peer@2.0.0`, v6 `/name@1.0.0(peer@2.0.0)`,
 * v9 `name@1.0.0(peer@2.0.0)`, scoped names in each, and a registry host before the name in old files.
 */

/** A registry version: SemVer with optional pre-release and build. */
const REGISTRY_VERSION = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/;

/** Name and version of a package key, or undefined when the key is not a registry package. */
export interface PackageKey {
  name: string;
  version: string;
}

/** v5: `/name/1.0.0`, `/@s/name/1.0.0_peer@1.0.0`, `registry.npmjs.org/name/1.0.0`. */
function parseSlashKey(key: string): PackageKey | undefined {
  const segments = key.replace(/^\//, '').split('/');
  const version = segments.pop()?.split('_')[0] ?? '';
  // Keep `name` or `@scope/name` from the end; anything before is a registry host.
  const scoped = segments.length >= 2 && segments[segments.length - 2]?.startsWith('@');
  const name = segments.slice(scoped ? -2 : -1).join('/');
  return name ? { name, version } : undefined;
}

/** v6 and v9: `/name@1.0.0(peer@2.0.0)`, `@s/name@1.0.0`. */
function parseAtKey(key: string): PackageKey | undefined {
  const bare = key.replace(/^\//, '').split('(')[0] ?? '';
  const at = bare.lastIndexOf('@');
  if (at <= 0) return undefined;
  return { name: bare.slice(0, at), version: bare.slice(at + 1) };
}

/** Reads a package key written by the given lockfile version (`5.4`, `6.0`, `9.0`…). */
export function parsePackageKey(key: string, lockfileVersion: number): PackageKey | undefined {
  const parsed = lockfileVersion < 6 ? parseSlashKey(key) : parseAtKey(key);
  return parsed && REGISTRY_VERSION.test(parsed.version) ? parsed : undefined;
}

/** A dependency's version as importers and snapshots write it, without peer suffixes. */
export function stripPeerSuffix(version: string): string {
  return version.split('(')[0]?.split('_')[0] ?? version;
}

/** Whether a version string is a registry version (not `link:`, `file:`, a URL…). */
export function isRegistryVersion(version: string): boolean {
  return REGISTRY_VERSION.test(version);
}
