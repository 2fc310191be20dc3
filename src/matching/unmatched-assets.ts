import { type Db, loadLatestImports, loadMatchStates } from '../store/index.js';

/**
 * Assets a whole match would compare from scratch: never matched, or with an inventory import newer
 * than the one last matched (`inventory import --no-match`, a new host). The same rule `matchFleet`
 * applies to pick the assets it compares finding by finding; none means an advisory-only re-match
 * (`advisoryKeys: 'pending'`) brings every finding up to date.
 */
export async function loadUnmatchedAssets(db: Db): Promise<string[]> {
  const imports = await loadLatestImports(db);
  const states = await loadMatchStates(db);
  const unmatched: string[] = [];
  for (const [id, importId] of imports) {
    const state = states.get(id);
    if (!state || state.matchedAt === null || state.importId !== importId) unmatched.push(id);
  }
  return unmatched;
}
