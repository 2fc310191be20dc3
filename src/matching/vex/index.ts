export { findVexStatement, isSuppressing, type VexSubject } from './apply.js';
export { parseVexDocument } from './parse.js';
export type { VexProduct, VexStatement, VexStatus } from './types.js';
