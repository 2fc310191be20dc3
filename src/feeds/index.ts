export { FeedError, FeedTooLargeError } from './errors.js';
export type { Download, HttpClient, HttpOptions } from './http.js';
export { makeHttpClient, redact } from './http.js';
export { FEED_SOURCES, getFeedSource } from './registry.js';
export { isUrl, openLocation, openTextStream, readLines } from './resource.js';
export type { SyncOptions, SyncReport } from './sync.js';
export { DEFAULT_MAX_BYTES, findMirrorEntries, syncSource } from './sync.js';
export type { FeedProgress, FeedSource, SyncContext, SyncResult } from './types.js';
export { SILENT_PROGRESS } from './types.js';
