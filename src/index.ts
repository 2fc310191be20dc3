/**
 * patchcast as a library: the services (each use case, `(deps, input)`, as the CLI runs it), the
 * domain model, config and store. Feature modules have their own entry points.
 */

export type { Config } from './config/index.js';
export { getConfigJsonSchema, loadConfig, readConfig } from './config/index.js';
export * from './core/errors.js';
export type * from './core/types.js';
export { collectInventory } from './inventory/collect.js';
export * from './services/index.js';
export type { Store } from './store/index.js';
export { openStore } from './store/index.js';
