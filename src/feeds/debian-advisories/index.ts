import { join } from 'node:path';
import type { PositionedDebianAdvisory } from '../../store/index.js';
import { FeedError } from '../errors.js';
import { readLocation } from '../resource.js';
import type { FeedRead, FeedSource, SyncContext } from '../types.js';
import { DEBIAN_ADVISORIES_FILE, DEBIAN_ADVISORIES_SOURCE, readDebianAdvisories } from './parse.js';

export { DEBIAN_ADVISORIES_FILE, parseDebianAdvisoryLine, readDebianAdvisories } from './parse.js';

/**
 * Debian's security advisories (DSA, and DLA for LTS) with their regression-update links, the history
 * the patch-reliability model scores from (`patchcast reliability`, the planner's failure estimate).
 * Read from a mirror only: the file is derived from the security tracker's `data/DSA/list` and
 * `data/DLA/list` (see readme.md), a format this source does not parse yet.
 */
export const debianAdvisoriesSource: FeedSource = {
  id: DEBIAN_ADVISORIES_SOURCE,
  description:
    'Debian security advisories (DSA/DLA) with regression-update links, for patch reliability (mirror only)',
  defaultUrl: null,
  mirrorNames: [DEBIAN_ADVISORIES_FILE],
  read: (ctx) =>
    readLocation(ctx, DEBIAN_ADVISORIES_SOURCE, (path, isDirectory) =>
      readFileAdvisories(ctx, isDirectory ? join(path, DEBIAN_ADVISORIES_FILE) : path),
    ),
};

/**
 * Parses the whole file first (a bad line writes nothing), then yields it as one batch: the sync
 * upserts what is new or changed.
 */
async function* readFileAdvisories(ctx: SyncContext, file: string): FeedRead {
  const advisories = await loadFileAdvisories(ctx, file);
  if (advisories.length === 0)
    throw new FeedError(DEBIAN_ADVISORIES_SOURCE, file, undefined, 'the file holds no advisories');
  yield { kind: 'debian-advisories', records: advisories };
  let newest = '';
  for (const { advisory } of advisories) if (advisory.published > newest) newest = advisory.published;
  return { newest };
}

async function loadFileAdvisories(ctx: SyncContext, file: string): Promise<PositionedDebianAdvisory[]> {
  const lines = new Map<string, number>();
  const out: PositionedDebianAdvisory[] = [];
  for await (const entry of readDebianAdvisories(file, (n) => ctx.progress.advance(n))) {
    const { id } = entry.advisory;
    const first = lines.get(id);
    // One row per id: a repeated id is a broken file, not an update.
    if (first !== undefined)
      throw new FeedError(
        DEBIAN_ADVISORIES_SOURCE,
        file,
        `line ${entry.position} ${id}`,
        `advisory ${id} is already on line ${first}`,
      );
    lines.set(id, entry.position);
    out.push(entry);
  }
  return out;
}
