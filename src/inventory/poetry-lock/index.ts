/**
 * Poetry's poetry.lock (lock-version 1.x and 2.x): one `[[package]]` per locked distribution. See
 * readme.md.
 */
import { z } from 'zod';
import { makeLanguagePackage, mergeDuplicates, normalizePythonName } from '../language-package.js';
import { checkShape, parseTomlInventory } from '../lockfile-reader.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

const packageShape = z.looseObject({
  name: z.string().min(1),
  version: z.string().min(1),
  category: z.string().optional(),
  groups: z.array(z.string()).optional(),
  source: z.looseObject({ type: z.string().optional() }).optional(),
});
const lockShape = z.looseObject({ package: z.array(packageShape).optional() });

// `legacy` is a private package index serving registry releases; the others are code from elsewhere.
const NOT_REGISTRY = new Set(['directory', 'file', 'url', 'git']);

/** Poetry < 2 writes `category = "dev"`; Poetry 2 writes `groups`, where "main" is production. */
function isDev(entry: z.infer<typeof packageShape>): boolean | undefined {
  if (entry.groups) return !entry.groups.includes('main');
  if (entry.category) return entry.category !== 'main';
  return undefined;
}

function readPackages(
  file: InventoryFile,
  entries: readonly z.infer<typeof packageShape>[],
  warnings: string[],
) {
  const found: FoundPackage[] = [];
  entries.forEach((entry, index) => {
    const location = `/package/${index}`;
    if (entry.source?.type && NOT_REGISTRY.has(entry.source.type)) {
      warnings.push(`${location}: ${entry.name} comes from a ${entry.source.type} source, skipped`);
      return;
    }
    const name = normalizePythonName(entry.name);
    const dev = isDev(entry);
    found.push(
      makeLanguagePackage(file.path, { ecosystem: 'PyPI', name, version: entry.version, location, dev }),
    );
  });
  return found;
}

/** poetry.lock. */
export const poetryLockFormat: InventoryFormat = {
  id: 'poetry-lock',
  description: 'Poetry poetry.lock',
  detect(fileName) {
    return fileName === 'poetry.lock';
  },
  parse(file: InventoryFile): ParsedInventory {
    const lock = checkShape(file, lockShape, parseTomlInventory(file), 'poetry.lock');
    const warnings: string[] = [];
    const packages = mergeDuplicates(readPackages(file, lock.package ?? [], warnings));
    return { format: 'poetry-lock', asset: {}, packages, warnings };
  },
};
