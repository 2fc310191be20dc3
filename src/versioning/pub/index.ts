/**
 * Pub (Dart/Flutter): pub_semver's ordering, in which build metadata counts: 1.2.3 < 1.2.3+1 <
 * 1.2.3+2. Text is read as OSV reads it (leading "v", arbitrary precision). See readme.md.
 */
import { makeSemverFamilyScheme } from '../semver/family.js';

export const pubScheme = makeSemverFamilyScheme({
  id: 'pub',
  ecosystems: ['Pub'],
  grammar: 'lenient',
  buildCounts: true,
});
