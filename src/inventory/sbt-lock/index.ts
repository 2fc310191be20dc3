/**
 * sbt-dependency-lock's build.sbt.lock (lock format 1): every resolved module with the sbt
 * configurations it is used in. Scala and Java modules are Maven artifacts. See readme.md.
 */
import { z } from 'zod';
import { assertField, getBaseName, makeFoundPackage } from '../found-package.js';
import { checkShape, parseJsonInventory, toPointer } from '../lockfile-reader.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

const dependency = z.looseObject({
  org: z.string().min(1),
  name: z.string().min(1),
  version: z.string().min(1),
  configurations: z.array(z.string()).optional(),
});
const lockShape = z.looseObject({ lockVersion: z.number().int(), dependencies: z.array(dependency) });

/** Configurations whose modules are on the class path at run time (compile scope and its kin). */
const RUNTIME_CONFIGURATIONS = new Set(['compile', 'runtime', 'provided', 'optional', 'default']);

function toPackage(file: InventoryFile, item: z.infer<typeof dependency>, index: number): FoundPackage {
  const location = toPointer(['dependencies', index]);
  const name = `${item.org}:${item.name}`;
  assertField(file.path, location, 'module name', name);
  assertField(file.path, location, 'version', item.version);
  const configurations = item.configurations ?? [];
  // Modules only in test (or tool) configurations never ship with the application.
  const dev = configurations.length > 0 && !configurations.some((c) => RUNTIME_CONFIGURATIONS.has(c));
  return makeFoundPackage({ ecosystem: 'Maven', name, version: item.version, location, dev });
}

/** build.sbt.lock → Maven packages `org:name`; test-only modules marked dev. */
export const sbtLockFormat: InventoryFormat = {
  id: 'sbt-lock',
  description: 'sbt-dependency-lock build.sbt.lock',
  detect: (fileName) => getBaseName(fileName).endsWith('.sbt.lock'),
  parse(file: InventoryFile): ParsedInventory {
    const lock = checkShape(file, lockShape, parseJsonInventory(file), 'sbt lock file');
    const warnings =
      lock.lockVersion === 1
        ? []
        : [`${file.path}:/lockVersion: lock format ${lock.lockVersion} is not 1; read as 1`];
    const packages = lock.dependencies.map((item, index) => toPackage(file, item, index));
    return { format: 'sbt-lock', asset: {}, packages, warnings };
  },
};
