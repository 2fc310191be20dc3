/**
 * OSV's `SEMVER` range type: SemVer 2.0.0 precedence over a lenient reading of the text (a leading
 * "v", leading zeros, arbitrary-precision numbers, more than three numbers, a pre-release glued to
 * the numbers). See readme.md.
 */
import { makeSemverFamilyScheme } from './family.js';

export const semverScheme = makeSemverFamilyScheme({
  id: 'semver',
  // OSV ecosystems whose records use SEMVER ranges and have no scheme of their own here.
  ecosystems: ['Bitnami', 'GitHub Actions', 'SwiftURL'],
  grammar: 'lenient',
});
