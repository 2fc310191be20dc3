/**
 * bun.lock, Bun's text lockfile (JSONC: comments and trailing commas). Packages are the values of
 * `packages` (`[ "name@version", registry, info, integrity ]`), keyed by install path. See readme.md.
 */
import { z } from 'zod';
import { makeLanguagePackage, mergeDuplicates } from '../language-package.js';
import { checkShape, parseJsoncInventory, toPointer } from '../lockfile-reader.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

const depMap = z.record(z.string(), z.string()).optional();
const workspace = z.looseObject({
  dependencies: depMap,
  devDependencies: depMap,
  optionalDependencies: depMap,
  peerDependencies: depMap,
});
const packageTuple = z.array(z.unknown()).min(1).readonly();
const lockShape = z.looseObject({
  lockfileVersion: z.number(),
  workspaces: z.record(z.string(), workspace).optional(),
  packages: z.record(z.string(), packageTuple).optional(),
});
const infoShape = z.looseObject({ dependencies: depMap, optionalDependencies: depMap });

type Lock = z.infer<typeof lockShape>;
type Tuple = z.infer<typeof packageTuple>;

const REGISTRY_VERSION = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/;

/** `name@version` split after the name (`@types/bun@1.2.13`, `a@git+ssh://git@host/…`). */
export function splitResolution(resolution: string): { name: string; version: string } | undefined {
  const at = resolution.indexOf('@', 1);
  return at <= 0 ? undefined : { name: resolution.slice(0, at), version: resolution.slice(at + 1) };
}

/** Dependencies named in a package tuple's info object (the first object after the resolution). */
function getTupleDeps(tuple: Tuple): string[] {
  const info = tuple.find((item, index) => index > 0 && typeof item === 'object' && item !== null);
  const parsed = infoShape.safeParse(info);
  if (!parsed.success) return [];
  return [
    ...Object.keys(parsed.data.dependencies ?? {}),
    ...Object.keys(parsed.data.optionalDependencies ?? {}),
  ];
}

/** Node-style lookup: `parent/dep`, then each ancestor's `…/dep`, then the hoisted `dep`. */
function resolveKey(packages: Record<string, Tuple>, parent: string, dep: string): string | undefined {
  const segments = parent.split('/');
  for (let i = segments.length; i > 0; i--) {
    const candidate = `${segments.slice(0, i).join('/')}/${dep}`;
    if (Object.hasOwn(packages, candidate)) return candidate;
  }
  return Object.hasOwn(packages, dep) ? dep : undefined;
}

/** Package keys reachable from root dependency names. */
function walk(packages: Record<string, Tuple>, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = roots.filter((name) => Object.hasOwn(packages, name));
  for (let key = queue.pop(); key !== undefined; key = queue.pop()) {
    if (seen.has(key)) continue;
    seen.add(key);
    for (const dep of getTupleDeps(packages[key] ?? [])) {
      const child = resolveKey(packages, key, dep);
      if (child !== undefined) queue.push(child);
    }
  }
  return seen;
}

function getRoles(lock: Lock, packages: Record<string, Tuple>) {
  const workspaces = Object.values(lock.workspaces ?? {});
  const names = (pick: (w: z.infer<typeof workspace>) => Record<string, string> | undefined) =>
    workspaces.flatMap((w) => Object.keys(pick(w) ?? {}));
  const prodRoots = [
    ...names((w) => w.dependencies),
    ...names((w) => w.optionalDependencies),
    ...names((w) => w.peerDependencies),
  ];
  const devRoots = names((w) => w.devDependencies);
  return {
    direct: new Set([...prodRoots, ...devRoots]),
    prod: walk(packages, prodRoots),
    dev: walk(packages, devRoots),
  };
}

function readPackages(file: InventoryFile, lock: Lock, warnings: string[]): FoundPackage[] {
  const packages = lock.packages ?? {};
  const roles = getRoles(lock, packages);
  const found: FoundPackage[] = [];
  for (const [key, tuple] of Object.entries(packages)) {
    const location = toPointer(['packages', key]);
    const resolution = typeof tuple[0] === 'string' ? splitResolution(tuple[0]) : undefined;
    if (!resolution || !REGISTRY_VERSION.test(resolution.version)) {
      // Workspace members are the project itself; other specs (git, file:, link:, tarball URLs) are not registry code.
      if (!resolution?.version.startsWith('workspace:'))
        warnings.push(`${location}: not a registry package, skipped`);
      continue;
    }
    const dev = roles.prod.has(key) ? false : roles.dev.has(key) ? true : undefined;
    const direct = roles.direct.has(key);
    found.push(makeLanguagePackage(file.path, { ecosystem: 'npm', ...resolution, location, direct, dev }));
  }
  return found;
}

/** bun.lock (Bun ≥ 1.1.39 text lockfile). The binary bun.lockb is not read. */
export const bunLockFormat: InventoryFormat = {
  id: 'bun-lock',
  description: 'Bun bun.lock (text lockfile, JSONC)',
  detect(fileName) {
    return fileName === 'bun.lock';
  },
  parse(file: InventoryFile): ParsedInventory {
    const lock = checkShape(file, lockShape, parseJsoncInventory(file), 'bun.lock');
    const warnings: string[] = [];
    const packages = mergeDuplicates(readPackages(file, lock, warnings));
    return { format: 'bun-lock', asset: {}, packages, warnings };
  },
};
