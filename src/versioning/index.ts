/**
 * patchcast/versioning: version order and ranges per OSV ecosystem, OSV `affected` evaluation and
 * purl `vers:` ranges. See readme.md.
 */
export { getEcosystemBase, getVersionScheme, getVersionSchemeById, listEcosystems } from './ecosystems.js';
export { InvalidRangeError, InvalidVersionError, UnknownEcosystemError } from './errors.js';
export { getHighestVersion, getLowestVersion } from './highest.js';
export {
  type AffectedMatch,
  evaluateAffected,
  isAffected,
  type OsvAffected,
  type OsvEvent,
  type OsvPackage,
  type OsvRange,
  type OsvRecordLike,
} from './osv-affected.js';
export { versionSchemes } from './registry.js';
export type { Ordering, VersionScheme } from './types.js';
export {
  formatVers,
  getVersScheme,
  normalizeVers,
  parseVers,
  VERS_TYPES,
  type VersComparator,
  type VersConstraint,
  type VersParseMode,
  type VersRange,
} from './vers.js';
export { versFromNative } from './vers-native.js';
