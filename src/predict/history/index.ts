export { type HistoryBuilder, makeHistoryBuilder } from './build-history.js';
export { getCvssFamily, parseCvssVector } from './cvss.js';
export type { CveInput, EpssInput, KevInput, KevRemoval, SignalInput } from './inputs.js';
export { type LoadHistoryOptions, loadHistory } from './load-history.js';
export {
  FULL_EPSS_MIN_ROWS,
  getKevPairKey,
  isFullEpssDay,
  type StoredCve,
  type StoredKev,
  toCveInput,
  toKevInput,
  toKevRemoval,
  toSignalInput,
} from './store-records.js';
export { normalizeName, tokenize } from './text.js';
export * from './types.js';
