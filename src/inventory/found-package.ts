/**
 * Builds `FoundPackage`s for the lockfile and manifest formats of the JVM, .NET, Ruby, PHP, Dart, Swift,
 * CocoaPods, Conan and Elixir ecosystems, with purls from `makePurl`, and the small text checks those
 * formats share (field lengths, line positions).
 */
import { InventoryParseError } from './errors.js';
import { makePurl } from './purl.js';
import type { FoundPackage } from './types.js';

/** The OSV ecosystems these formats produce. */
export type LockfileEcosystem =
  | 'Maven'
  | 'NuGet'
  | 'RubyGems'
  | 'Packagist'
  | 'Pub'
  | 'SwiftURL'
  | 'CocoaPods'
  | 'ConanCenter'
  | 'Hex';

/** Longest package name or version accepted; longer ones are hostile or corrupt input. */
export const MAX_FIELD_LENGTH = 1024;

/** What a format knows about one package. */
export interface FoundPackageInput {
  ecosystem: LockfileEcosystem;
  name: string;
  version: string;
  location?: string;
  direct?: boolean;
  dev?: boolean;
}

/** A FoundPackage with its purl; optional facts are set only when known. */
export function makeFoundPackage(input: FoundPackageInput): FoundPackage {
  return toFoundPackage(input, makePurl(input.ecosystem, input.name, input.version));
}

/**
 * The FoundPackage of what a format knows (any ecosystem), with `purl` when there is one; optional
 * facts are set only when known, so results compare equal whatever the format left out.
 */
export function toFoundPackage(input: Omit<FoundPackage, 'purl'>, purl: string | undefined): FoundPackage {
  const found: FoundPackage = { ecosystem: input.ecosystem, name: input.name, version: input.version };
  if (purl) found.purl = purl;
  if (input.location !== undefined) found.location = input.location;
  if (input.direct !== undefined) found.direct = input.direct;
  if (input.dev !== undefined) found.dev = input.dev;
  return found;
}

/**
 * Throws when a name or version is empty or longer than `MAX_FIELD_LENGTH`, so a corrupt file never
 * yields a nameless package or a megabyte-long "package name".
 */
export function assertField(path: string, position: string, what: string, value: string): void {
  if (value.trim() === '') throw new InventoryParseError(path, position, `${what} is empty`);
  if (value.length <= MAX_FIELD_LENGTH) return;
  throw new InventoryParseError(
    path,
    position,
    `${what} is ${value.length} characters long, over the ${MAX_FIELD_LENGTH} limit`,
    'The file is corrupt or not a lockfile of this format.',
  );
}

/** The lines of a text file without their line terminators (`\n` or `\r\n`). */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** The base name of a path (the contract passes base names; this tolerates full paths). */
export function getBaseName(fileName: string): string {
  const slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
  return slash === -1 ? fileName : fileName.slice(slash + 1);
}

/** Drops repeats of the same name and version, keeping the first (and its location and facts). */
export function dedupeFoundPackages(packages: readonly FoundPackage[]): FoundPackage[] {
  const seen = new Set<string>();
  return packages.filter((pkg) => {
    const key = `${pkg.name}\u0000${pkg.version}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
