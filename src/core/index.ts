export * from './collections.js';
export * from './errors.js';
export * from './package-name.js';
export * from './provenance.js';
export type * from './types.js';
