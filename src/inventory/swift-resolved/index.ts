/**
 * Swift Package Manager's Package.resolved (versions 1, 2 and 3): the pinned source-control packages,
 * named by repository URL as OSV's SwiftURL ecosystem names them. See readme.md.
 */
import { z } from 'zod';
import { InventoryParseError } from '../errors.js';
import { assertField, getBaseName, makeFoundPackage } from '../found-package.js';
import { checkShape, parseJsonInventory, toPointer } from '../lockfile-reader.js';
import type { FoundPackage, InventoryFile, InventoryFormat, ParsedInventory } from '../types.js';

const state = z.looseObject({ version: z.string().nullish(), branch: z.string().nullish() });
const pinV1 = z.looseObject({ package: z.string().optional(), repositoryURL: z.string(), state });
const pinV2 = z.looseObject({
  identity: z.string(),
  kind: z.string().optional(),
  location: z.string(),
  state,
});
const v1Shape = z.looseObject({ version: z.literal(1), object: z.looseObject({ pins: z.array(pinV1) }) });
const v2Shape = z.looseObject({ version: z.number().int().min(2), pins: z.array(pinV2) });
const anyShape = z.looseObject({ version: z.number().int().min(1) });

interface Pin {
  url: string;
  kind: string;
  version?: string | null | undefined;
  branch?: string | null | undefined;
}

/**
 * The SwiftURL name of a repository URL: scheme, user and `.git` dropped, scp-style `host:path` made
 * `host/path` — `https://github.com/apple/swift-nio.git` and `git@github.com:apple/swift-nio` both give
 * `github.com/apple/swift-nio`.
 */
export function getSwiftUrlName(url: string): string {
  let name = url.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  name = name.replace(/^[^@/]+@/, '');
  name = name.replace(/^([^/:]+):(?!\d+\/)/, '$1/');
  return name.replace(/\/+$/, '').replace(/\.git$/, '');
}

function readPins(file: InventoryFile, value: unknown): Pin[] {
  const { version } = checkShape(file, anyShape, value, 'Package.resolved');
  if (version === 1) {
    const lock = checkShape(file, v1Shape, value, 'Package.resolved (version 1)');
    return lock.object.pins.map((p) => ({ url: p.repositoryURL, kind: 'remoteSourceControl', ...p.state }));
  }
  const lock = checkShape(file, v2Shape, value, `Package.resolved (version ${version})`);
  return lock.pins.map((p) => ({ url: p.location, kind: p.kind ?? 'remoteSourceControl', ...p.state }));
}

function readPin(
  file: InventoryFile,
  pin: Pin,
  location: string,
  warnings: string[],
): FoundPackage | undefined {
  if (pin.kind !== 'remoteSourceControl') {
    warnings.push(
      `${file.path}:${location}: skipped ${pin.kind} pin ${pin.url} (SwiftURL names only repositories)`,
    );
    return undefined;
  }
  if (!pin.version) {
    const how = pin.branch ? `branch ${pin.branch}` : 'a revision';
    warnings.push(`${file.path}:${location}: skipped ${pin.url}, pinned to ${how} without a version`);
    return undefined;
  }
  const name = getSwiftUrlName(pin.url);
  if (!name) throw new InventoryParseError(file.path, location, 'pin has an empty repository URL');
  assertField(file.path, location, 'repository URL', name);
  assertField(file.path, location, 'version', pin.version);
  return makeFoundPackage({ ecosystem: 'SwiftURL', name, version: pin.version, location });
}

/** Package.resolved → SwiftURL packages for version-pinned repositories. */
export const swiftResolvedFormat: InventoryFormat = {
  id: 'swift-resolved',
  description: 'Swift Package Manager Package.resolved (versions 1–3)',
  detect: (fileName) => getBaseName(fileName) === 'Package.resolved',
  parse(file: InventoryFile): ParsedInventory {
    const value = parseJsonInventory(file);
    const pins = readPins(file, value);
    const isV1 = (value as { version: number }).version === 1;
    const warnings: string[] = [];
    const packages: FoundPackage[] = [];
    pins.forEach((pin, index) => {
      const location = toPointer(isV1 ? ['object', 'pins', index] : ['pins', index]);
      const found = readPin(file, pin, location, warnings);
      if (found) packages.push(found);
    });
    return { format: 'swift-resolved', asset: {}, packages, warnings };
  },
};
