import { open, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { AssetKind } from '../core/types.js';
import { DETECT_HEAD_BYTES } from './decode.js';
import { detectInventoryFormat, parseInventoryFile } from './detect.js';
import { InventoryParseError } from './errors.js';
import { withOsRelease } from './os-release.js';
import { INVENTORY_FORMATS } from './registry.js';
import type { AssetHint, AssetRecord, FoundPackage, ParsedInventory } from './types.js';

/** One asset's inventory gathered from one or more files. */
export interface AssetInventory {
  assetId: string;
  name: string;
  kind: AssetKind;
  osEcosystem?: string;
  packages: FoundPackage[];
  /**
   * The files it came from, with their format and how many of `packages` each gave: packages are
   * appended file by file, so the counts say which file each package was read from.
   */
  sources: Array<{ path: string; format: string; packages: number }>;
  configHashes?: Record<string, string>;
}

export interface CollectedInventory {
  assets: AssetInventory[];
  /** Rows of asset registries (CSV/YAML) found among the inputs. */
  registry: AssetRecord[];
  warnings: string[];
}

/** Folders never worth walking into: installed dependency trees and VCS metadata. */
const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  '.venv',
  'vendor',
  'target',
  '.patchcast',
]);
const MAX_FILES = 100_000;
/** Formats that claim files by a loose signature (any ELF binary may be a Go binary): in a tree, a miss is a warning. */
const SPECULATIVE_FORMATS = new Set(['go-binary']);

/** A stable asset id from a name: lowercase, with anything unusual turned into `-`. */
export function makeAssetId(name: string): string {
  return (
    name
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9._:@/-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'asset'
  );
}

/**
 * Reads inventories from files and directory trees. A named file must be a known format; inside a
 * directory, files no format claims are passed over. Without `assetId`, a file that names its own
 * subject (an SBOM's component, an agent report's host) is its own asset; the rest of a directory is
 * one asset named after the directory, whose os-release gives its OS packages their release.
 */
export async function collectInventory(
  paths: readonly string[],
  options: { assetId?: string } = {},
): Promise<CollectedInventory> {
  const collected: CollectedInventory = { assets: [], registry: [], warnings: [] };
  const byId = new Map<string, AssetInventory>();
  const namedBy = new Map<string, string>();
  for (const path of paths) {
    const root = resolve(path);
    const info = await stat(root).catch(() => undefined);
    if (!info) throw new InventoryParseError(path, undefined, 'no such file or directory');
    const parsed = info.isDirectory()
      ? await parseTree(root, collected.warnings)
      : [{ path: root, inventory: await parseInventoryFile(root) }];
    const groupName = options.assetId ?? basename(info.isDirectory() ? root : resolve(root, '..'));
    addGroup(collected, { byId, namedBy }, parsed, groupName, options.assetId !== undefined);
  }
  collected.assets = [...byId.values()];
  return collected;
}

async function parseTree(
  root: string,
  warnings: string[],
): Promise<Array<{ path: string; inventory: ParsedInventory }>> {
  const out: Array<{ path: string; inventory: ParsedInventory }> = [];
  let seen = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) await walk(path);
        continue;
      }
      if (!entry.isFile() || ++seen > MAX_FILES) continue;
      const head = await readHead(path);
      if (!INVENTORY_FORMATS.some((f) => f.detect(entry.name, head))) continue;
      const format = detectInventoryFormat(path, head);
      try {
        out.push({ path, inventory: await parseInventoryFile(path) });
      } catch (error) {
        if (!SPECULATIVE_FORMATS.has(format.id) || !(error instanceof InventoryParseError)) throw error;
        warnings.push(`${path}: not read as ${format.id}: ${error.message}`);
      }
    }
  };
  await walk(root);
  return out;
}

async function readHead(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(DETECT_HEAD_BYTES), 0, DETECT_HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Assets by id, and which file first named each asset as its own subject (an SBOM's image:tag). */
interface AssetIndex {
  byId: Map<string, AssetInventory>;
  namedBy: Map<string, string>;
}

function addGroup(
  collected: CollectedInventory,
  { byId, namedBy }: AssetIndex,
  parsed: Array<{ path: string; inventory: ParsedInventory }>,
  groupName: string,
  forced: boolean,
): void {
  const osEcosystem = parsed.find((p) => p.inventory.asset.osEcosystem && p.inventory.packages.length === 0)
    ?.inventory.asset.osEcosystem;
  for (const { path, inventory } of parsed) {
    collected.warnings.push(...inventory.warnings.map((w) => `${path}: ${w}`));
    if (inventory.assets) {
      collected.registry.push(...inventory.assets);
      continue;
    }
    const ownName = !forced && hasOwnSubject(inventory.asset) ? inventory.asset.name : undefined;
    const name = ownName ?? groupName;
    const asset = getOrAddAsset(byId, name, inventory.asset, ownName ? inventory.asset.kind : undefined);
    if (ownName) warnIfNamedTwice(collected, namedBy, asset.assetId, path);
    const release = inventory.asset.osEcosystem ?? osEcosystem;
    if (release) asset.osEcosystem ??= release;
    for (const pkg of inventory.packages)
      asset.packages.push({ ...pkg, ecosystem: withOsRelease(pkg.ecosystem, asset.osEcosystem) });
    asset.sources.push({ path, format: inventory.format, packages: inventory.packages.length });
    if (inventory.asset.configHashes)
      asset.configHashes = { ...asset.configHashes, ...inventory.asset.configHashes };
  }
}

/** Two files naming the same subject (image:tag, host) merge into one asset: said, never silent. */
function warnIfNamedTwice(
  collected: CollectedInventory,
  namedBy: Map<string, string>,
  assetId: string,
  path: string,
): void {
  const first = namedBy.get(assetId);
  if (first === undefined) namedBy.set(assetId, path);
  else
    collected.warnings.push(
      `${path} and ${first} both name asset ${assetId}: their packages were merged into one asset (import one of them alone with --asset ID to keep them apart)`,
    );
}

function hasOwnSubject(hint: AssetHint): hint is AssetHint & { name: string } {
  return typeof hint.name === 'string' && hint.name.trim() !== '';
}

function getOrAddAsset(
  byId: Map<string, AssetInventory>,
  name: string,
  hint: AssetHint,
  kind: AssetKind | undefined,
): AssetInventory {
  const id = makeAssetId(name);
  let asset = byId.get(id);
  if (!asset) {
    asset = {
      assetId: id,
      name,
      kind: kind ?? (hint.osEcosystem ? 'host' : 'application'),
      packages: [],
      sources: [],
    };
    byId.set(id, asset);
  }
  return asset;
}
