import * as m0001 from './0001-initial.js';
import type { PatchcastMigration } from './types.js';

/** Every migration this version of patchcast knows, in order. Append only; never edit a released one. */
export const MIGRATIONS: readonly PatchcastMigration[] = [{ name: '0001-initial', up: m0001.up }];

export type { MigrationContext, PatchcastMigration } from './types.js';
