/**
 * pnpm-lock.yaml, lockfile versions 5 to 9. Packages come from the `packages` keys; importers
 * (or v5/v6 top-level dependency maps) say what is direct; `dev` comes from the entries (v5/v6) or
 * from walking the v9 `snapshots` graph. See readme.md.
 */
import { z } from 'zod';
import { makeLanguagePackage, mergeDuplicates } from '../language-package.js';
import { checkShape, parseYamlDocuments, toPointer } from '../lockfile-reader.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';
import { isRegistryVersion, parsePackageKey, stripPeerSuffix } from './package-key.js';

const depMap = z.record(z.string(), z.union([z.string(), z.looseObject({ version: z.string() })])).optional();
const importer = z.looseObject({
  dependencies: depMap,
  devDependencies: depMap,
  optionalDependencies: depMap,
});
const stringMap = z.record(z.string(), z.string()).optional();

const lockShape = z.looseObject({
  lockfileVersion: z.string().regex(/^\d+(\.\d+)?$/, 'expected a lockfileVersion such as 6.0'),
  importers: z.record(z.string(), importer).optional(),
  dependencies: depMap,
  devDependencies: depMap,
  optionalDependencies: depMap,
  packages: z.record(z.string(), z.looseObject({ dev: z.string().optional() }).nullable()).optional(),
  snapshots: z
    .record(
      z.string(),
      z.looseObject({ dependencies: stringMap, optionalDependencies: stringMap }).nullable(),
    )
    .optional(),
});

type Lock = z.infer<typeof lockShape>;
type Importer = z.infer<typeof importer>;
type DepMap = NonNullable<Importer['dependencies']>;

/** `name@version` keys of a dependency map (peer suffixes removed); non-registry versions dropped. */
function getDepKeys(deps: DepMap | undefined, lockfileVersion: number): string[] {
  const keys: string[] = [];
  for (const [name, spec] of Object.entries(deps ?? {})) {
    const raw = typeof spec === 'string' ? spec : spec.version;
    const version = lockfileVersion < 6 ? (raw.split('_')[0] ?? raw) : stripPeerSuffix(raw);
    if (isRegistryVersion(version)) keys.push(`${name}@${version}`);
    // v9 aliases write the target as the version: `string-width@4.2.3`.
    else if (/^@?[^@]+@\d/.test(version)) keys.push(version);
  }
  return keys;
}

function getImporters(lock: Lock): Importer[] {
  if (lock.importers) return Object.values(lock.importers);
  const { dependencies, devDependencies, optionalDependencies } = lock;
  return [{ dependencies, devDependencies, optionalDependencies }];
}

/** Reachable `name@version` keys (peers stripped) from the roots, through the v9 snapshots. */
function walkSnapshots(lock: Lock, roots: readonly string[], lockfileVersion: number): Set<string> {
  const snapshots = new Map<string, { dependencies?: Record<string, string> | undefined }>();
  for (const [key, snap] of Object.entries(lock.snapshots ?? {})) {
    const base = stripPeerSuffix(key);
    const merged = {
      ...snapshots.get(base)?.dependencies,
      ...snap?.dependencies,
      ...snap?.optionalDependencies,
    };
    snapshots.set(base, { dependencies: merged });
  }
  const seen = new Set<string>();
  const queue = [...roots];
  for (let key = queue.pop(); key !== undefined; key = queue.pop()) {
    if (seen.has(key)) continue;
    seen.add(key);
    queue.push(...getDepKeys(snapshots.get(key)?.dependencies, lockfileVersion));
  }
  return seen;
}

interface Roles {
  direct: Set<string>;
  /** v9 only: keys reachable from production roots, and from development roots. */
  prod?: Set<string>;
  dev?: Set<string>;
}

function getRoles(lock: Lock, lockfileVersion: number): Roles {
  const importers = getImporters(lock);
  const prodRoots = importers.flatMap((i) => [
    ...getDepKeys(i.dependencies, lockfileVersion),
    ...getDepKeys(i.optionalDependencies, lockfileVersion),
  ]);
  const devRoots = importers.flatMap((i) => getDepKeys(i.devDependencies, lockfileVersion));
  const direct = new Set([...prodRoots, ...devRoots]);
  if (!lock.snapshots) return { direct };
  return {
    direct,
    prod: walkSnapshots(lock, prodRoots, lockfileVersion),
    dev: walkSnapshots(lock, devRoots, lockfileVersion),
  };
}

function isDev(roles: Roles, key: string, entryDev: string | undefined): boolean | undefined {
  if (entryDev === 'true' || entryDev === 'false') return entryDev === 'true';
  if (roles.prod?.has(key)) return false;
  return roles.dev?.has(key) ? true : undefined;
}

function readPackages(file: InventoryFile, lock: Lock, warnings: string[]): FoundPackage[] {
  const lockfileVersion = Number(lock.lockfileVersion);
  const roles = getRoles(lock, lockfileVersion);
  const found: FoundPackage[] = [];
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    const location = toPointer(['packages', key]);
    const parsed = parsePackageKey(key, lockfileVersion);
    if (!parsed) {
      warnings.push(`${location}: not a registry package, skipped`);
      continue;
    }
    const id = `${parsed.name}@${parsed.version}`;
    const dev = isDev(roles, id, entry?.dev);
    found.push(
      makeLanguagePackage(file.path, {
        ecosystem: 'npm',
        ...parsed,
        location,
        direct: roles.direct.has(id),
        dev,
      }),
    );
  }
  return found;
}

/** pnpm-lock.yaml (lockfile versions 5.x, 6.x, 9.x). */
export const pnpmLockFormat: InventoryFormat = {
  id: 'pnpm-lock',
  description: 'pnpm pnpm-lock.yaml (lockfile versions 5, 6 and 9)',
  detect(fileName) {
    return fileName === 'pnpm-lock.yaml' || fileName === 'pnpm-lock.yml';
  },
  parse(file: InventoryFile): ParsedInventory {
    const documents = parseYamlDocuments(file);
    const warnings: string[] = [];
    // pnpm ≥ 10 may write its own tool dependencies as a first document; the project's is the last.
    if (documents.length > 1)
      warnings.push(`${documents.length - 1} leading YAML document(s) (pnpm's own tools) skipped`);
    const lock = checkShape(file, lockShape, documents.at(-1) ?? null, 'pnpm-lock.yaml');
    const packages = mergeDuplicates(readPackages(file, lock, warnings));
    return { format: 'pnpm-lock', asset: {}, packages, warnings };
  },
};
