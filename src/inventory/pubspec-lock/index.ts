/**
 * Dart/Flutter pub's pubspec.lock: every package of the resolution with its source (hosted, git, path,
 * sdk) and whether the pubspec depends on it directly (main or dev) or transitively. See readme.md.
 */
import { z } from 'zod';
import { assertField, getBaseName, makeFoundPackage } from '../found-package.js';
import { checkShape, parseYamlInventory, toPointer } from '../lockfile-reader.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

// YAML may read a version such as 1.0 as a number; the lock file always quotes it, but be tolerant.
const text = z.union([z.string(), z.number().transform(String)]);
const entry = z.looseObject({
  dependency: z.string().optional(),
  source: z.string().optional(),
  version: text,
});
const lockShape = z.looseObject({ packages: z.record(z.string(), entry).nullable() });

type Entry = z.infer<typeof entry>;

function toPackage(file: InventoryFile, name: string, item: Entry): FoundPackage {
  const location = toPointer(['packages', name]);
  assertField(file.path, location, 'package name', name);
  assertField(file.path, location, 'version', item.version);
  const relation = item.dependency ?? '';
  return makeFoundPackage({
    ecosystem: 'Pub',
    name,
    version: item.version,
    location,
    // pub writes "direct main", "direct dev", "direct overridden" or "transitive".
    direct: relation.startsWith('direct'),
    dev: relation === 'direct dev',
  });
}

/** pubspec.lock → Pub packages (hosted, git and path sources); SDK packages skipped with a warning. */
export const pubspecLockFormat: InventoryFormat = {
  id: 'pubspec-lock',
  description: 'Dart/Flutter pub pubspec.lock',
  detect: (fileName) => getBaseName(fileName) === 'pubspec.lock',
  parse(file: InventoryFile): ParsedInventory {
    const lock = checkShape(file, lockShape, parseYamlInventory(file), 'pubspec.lock');
    const packages: FoundPackage[] = [];
    const sdk: string[] = [];
    for (const [name, item] of Object.entries(lock.packages ?? {})) {
      if (item.source === 'sdk') sdk.push(name);
      else packages.push(toPackage(file, name, item));
    }
    const warnings =
      sdk.length > 0
        ? [`${file.path}: skipped SDK packages (versioned with the SDK): ${sdk.join(', ')}`]
        : [];
    return { format: 'pubspec-lock', asset: {}, packages, warnings };
  },
};
