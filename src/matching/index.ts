export { applyStoredVex } from './apply-vex.js';
export { getEffectivePackage } from './effective-package.js';
export type { MatchFleetOptions, MatchFleetResult, StageTiming } from './match-fleet.js';
export { getFindingId, matchFleet } from './match-fleet.js';
export { matchPackage } from './match-package.js';
export { type RefreshResult, refreshFindings } from './refresh.js';
export type { AdvisoryForPackage, MatchProblem, PackageMatch } from './types.js';
