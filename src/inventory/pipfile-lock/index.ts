/**
 * Pipenv's Pipfile.lock (JSON): `default` (production) and `develop` (dev) sections, each mapping a
 * name to `{ "version": "==1.2.3", … }`. See readme.md.
 */
import { z } from 'zod';
import { makeLanguagePackage, mergeDuplicates, normalizePythonName } from '../language-package.js';
import { checkShape, parseJsonInventory, toPointer } from '../lockfile-reader.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

const section = z.record(z.string(), z.looseObject({ version: z.string().optional() })).optional();
const lockShape = z.looseObject({
  _meta: z.looseObject({}),
  default: section,
  develop: section,
});

type Section = NonNullable<z.infer<typeof section>>;

function readSection(file: InventoryFile, key: 'default' | 'develop', entries: Section, warnings: string[]) {
  const found: FoundPackage[] = [];
  for (const [rawName, entry] of Object.entries(entries)) {
    const location = toPointer([key, rawName]);
    const pinned = /^===?\s*(\S+)$/.exec(entry.version ?? '');
    if (!pinned?.[1]) {
      // git, path and editable entries carry no version (or not a pinned one).
      warnings.push(`${location}: no pinned version (git, path or editable dependency), skipped`);
      continue;
    }
    const name = normalizePythonName(rawName);
    const dev = key === 'develop';
    found.push(
      makeLanguagePackage(file.path, { ecosystem: 'PyPI', name, version: pinned[1], location, dev }),
    );
  }
  return found;
}

/** Pipfile.lock. */
export const pipfileLockFormat: InventoryFormat = {
  id: 'pipfile-lock',
  description: 'Pipenv Pipfile.lock',
  detect(fileName) {
    return fileName === 'Pipfile.lock';
  },
  parse(file: InventoryFile): ParsedInventory {
    const lock = checkShape(file, lockShape, parseJsonInventory(file), 'Pipfile.lock');
    const warnings: string[] = [];
    const packages = mergeDuplicates([
      ...readSection(file, 'default', lock.default ?? {}, warnings),
      ...readSection(file, 'develop', lock.develop ?? {}, warnings),
    ]);
    return { format: 'pipfile-lock', asset: {}, packages, warnings };
  },
};
