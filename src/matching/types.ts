import type { InstalledPackage, OsvRange } from '../core/types.js';

/** One advisory's entries for one package, as the matcher needs them. */
export interface AdvisoryForPackage {
  vulnerabilityId: string;
  entries: Array<{ ecosystem: string; name: string; ranges: OsvRange[]; versions: string[] }>;
}

/** What matching found for one installed package and one vulnerability. */
export interface PackageMatch {
  vulnerabilityId: string;
  /** The (ecosystem, name, version) the advisory was evaluated against: the source package for distributions that publish per source package. */
  matchedAs: { ecosystem: string; name: string; version: string };
  /** The ranges that covered the version, in OSV form (`versions` list hits are reported as null). */
  ranges: Array<OsvRange | null>;
  /** Every fixed version the advisory names for this package, ascending. */
  fixedVersions: string[];
  /** The lowest fix above the installed version on its own release line; absent when unfixed. */
  targetVersion?: string;
}

/** A package whose version or advisory could not be evaluated: reported, never silently dropped. */
export interface MatchProblem {
  package: InstalledPackage;
  vulnerabilityId?: string;
  problem: string;
}
