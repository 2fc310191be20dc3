import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-affected-lookup.js';
import * as m0003 from './0003-vex.js';
import * as m0004 from './0004-affected-source.js';
import * as m0005 from './0005-finding-history.js';
import * as m0006 from './0006-asset-snapshots.js';
import * as m0007 from './0007-exploit-scores.js';
import * as m0008 from './0008-plan-details.js';
import * as m0009 from './0009-finding-matches.js';
import * as m0010 from './0010-findings-bulk.js';
import * as m0011 from './0011-findings-keyed.js';
import * as m0012 from './0012-finding-tokens.js';
import * as m0013 from './0013-pipeline-steps.js';
import * as m0014 from './0014-debian-advisories.js';
import * as m0015 from './0015-api-auth.js';
import * as m0016 from './0016-events.js';
import * as m0017 from './0017-findings-page.js';
import * as m0018 from './0018-jobs-asset.js';
import * as m0019 from './0019-rollout.js';
import * as m0020 from './0020-finding-history-intervals.js';
import * as m0021 from './0021-findings-by-vulnerability.js';
import type { PatchcastMigration } from './types.js';

/** Every migration this version of patchcast knows, in order. Append only; never edit a released one. */
export const MIGRATIONS: readonly PatchcastMigration[] = [
  { name: '0001-initial', up: m0001.up },
  { name: '0002-affected-lookup', up: m0002.up },
  { name: '0003-vex', up: m0003.up },
  { name: '0004-affected-source', up: m0004.up },
  { name: '0005-finding-history', up: m0005.up },
  { name: '0006-asset-snapshots', up: m0006.up },
  { name: '0007-exploit-scores', up: m0007.up },
  { name: '0008-plan-details', up: m0008.up },
  { name: '0009-finding-matches', up: m0009.up },
  { name: '0010-findings-bulk', up: m0010.up },
  { name: '0011-findings-keyed', up: m0011.up },
  { name: '0012-finding-tokens', up: m0012.up },
  { name: '0013-pipeline-steps', up: m0013.up },
  { name: '0014-debian-advisories', up: m0014.up },
  { name: '0015-api-auth', up: m0015.up },
  { name: '0016-events', up: m0016.up },
  { name: '0017-findings-page', up: m0017.up },
  { name: '0018-jobs-asset', up: m0018.up },
  { name: '0019-rollout', up: m0019.up },
  { name: '0020-finding-history-intervals', up: m0020.up },
  { name: '0021-findings-by-vulnerability', up: m0021.up },
];

export type { MigrationContext, PatchcastMigration } from './types.js';
