/** Builds a `VersionScheme` for a member of the SemVer family from a grammar and an ordering rule. */
import { InvalidVersionError } from '../errors.js';
import { makeParseCache } from '../parse-cache.js';
import type { Ordering, VersionScheme } from '../types.js';
import {
  compareSemverLike,
  formatSemverLike,
  parseSemverLike,
  type SemverGrammar,
  type SemverLike,
} from './semver-like.js';

export interface SemverFamilyOptions {
  id: string;
  ecosystems: readonly string[];
  grammar: SemverGrammar;
  /** Whether build metadata takes part in the order (Dart pub) or is ignored (SemVer §10). */
  buildCounts?: boolean;
  /** Extra acceptance rule after the grammar matched (e.g. crates.io's u64 bound). */
  accept?: (parsed: SemverLike) => boolean;
}

export interface SemverFamilyScheme extends VersionScheme {
  /** The parsed form, or `undefined` when invalid. Cached. */
  parse(version: string): SemverLike | undefined;
}

export function makeSemverFamilyScheme(options: SemverFamilyOptions): SemverFamilyScheme {
  const { id, grammar, accept } = options;
  const buildCounts = options.buildCounts ?? false;
  const cache = makeParseCache((input: string) => {
    const parsed = parseSemverLike(input, grammar);
    return parsed && (!accept || accept(parsed)) ? parsed : undefined;
  });
  const read = (version: string): SemverLike => {
    const parsed = cache.get(version);
    if (!parsed) throw new InvalidVersionError(id, version);
    return parsed;
  };
  return {
    id,
    ecosystems: options.ecosystems,
    parse: (version) => cache.get(version),
    compare: (a: string, b: string): Ordering => compareSemverLike(read(a), read(b), buildCounts),
    isValid: (version) => cache.get(version) !== undefined,
    normalize: (version) => formatSemverLike(read(version)),
  };
}
