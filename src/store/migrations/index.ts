import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-affected-lookup.js';
import type { PatchcastMigration } from './types.js';

/** Every migration this version of patchcast knows, in order. Append only; never edit a released one. */
export const MIGRATIONS: readonly PatchcastMigration[] = [
  { name: '0001-initial', up: m0001.up },
  { name: '0002-affected-lookup', up: m0002.up },
];

export type { MigrationContext, PatchcastMigration } from './types.js';
