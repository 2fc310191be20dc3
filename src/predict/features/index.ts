export {
  type AsOfContext,
  EPSS_MAX_AGE_DAYS,
  getLabels,
  getPopulation,
  makeAsOfContext,
  pickEpss,
  type VendorKev,
} from './as-of-context.js';
export {
  CWE_INDICATORS,
  countAtMost,
  type FeatureExtractor,
  featuresAsOf,
  featuresAsOfBatch,
  getFeatureNames,
  getTopVendor,
  makeFeatureExtractor,
  pickCvss,
} from './features-as-of.js';
export { getPhraseMasks, hasPhrase, PHRASES } from './phrases.js';
export {
  type Encoders,
  type FeatureGroup,
  getVocabularySlots,
  learnVocabulary,
  SNAPSHOT_GROUPS,
  type VocabularyOptions,
} from './vocabulary.js';
