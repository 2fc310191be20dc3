/**
 * PHP Composer's composer.lock: `packages` (runtime) and `packages-dev` (require-dev) with the exact
 * versions installed. See readme.md.
 */
import { z } from 'zod';
import { assertField, dedupeFoundPackages, getBaseName, makeFoundPackage } from '../found-package.js';
import { checkShape, parseJsonInventory, toPointer } from '../lockfile-reader.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

const entry = z.looseObject({ name: z.string().min(1), version: z.string().min(1) });
const lockShape = z.looseObject({
  packages: z.array(entry),
  'packages-dev': z.array(entry).nullish(),
});

type Entry = z.infer<typeof entry>;

function readList(file: InventoryFile, list: readonly Entry[], key: string, dev: boolean): FoundPackage[] {
  return list.map((item, index) => {
    const location = toPointer([key, index]);
    assertField(file.path, location, 'package name', item.name);
    assertField(file.path, location, 'version', item.version);
    return makeFoundPackage({
      ecosystem: 'Packagist',
      name: item.name,
      version: item.version,
      location,
      dev,
    });
  });
}

/** composer.lock → Packagist packages; `packages-dev` are marked dev. */
export const composerLockFormat: InventoryFormat = {
  id: 'composer-lock',
  description: 'PHP Composer composer.lock (packages and packages-dev)',
  detect: (fileName) => getBaseName(fileName) === 'composer.lock',
  parse(file: InventoryFile): ParsedInventory {
    const lock = checkShape(file, lockShape, parseJsonInventory(file), 'composer.lock');
    const packages = [
      ...readList(file, lock.packages, 'packages', false),
      ...readList(file, lock['packages-dev'] ?? [], 'packages-dev', true),
    ];
    return { format: 'composer-lock', asset: {}, packages: dedupeFoundPackages(packages), warnings: [] };
  },
};
