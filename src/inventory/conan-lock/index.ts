/**
 * Conan's conan.lock: Conan 1's `graph_lock.nodes` (lock format 0.4) and Conan 2's `requires` /
 * `build_requires` reference lists (lock format 0.5). See readme.md.
 */
import { z } from 'zod';
import { InventoryParseError } from '../errors.js';
import { assertField, getBaseName, makeFoundPackage } from '../found-package.js';
import { checkShape, parseJsonInventory, toPointer } from '../lockfile-reader.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

const node = z.looseObject({
  ref: z.string().optional(),
  requires: z.array(z.string()).optional(),
  build_requires: z.array(z.string()).optional(),
  context: z.string().optional(),
});
const v1Shape = z.looseObject({ graph_lock: z.looseObject({ nodes: z.record(z.string(), node) }) });
const v2Shape = z.looseObject({
  requires: z.array(z.string()).optional(),
  build_requires: z.array(z.string()).optional(),
});

/**
 * Name and version of a Conan reference `name/version[@user/channel][#rrev[%timestamp]][:package_id…]`
 * (Conan docs, "Recipe references").
 */
export function parseConanRef(ref: string): { name: string; version: string } | undefined {
  const head = ref.trim().split(/[@#%:]/, 1)[0] ?? '';
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(head);
  return match ? { name: match[1] as string, version: match[2] as string } : undefined;
}

function toPackage(
  file: InventoryFile,
  ref: string,
  location: string,
  facts: { direct?: boolean; dev: boolean },
) {
  const parsed = parseConanRef(ref);
  if (!parsed)
    throw new InventoryParseError(
      file.path,
      location,
      `"${ref.slice(0, 80)}" is not a name/version reference`,
    );
  assertField(file.path, location, 'package name', parsed.name);
  assertField(file.path, location, 'version', parsed.version);
  return makeFoundPackage({ ecosystem: 'ConanCenter', ...parsed, location, ...facts });
}

function readV1(file: InventoryFile, nodes: Record<string, z.infer<typeof node>>): FoundPackage[] {
  const root = nodes['0'];
  const direct = new Set([...(root?.requires ?? []), ...(root?.build_requires ?? [])]);
  const packages: FoundPackage[] = [];
  for (const [id, item] of Object.entries(nodes)) {
    // The root node (the consumer's conanfile) has a path and no ref.
    if (!item.ref) continue;
    const location = toPointer(['graph_lock', 'nodes', id, 'ref']);
    packages.push(
      toPackage(file, item.ref, location, { direct: direct.has(id), dev: item.context === 'build' }),
    );
  }
  return packages;
}

function readV2(file: InventoryFile, lock: z.infer<typeof v2Shape>): FoundPackage[] {
  const packages: FoundPackage[] = [];
  for (const key of ['requires', 'build_requires'] as const) {
    (lock[key] ?? []).forEach((ref, index) => {
      packages.push(toPackage(file, ref, toPointer([key, index]), { dev: key === 'build_requires' }));
    });
  }
  return packages;
}

/** conan.lock (Conan 1 and 2) → ConanCenter packages; build requirements marked dev. */
export const conanLockFormat: InventoryFormat = {
  id: 'conan-lock',
  description: 'Conan conan.lock (Conan 1 graph lock and Conan 2 lockfile)',
  detect: (fileName) => getBaseName(fileName) === 'conan.lock',
  parse(file: InventoryFile): ParsedInventory {
    const value = parseJsonInventory(file);
    const isV1 = typeof value === 'object' && value !== null && 'graph_lock' in value;
    const packages = isV1
      ? readV1(file, checkShape(file, v1Shape, value, 'Conan 1 lockfile').graph_lock.nodes)
      : readV2(file, checkShape(file, v2Shape, value, 'Conan 2 lockfile'));
    return { format: 'conan-lock', asset: {}, packages, warnings: [] };
  },
};
