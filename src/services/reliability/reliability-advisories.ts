/**
 * The patch-reliability model's history (Debian DSA/DLA advisories), from the store (what
 * `patchcast sync` writes through the `debian-advisories` feed) or from a data directory (`--data`).
 * Both read the same records in the same order and give the same `Advisory[]`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PatchcastError } from '../../core/errors.js';
import type { DebianAdvisory } from '../../core/types.js';
import { DEBIAN_ADVISORIES_FILE, readDebianAdvisories } from '../../feeds/debian-advisories/index.js';
import { type Advisory, toAdvisories } from '../../predict/reliability/index.js';
import { countDebianAdvisories, type Db, listDebianAdvisories } from '../../store/index.js';

/** The stored advisories; a store without any is a coded error saying to sync them (or pass --data). */
export async function loadAdvisoriesFromStore(db: Db): Promise<Advisory[]> {
  const records = await listDebianAdvisories(db);
  if (records.length === 0)
    throw new PatchcastError(
      'STORE_NO_DEBIAN_ADVISORIES',
      'the store holds no Debian security advisories for the patch-reliability model',
    );
  return toAdvisories(records);
}

/** Whether the store holds any advisory (the planner scores patches only then). */
export async function hasStoredAdvisories(db: Db): Promise<boolean> {
  return (await countDebianAdvisories(db)) > 0;
}

/** `debian_security_advisories.jsonl.gz` of a data directory (the ../shared/data layout). */
export async function loadAdvisoriesFromDir(dataDir: string): Promise<Advisory[]> {
  const file = join(dataDir, DEBIAN_ADVISORIES_FILE);
  if (!existsSync(file))
    throw new PatchcastError('INPUT_NOT_FOUND', `${file} does not exist`, {
      hint: `Pass --data DIR, a directory holding ${DEBIAN_ADVISORIES_FILE}, or leave --data out to read the store.`,
      details: { file },
    });
  const records: DebianAdvisory[] = [];
  for await (const { advisory } of readDebianAdvisories(file)) records.push(advisory);
  return toAdvisories(records);
}
