/**
 * NuGet's packages.lock.json (lock file versions 1 and 2): per target framework, every package with
 * its resolved version and whether it is Direct, Transitive or CentralTransitive. See readme.md.
 */
import { z } from 'zod';
import { InventoryParseError } from '../errors.js';
import { assertField, getBaseName, makeFoundPackage } from '../found-package.js';
import { checkShape, parseJsonInventory, toPointer } from '../lockfile-reader.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

const entry = z.looseObject({ type: z.string().optional(), resolved: z.string().optional() });
const lockShape = z.looseObject({
  version: z.number().int(),
  dependencies: z.record(z.string(), z.record(z.string(), entry)),
});

type Entry = z.infer<typeof entry>;

const KNOWN_VERSIONS = new Set([1, 2]);

/** One package of one framework, or undefined for the project's own references (type Project). */
function readEntry(
  file: InventoryFile,
  framework: string,
  name: string,
  item: Entry,
): FoundPackage | undefined {
  if (item.type === 'Project') return undefined;
  const location = toPointer(['dependencies', framework, name]);
  if (!item.resolved) {
    throw new InventoryParseError(
      file.path,
      `${location}/resolved`,
      `package ${name} has no resolved version`,
    );
  }
  assertField(file.path, location, 'package name', name);
  assertField(file.path, location, 'version', item.resolved);
  const direct = item.type === 'Direct';
  return makeFoundPackage({ ecosystem: 'NuGet', name, version: item.resolved, location, direct });
}

/** Merges the frameworks: one package per name@version, direct when direct in any framework. */
function mergeFrameworks(
  file: InventoryFile,
  frameworks: Record<string, Record<string, Entry>>,
): FoundPackage[] {
  const byId = new Map<string, FoundPackage>();
  for (const [framework, entries] of Object.entries(frameworks)) {
    for (const [name, item] of Object.entries(entries)) {
      const found = readEntry(file, framework, name, item);
      if (!found) continue;
      // NuGet ids are case-insensitive (NuGet docs, "Package ID"); the first spelling wins.
      const id = `${name.toLowerCase()}@${found.version.toLowerCase()}`;
      const seen = byId.get(id);
      if (seen) seen.direct = seen.direct === true || found.direct === true;
      else byId.set(id, found);
    }
  }
  return [...byId.values()];
}

/** packages.lock.json → NuGet packages (Direct/Transitive), project references skipped. */
export const nugetLockFormat: InventoryFormat = {
  id: 'nuget-lock',
  description: 'NuGet packages.lock.json (lock file versions 1 and 2)',
  detect: (fileName) => getBaseName(fileName) === 'packages.lock.json',
  parse(file: InventoryFile): ParsedInventory {
    const lock = checkShape(file, lockShape, parseJsonInventory(file), 'packages.lock.json');
    const warnings: string[] = [];
    if (!KNOWN_VERSIONS.has(lock.version)) {
      warnings.push(
        `${file.path}:/version: lock file version ${lock.version} is newer than 2; read as version 2`,
      );
    }
    return { format: 'nuget-lock', asset: {}, packages: mergeFrameworks(file, lock.dependencies), warnings };
  },
};
