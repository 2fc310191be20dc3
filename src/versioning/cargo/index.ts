/**
 * crates.io: Cargo's `semver` crate. Strict SemVer 2.0.0 (three numbers, no leading zeros, no "v"),
 * numbers bounded to u64, build metadata ignored for precedence. See readme.md.
 */
import { makeSemverFamilyScheme } from '../semver/family.js';

const U64_MAX = '18446744073709551615';

export const cargoScheme = makeSemverFamilyScheme({
  id: 'cargo',
  ecosystems: ['crates.io'],
  grammar: 'strict',
  accept: (v) =>
    v.release.every((n) => n.length < U64_MAX.length || (n.length === U64_MAX.length && n <= U64_MAX)),
});
