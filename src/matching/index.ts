export { getEffectivePackage } from './effective-package.js';
export { matchPackage } from './match-package.js';
export type { AdvisoryForPackage, MatchProblem, PackageMatch } from './types.js';
