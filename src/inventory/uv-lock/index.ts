/**
 * uv's uv.lock (TOML, `version = 1`): `[[package]]` entries with their `source`. Registry packages are
 * reported; the project's own (editable/virtual) packages give the direct and dev roots. See readme.md.
 */
import { z } from 'zod';
import { makeLanguagePackage, mergeDuplicates, normalizePythonName } from '../language-package.js';
import { checkShape, parseTomlInventory } from '../lockfile-reader.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

const depList = z.array(z.looseObject({ name: z.string() })).optional();
const packageShape = z.looseObject({
  name: z.string().min(1),
  version: z.string().min(1).optional(),
  source: z.record(z.string(), z.unknown()).optional(),
  dependencies: depList,
  'optional-dependencies': z.record(z.string(), depList).optional(),
  'dev-dependencies': z.record(z.string(), depList).optional(),
});
const lockShape = z.looseObject({ version: z.number(), package: z.array(packageShape).optional() });

type Entry = z.infer<typeof packageShape>;

/** The project itself (and workspace members): sources `editable` or `virtual`. */
const isProject = (entry: Entry) =>
  entry.source !== undefined && ('editable' in entry.source || 'virtual' in entry.source);
const depNames = (deps: z.infer<typeof depList>) => (deps ?? []).map((d) => normalizePythonName(d.name));

/** Names reachable from the roots through `dependencies` (and optional ones). */
function walk(byName: Map<string, Entry[]>, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...roots];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    if (seen.has(name)) continue;
    seen.add(name);
    for (const entry of byName.get(name) ?? []) {
      queue.push(...depNames(entry.dependencies));
      for (const deps of Object.values(entry['optional-dependencies'] ?? {})) queue.push(...depNames(deps));
    }
  }
  return seen;
}

function getRoles(entries: readonly Entry[]) {
  const byName = new Map<string, Entry[]>();
  for (const entry of entries) {
    const name = normalizePythonName(entry.name);
    byName.set(name, [...(byName.get(name) ?? []), entry]);
  }
  const projects = entries.filter(isProject);
  const prodRoots = projects.flatMap((p) => [
    ...depNames(p.dependencies),
    ...Object.values(p['optional-dependencies'] ?? {}).flatMap(depNames),
  ]);
  const devRoots = projects.flatMap((p) => Object.values(p['dev-dependencies'] ?? {}).flatMap(depNames));
  return {
    direct: new Set([...prodRoots, ...devRoots]),
    prod: walk(byName, prodRoots),
    dev: walk(byName, devRoots),
  };
}

function readPackages(file: InventoryFile, entries: readonly Entry[], warnings: string[]): FoundPackage[] {
  const roles = getRoles(entries);
  const hasProject = entries.some(isProject);
  const found: FoundPackage[] = [];
  entries.forEach((entry, index) => {
    const location = `/package/${index}`;
    if (isProject(entry)) return;
    if (!entry.source || !('registry' in entry.source) || !entry.version) {
      const kind = Object.keys(entry.source ?? {})[0] ?? 'unknown';
      warnings.push(`${location}: ${entry.name} comes from a ${kind} source, skipped`);
      return;
    }
    const name = normalizePythonName(entry.name);
    const dev = !hasProject
      ? undefined
      : roles.prod.has(name)
        ? false
        : roles.dev.has(name)
          ? true
          : undefined;
    const direct = hasProject ? roles.direct.has(name) : undefined;
    found.push(
      makeLanguagePackage(file.path, {
        ecosystem: 'PyPI',
        name,
        version: entry.version,
        location,
        direct,
        dev,
      }),
    );
  });
  return found;
}

/** uv.lock. */
export const uvLockFormat: InventoryFormat = {
  id: 'uv-lock',
  description: 'uv (Astral) lockfile uv.lock',
  detect(fileName) {
    return fileName === 'uv.lock';
  },
  parse(file: InventoryFile): ParsedInventory {
    const lock = checkShape(file, lockShape, parseTomlInventory(file), 'uv.lock');
    const warnings: string[] = [];
    const packages = mergeDuplicates(readPackages(file, lock.package ?? [], warnings));
    return { format: 'uv-lock', asset: {}, packages, warnings };
  },
};
