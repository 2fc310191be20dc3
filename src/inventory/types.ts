/**
 * The inventory contract. Every format (a folder named by its id) implements `InventoryFormat`;
 * `registry.ts` maps ids to implementations. A format turns one file into packages named as their
 * ecosystem names them, with purls, so matching can look them up in OSV.
 */
import type { Asset, AssetKind, InstalledPackage } from '../core/types.js';

/** One input file. `content` is the raw bytes; formats decode as their spec says (UTF-8 almost always). */
export interface InventoryFile {
  /** The path as the user gave it, used in error messages. */
  path: string;
  content: Buffer;
}

/** What a file says about the asset it describes (an SBOM's subject, an os-release, an image name). */
export interface AssetHint {
  name?: string;
  kind?: AssetKind;
  version?: string;
  /** OSV ecosystem of the OS packages, with release: `Debian:12`, `Ubuntu:22.04:LTS`, `Alpine:v3.20`, `Red Hat`, `AlmaLinux:9`. */
  osEcosystem?: string;
  /** Config file hashes reported by an agent, for drift. */
  configHashes?: Record<string, string>;
}

/** A package as found: `ecosystem` is the OSV ecosystem (for OS packages without release until merged with os-release). */
export interface FoundPackage extends InstalledPackage {
  /** Where in the file it came from (line or JSON pointer), for explanations. */
  location?: string;
  /** Direct dependency of the project, when the format says so. */
  direct?: boolean;
  /** Development-only dependency, when the format says so. */
  dev?: boolean;
}

export interface ParsedInventory {
  /** The format id that read it. */
  format: string;
  asset: AssetHint;
  packages: FoundPackage[];
  /** Non-fatal remarks: skipped entries, unknown purl types… named with their position. */
  warnings: string[];
  /** Assets described by an asset registry (CSV/YAML); formats that describe one asset leave it out. */
  assets?: AssetRecord[];
}

/**
 * One row of an asset registry, validated; the store upserts it by `id`. It holds the `Asset` fields a
 * registry row can state: all but the name, the OS ecosystem and the timestamps.
 */
export interface AssetRecord extends Omit<Asset, 'name' | 'osEcosystem' | 'createdAt' | 'updatedAt'> {
  /** Where the row was read, e.g. `line 4`, for explanations. */
  location: string;
}

export interface InventoryFormat {
  /** The format's id, equal to its folder name (e.g. `dpkg-status`, `cyclonedx`, `package-lock`). */
  readonly id: string;
  /** One line for `patchcast inventory formats`. */
  readonly description: string;
  /**
   * Whether this format reads the file, judged by its base name and first bytes (no full parse).
   * Detection must be specific: two formats never claim the same file.
   */
  detect(fileName: string, head: string): boolean;
  /**
   * Parses the file. Throws `InventoryParseError` naming the file and the position (line, or JSON
   * path) on malformed, truncated, oversized or hostile input; never returns a partial result silently.
   */
  parse(file: InventoryFile): ParsedInventory;
}
