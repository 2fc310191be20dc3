import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-affected-lookup.js';
import * as m0003 from './0003-vex.js';
import * as m0004 from './0004-affected-source.js';
import type { PatchcastMigration } from './types.js';

/** Every migration this version of patchcast knows, in order. Append only; never edit a released one. */
export const MIGRATIONS: readonly PatchcastMigration[] = [
  { name: '0001-initial', up: m0001.up },
  { name: '0002-affected-lookup', up: m0002.up },
  { name: '0003-vex', up: m0003.up },
  { name: '0004-affected-source', up: m0004.up },
];

export type { MigrationContext, PatchcastMigration } from './types.js';
