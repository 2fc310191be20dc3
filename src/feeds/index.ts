export { FeedError, FeedTooLargeError } from './errors.js';
export type { Download, HttpClient, HttpOptions } from './http.js';
export { makeHttpClient, redact } from './http.js';
export { findMirrorEntries } from './mirror-entries.js';
export { FEED_SOURCES, getFeedSource } from './registry.js';
export { isUrl, openLocation, openTextStream, readLines } from './resource.js';
export type {
  FeedBatch,
  FeedOutcome,
  FeedProgress,
  FeedRead,
  FeedSource,
  FeedVulnerability,
  SyncContext,
} from './types.js';
export { SILENT_PROGRESS } from './types.js';
