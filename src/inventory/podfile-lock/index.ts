/**
 * CocoaPods' Podfile.lock: the `PODS` list of installed pods and subspecs with their versions, and the
 * Podfile's own `DEPENDENCIES`. See readme.md.
 */
import { z } from 'zod';
import { InventoryParseError } from '../errors.js';
import { assertField, getBaseName, makeFoundPackage } from '../found-package.js';
import { checkShape, parseYamlInventory, toPointer } from '../lockfile-reader.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

const podEntry = z.union([z.string(), z.record(z.string(), z.array(z.string()).nullable())]);
const lockShape = z.looseObject({
  PODS: z.array(podEntry),
  DEPENDENCIES: z.array(z.string()).nullish(),
});

/** `AppCenter/Analytics (4.2.0)` → pod `AppCenter`, version `4.2.0`. */
function parsePodLine(file: InventoryFile, line: string, location: string): { pod: string; version: string } {
  const match = /^\s*([^\s(]+)\s+\(([^()]+)\)\s*$/.exec(line);
  if (!match)
    throw new InventoryParseError(
      file.path,
      location,
      `pod entry "${line.slice(0, 80)}" is not "Name (version)"`,
    );
  const pod = getPodName(match[1] as string);
  const version = (match[2] as string).trim();
  assertField(file.path, location, 'pod name', pod);
  assertField(file.path, location, 'version', version);
  return { pod, version };
}

/** The pod a (sub)spec belongs to: `Firebase/Analytics` → `Firebase`. */
export function getPodName(spec: string): string {
  const slash = spec.indexOf('/');
  return slash === -1 ? spec : spec.slice(0, slash);
}

/** Pod names the Podfile asks for: `AppCenter/Core (~> 4.0)`, `Alamofire (from \`…\`)` → their pods. */
function directPods(dependencies: readonly string[]): Set<string> {
  return new Set(dependencies.map((line) => getPodName(line.trim().split(/\s+/)[0] ?? '')));
}

function readPods(
  file: InventoryFile,
  pods: z.infer<typeof lockShape>['PODS'],
  direct: Set<string>,
): FoundPackage[] {
  const byId = new Map<string, FoundPackage>();
  pods.forEach((entry, index) => {
    const location = toPointer(['PODS', index]);
    const lines = typeof entry === 'string' ? [entry] : Object.keys(entry);
    for (const line of lines) {
      const { pod, version } = parsePodLine(file, line, location);
      // Subspecs are parts of one pod at one version: report the pod once.
      if (byId.has(`${pod}@${version}`)) continue;
      const found = makeFoundPackage({ ecosystem: 'CocoaPods', name: pod, version, location });
      if (direct.size > 0) found.direct = direct.has(pod);
      byId.set(`${pod}@${version}`, found);
    }
  });
  return [...byId.values()];
}

/** Podfile.lock → CocoaPods packages (subspecs folded into their pod). */
export const podfileLockFormat: InventoryFormat = {
  id: 'podfile-lock',
  description: 'CocoaPods Podfile.lock',
  detect: (fileName) => getBaseName(fileName) === 'Podfile.lock',
  parse(file: InventoryFile): ParsedInventory {
    const lock = checkShape(file, lockShape, parseYamlInventory(file), 'Podfile.lock');
    const packages = readPods(file, lock.PODS, directPods(lock.DEPENDENCIES ?? []));
    return { format: 'podfile-lock', asset: {}, packages, warnings: [] };
  },
};
