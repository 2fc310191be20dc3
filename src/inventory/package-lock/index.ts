/**
 * npm's package-lock.json / npm-shrinkwrap.json: v2/v3 `packages` keyed by node_modules path, or
 * v1's nested `dependencies`. See readme.md.
 */
import { z } from 'zod';
import { makeLanguagePackage, mergeDuplicates } from '../language-package.js';
import { checkShape, parseJsonInventory, toPointer } from '../lockfile-reader.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

const FILE_NAMES = new Set(['package-lock.json', 'npm-shrinkwrap.json', '.package-lock.json']);

const depsMap = z.record(z.string(), z.unknown()).optional();

const modernEntry = z.looseObject({
  name: z.string().optional(),
  version: z.string().optional(),
  dev: z.boolean().optional(),
  link: z.boolean().optional(),
  dependencies: depsMap,
  devDependencies: depsMap,
  optionalDependencies: depsMap,
  peerDependencies: depsMap,
});

const legacyEntry = z.looseObject({
  version: z.string().optional(),
  dev: z.boolean().optional(),
  dependencies: z.record(z.string(), z.unknown()).optional(),
});

const lockShape = z.looseObject({
  lockfileVersion: z.number().optional(),
  packages: z.record(z.string(), modernEntry).optional(),
  dependencies: z.record(z.string(), z.unknown()).optional(),
});

type ModernEntry = z.infer<typeof modernEntry>;

const NODE_MODULES = 'node_modules/';

/** The package name a v2/v3 `packages` key ends with: `a/node_modules/@s/b` → `@s/b`. */
export function getNameFromPath(path: string): string | undefined {
  const at = path.lastIndexOf(NODE_MODULES);
  if (at === -1 || (at > 0 && path[at - 1] !== '/')) return undefined;
  const name = path.slice(at + NODE_MODULES.length);
  return /^(@[^/]+\/)?[^/@][^/]*$/.test(name) ? name : undefined;
}

function rootNames(root: ModernEntry | undefined): Set<string> {
  const names = new Set<string>();
  for (const deps of [
    root?.dependencies,
    root?.devDependencies,
    root?.optionalDependencies,
    root?.peerDependencies,
  ]) {
    for (const name of Object.keys(deps ?? {})) names.add(name);
  }
  return names;
}

function readModern(
  file: InventoryFile,
  packages: Record<string, ModernEntry>,
  warnings: string[],
): FoundPackage[] {
  const direct = rootNames(packages['']);
  const found: FoundPackage[] = [];
  for (const [path, entry] of Object.entries(packages)) {
    // The root ("") is the project itself; paths outside node_modules are workspace folders and
    // `link` entries point at them: neither is a package from a registry.
    if (path === '' || entry.link) continue;
    const pathName = getNameFromPath(path);
    if (pathName === undefined) continue;
    const location = toPointer(['packages', path]);
    if (!entry.version) {
      warnings.push(`${location}: no version, skipped`);
      continue;
    }
    const name = entry.name ?? pathName;
    const isDirect = path === `${NODE_MODULES}${pathName}` && direct.has(pathName);
    found.push(
      makeLanguagePackage(file.path, {
        ecosystem: 'npm',
        name,
        version: entry.version,
        location,
        direct: isDirect,
        dev: !!entry.dev,
      }),
    );
  }
  return found;
}

/** v1 versions are either plain, `npm:real@1.0.0` (an alias), or a URL/`file:` spec (not a registry package). */
function readLegacyVersion(key: string, version: string): { name: string; version: string } | undefined {
  if (version.startsWith('npm:')) {
    const at = version.lastIndexOf('@');
    return at > 4 ? { name: version.slice(4, at), version: version.slice(at + 1) } : undefined;
  }
  return /^[\w.+-]+$/.test(version) ? { name: key, version } : undefined;
}

function readLegacy(
  file: InventoryFile,
  dependencies: Record<string, unknown>,
  warnings: string[],
): FoundPackage[] {
  const found: FoundPackage[] = [];
  const stack: { deps: Record<string, unknown>; path: string[] }[] = [
    { deps: dependencies, path: ['dependencies'] },
  ];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    for (const [key, raw] of Object.entries(item.deps)) {
      const path = [...item.path, key];
      const entry = checkShape(file, legacyEntry, raw, 'package-lock.json', path);
      if (entry.dependencies) stack.push({ deps: entry.dependencies, path: [...path, 'dependencies'] });
      const read = entry.version ? readLegacyVersion(key, entry.version) : undefined;
      if (!read) {
        warnings.push(
          `${toPointer(path)}: version ${JSON.stringify(entry.version ?? null)} is not a registry version, skipped`,
        );
        continue;
      }
      found.push(
        makeLanguagePackage(file.path, {
          ecosystem: 'npm',
          ...read,
          location: toPointer(path),
          dev: !!entry.dev,
        }),
      );
    }
  }
  return found;
}

/** package-lock.json (v1–v3) and npm-shrinkwrap.json. */
export const packageLockFormat: InventoryFormat = {
  id: 'package-lock',
  description: 'npm package-lock.json / npm-shrinkwrap.json (lockfileVersion 1–3)',
  detect(fileName) {
    return FILE_NAMES.has(fileName);
  },
  parse(file: InventoryFile): ParsedInventory {
    const lock = checkShape(file, lockShape, parseJsonInventory(file), 'package-lock.json');
    const warnings: string[] = [];
    let packages: FoundPackage[];
    if (lock.packages) packages = readModern(file, lock.packages, warnings);
    else if (lock.dependencies) packages = readLegacy(file, lock.dependencies, warnings);
    else packages = [];
    return { format: 'package-lock', asset: {}, packages: mergeDuplicates(packages), warnings };
  },
};
