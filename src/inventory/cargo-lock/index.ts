/**
 * Cargo.lock (format versions 1 to 4): `[[package]]` with name, version, source and dependencies.
 * Registry crates are reported; workspace members (no source) give the direct dependencies. See
 * readme.md.
 */
import { z } from 'zod';
import { makeLanguagePackage, mergeDuplicates } from '../language-package.js';
import { checkShape, parseTomlInventory } from '../lockfile-reader.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

const packageShape = z.looseObject({
  name: z.string().min(1),
  version: z.string().min(1),
  source: z.string().optional(),
  dependencies: z.array(z.string()).optional(),
});
const lockShape = z.looseObject({
  version: z.number().int().min(1).max(4).optional(),
  package: z.array(packageShape).optional(),
});

type Entry = z.infer<typeof packageShape>;

// `registry+URL` (git index) and `sparse+URL` (HTTP index) are registries; `git+URL` is a repository.
const isRegistry = (source: string) => source.startsWith('registry+') || source.startsWith('sparse+');

/**
 * Dependency references of the workspace members: `name`, `name version` or
 * `name version (source)` (Cargo writes the version only when the name is ambiguous).
 */
function getDirect(entries: readonly Entry[]): { names: Set<string>; ids: Set<string> } {
  const names = new Set<string>();
  const ids = new Set<string>();
  for (const member of entries.filter((e) => e.source === undefined)) {
    for (const ref of member.dependencies ?? []) {
      const [name = '', version] = ref.split(' ');
      if (version) ids.add(`${name}@${version}`);
      else names.add(name);
    }
  }
  return { names, ids };
}

function readPackages(file: InventoryFile, entries: readonly Entry[], warnings: string[]): FoundPackage[] {
  const direct = getDirect(entries);
  const hasMembers = entries.some((e) => e.source === undefined);
  const found: FoundPackage[] = [];
  entries.forEach((entry, index) => {
    const location = `/package/${index}`;
    // No source: a workspace member or path dependency, i.e. the project's own code.
    if (entry.source === undefined) return;
    if (!isRegistry(entry.source)) {
      warnings.push(
        `${location}: ${entry.name} comes from ${entry.source.split('?')[0]}, not a registry, skipped`,
      );
      return;
    }
    const isDirect = direct.ids.has(`${entry.name}@${entry.version}`) || direct.names.has(entry.name);
    const facts = { location, ...(hasMembers ? { direct: isDirect } : {}) };
    found.push(
      makeLanguagePackage(file.path, {
        ecosystem: 'crates.io',
        name: entry.name,
        version: entry.version,
        ...facts,
      }),
    );
  });
  return found;
}

/** Cargo.lock. */
export const cargoLockFormat: InventoryFormat = {
  id: 'cargo-lock',
  description: 'Rust Cargo.lock (format versions 1–4)',
  detect(fileName) {
    return fileName === 'Cargo.lock';
  },
  parse(file: InventoryFile): ParsedInventory {
    const lock = checkShape(file, lockShape, parseTomlInventory(file), 'Cargo.lock');
    const warnings: string[] = [];
    const packages = mergeDuplicates(readPackages(file, lock.package ?? [], warnings));
    return { format: 'cargo-lock', asset: {}, packages, warnings };
  },
};
