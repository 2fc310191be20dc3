/**
 * The versioning contract. Every scheme (a folder named by its id) implements `VersionScheme`;
 * `registry.ts` maps scheme ids to implementations and OSV ecosystem names to schemes.
 */

/** Sign of a comparison: negative, equal precedence, positive. */
export type Ordering = -1 | 0 | 1;

export interface VersionScheme {
  /** The scheme's id, equal to its folder name (e.g. `dpkg`, `pep440`). */
  readonly id: string;
  /** OSV ecosystem names this scheme orders, spelled as OSV spells them (e.g. `Debian`, `Ubuntu`). */
  readonly ecosystems: readonly string[];
  /** Total order on valid versions. Throws `InvalidVersionError` when either side is invalid. */
  compare(a: string, b: string): Ordering;
  /** Whether `version` is a valid version in this scheme. Never throws. */
  isValid(version: string): boolean;
  /** Canonical string form of a valid version (e.g. PEP 440 normalisation). Throws `InvalidVersionError`. */
  normalize?(version: string): string;
  /**
   * Whether `version` satisfies `range` in the ecosystem's native range syntax (npm range, PEP 440
   * specifier set, Maven range, NuGet range, Gem::Requirement, composer constraint). Present only for
   * ecosystems with a native range syntax. Throws `InvalidVersionError` / `InvalidRangeError`.
   */
  matches?(version: string, range: string): boolean;
}
