/**
 * .NET's `<app>.deps.json`, written next to a built application: its `libraries` keyed `Name/Version`,
 * of which the NuGet packages (and the runtime pack of a self-contained app) are reported. See readme.md.
 */
import { z } from 'zod';
import { InventoryParseError } from '../errors.js';
import { assertField, getBaseName, makeFoundPackage } from '../found-package.js';
import { checkShape, parseJsonInventory, toPointer } from '../lockfile-reader.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

const targetLib = z.looseObject({
  dependencies: z.record(z.string(), z.string()).optional(),
  runtime: z.unknown().optional(),
  runtimeTargets: z.unknown().optional(),
  native: z.unknown().optional(),
});
const depsShape = z.looseObject({
  runtimeTarget: z.looseObject({ name: z.string().optional() }).optional(),
  targets: z.record(z.string(), z.record(z.string(), targetLib)).optional(),
  libraries: z.record(z.string(), z.looseObject({ type: z.string() })),
});

type TargetLib = z.infer<typeof targetLib>;
type DepsFile = z.infer<typeof depsShape>;

/** The .NET SDK names a self-contained app's bundled runtime `runtimepack.<runtime package>`. */
const RUNTIME_PACK_PREFIX = 'runtimepack.';

function hasAssets(lib: TargetLib | undefined): boolean {
  const filled = (value: unknown) =>
    typeof value === 'object' && value !== null && Object.keys(value).length > 0;
  return lib === undefined || filled(lib.runtime) || filled(lib.runtimeTargets) || filled(lib.native);
}

/** `Name/Version` keys the project libraries of the runtime target depend on. */
function directKeys(target: Record<string, TargetLib>, projects: Set<string>): Set<string> {
  const keys = new Set<string>();
  for (const key of projects) {
    for (const [name, version] of Object.entries(target[key]?.dependencies ?? {}))
      keys.add(`${name}/${version}`);
  }
  return keys;
}

function splitKey(file: InventoryFile, key: string): [string, string] {
  const slash = key.indexOf('/');
  if (slash <= 0 || slash === key.length - 1) {
    throw new InventoryParseError(
      file.path,
      toPointer(['libraries', key]),
      `library key is not Name/Version`,
    );
  }
  return [key.slice(0, slash), key.slice(slash + 1)];
}

function readLibraries(file: InventoryFile, deps: DepsFile, warnings: string[]): FoundPackage[] {
  const target = deps.targets?.[deps.runtimeTarget?.name ?? ''];
  const libraries = Object.entries(deps.libraries);
  const projects = new Set(
    libraries.filter(([, lib]) => lib.type.toLowerCase() === 'project').map(([key]) => key),
  );
  const direct = target ? directKeys(target, projects) : new Set<string>();
  const packages: FoundPackage[] = [];
  const buildOnly: string[] = [];
  for (const [key, lib] of libraries) {
    const type = lib.type.toLowerCase();
    if (type !== 'package' && type !== 'runtimepack') continue;
    const location = toPointer(['libraries', key]);
    assertField(file.path, location, 'library key', key);
    // Without runtime assets in the app's runtime target a package is build-time only (metapackages, analyzers).
    if (target && !hasAssets(target[key])) {
      buildOnly.push(key);
      continue;
    }
    const [rawName, version] = splitKey(file, key);
    const name = rawName.startsWith(RUNTIME_PACK_PREFIX)
      ? rawName.slice(RUNTIME_PACK_PREFIX.length)
      : rawName;
    const found = makeFoundPackage({ ecosystem: 'NuGet', name, version, location });
    if (direct.size > 0) found.direct = direct.has(key);
    packages.push(found);
  }
  if (buildOnly.length > 0) {
    warnings.push(
      `${file.path}: skipped ${buildOnly.length} package(s) with no runtime assets: ${buildOnly.join(', ')}`,
    );
  }
  return packages;
}

/** *.deps.json → NuGet packages the app loads at run time; direct when a project of the app references them. */
export const dotnetDepsFormat: InventoryFormat = {
  id: 'dotnet-deps',
  description: '.NET application dependency manifest (*.deps.json)',
  detect: (fileName) => getBaseName(fileName).endsWith('.deps.json'),
  parse(file: InventoryFile): ParsedInventory {
    const deps = checkShape(file, depsShape, parseJsonInventory(file), '.deps.json file');
    const warnings: string[] = [];
    const packages = readLibraries(file, deps, warnings);
    return { format: 'dotnet-deps', asset: {}, packages, warnings };
  },
};
