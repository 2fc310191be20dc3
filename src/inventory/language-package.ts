/**
 * Builds `FoundPackage`s for the language ecosystems the lockfile formats read (npm, PyPI, Go,
 * crates.io), with their purls from `purl.ts`.
 */
import { assertField, toFoundPackage } from './found-package.js';
import { makePurl, normalizePypiName } from './purl.js';
import type { FoundPackage } from './types.js';

/** The language ecosystems these formats produce, as OSV names them. */
export type LanguageEcosystem = 'npm' | 'PyPI' | 'Go' | 'crates.io';

/** What a format knows about one package. */
export interface LanguagePackageInput {
  ecosystem: LanguageEcosystem;
  name: string;
  version: string;
  location?: string;
  direct?: boolean;
  dev?: boolean;
}

/** PEP 503 normalised name: lower case, runs of `-`, `_` and `.` become one `-`. */
export const normalizePythonName = normalizePypiName;

/** The purl of a language package (via `purl.ts`), with the `v` Go puts before its versions. */
export function getLanguagePurl(
  ecosystem: LanguageEcosystem,
  name: string,
  version: string,
): string | undefined {
  const purlVersion = ecosystem === 'Go' && /^\d/.test(version) ? `v${version}` : version;
  return makePurl(ecosystem, name, purlVersion);
}

/**
 * A FoundPackage with its purl; optional facts are set only when known. Throws when the name or version
 * is longer than `MAX_FIELD_LENGTH` (a corrupt or hostile file), naming `path` and the location.
 */
export function makeLanguagePackage(path: string, input: LanguagePackageInput): FoundPackage {
  assertField(path, input.location ?? '', 'package name', input.name);
  assertField(path, input.location ?? '', 'version', input.version);
  return toFoundPackage(input, getLanguagePurl(input.ecosystem, input.name, input.version));
}

/**
 * One package per `name@version`, keeping the first location. When repeats disagree, the package is
 * direct if any repeat is, and dev only if every repeat is (a production path wins).
 */
export function mergeDuplicates(packages: readonly FoundPackage[]): FoundPackage[] {
  const byId = new Map<string, FoundPackage>();
  for (const pkg of packages) {
    const id = `${pkg.name}@${pkg.version}`;
    const seen = byId.get(id);
    if (!seen) {
      byId.set(id, { ...pkg });
      continue;
    }
    if (pkg.direct) seen.direct = true;
    if (pkg.dev === false) seen.dev = false;
  }
  return [...byId.values()];
}
