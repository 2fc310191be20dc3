/**
 * PEP 751 lock files (`pylock.toml`, `pylock.<name>.toml`): `[[packages]]` with name and version and
 * where the distribution comes from (index wheels/sdist, or a VCS, directory or archive). See readme.md.
 */
import { z } from 'zod';
import { makeLanguagePackage, mergeDuplicates, normalizePythonName } from '../language-package.js';
import { checkShape, parseTomlInventory } from '../lockfile-reader.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

const packageShape = z.looseObject({
  name: z.string().min(1),
  version: z.string().min(1).optional(),
  vcs: z.unknown().optional(),
  directory: z.unknown().optional(),
  archive: z.unknown().optional(),
});
const lockShape = z.looseObject({
  'lock-version': z.string().regex(/^1\.\d+$/, 'expected lock-version 1.x (PEP 751)'),
  packages: z.array(packageShape).optional(),
});

type Entry = z.infer<typeof packageShape>;

// PEP 751: a package from a VCS, a local directory or an arbitrary archive URL is not an index release.
const NOT_INDEX = ['vcs', 'directory', 'archive'] as const;

function readPackages(file: InventoryFile, entries: readonly Entry[], warnings: string[]): FoundPackage[] {
  const found: FoundPackage[] = [];
  entries.forEach((entry, index) => {
    const location = `/packages/${index}`;
    const source = NOT_INDEX.find((key) => entry[key] !== undefined);
    if (source || !entry.version) {
      warnings.push(
        `${location}: ${entry.name} ${source ? `comes from a ${source}` : 'has no version'}, skipped`,
      );
      return;
    }
    const name = normalizePythonName(entry.name);
    found.push(makeLanguagePackage(file.path, { ecosystem: 'PyPI', name, version: entry.version, location }));
  });
  return found;
}

/** pylock.toml (PEP 751). */
export const pylockFormat: InventoryFormat = {
  id: 'pylock',
  description: 'Python pylock.toml (PEP 751)',
  detect(fileName) {
    return /^pylock(\.[^.\s/]+)?\.toml$/.test(fileName);
  },
  parse(file: InventoryFile): ParsedInventory {
    const lock = checkShape(file, lockShape, parseTomlInventory(file), 'pylock.toml');
    const warnings: string[] = [];
    const packages = mergeDuplicates(readPackages(file, lock.packages ?? [], warnings));
    return { format: 'pylock', asset: {}, packages, warnings };
  },
};
