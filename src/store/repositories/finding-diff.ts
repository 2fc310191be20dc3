import { getOrCreate } from '../../core/collections.js';
import type { Db } from '../rows.js';
import { updateByKeys } from './findings.js';
import { type FanoutKey, getAssetFindings, type Holder, insertFindingRows } from './match-fanout.js';
import type { AssetMatchState } from './match-state.js';

export interface DiffCounts {
  inserted: number;
  updated: number;
  resolved: number;
  assets: Set<string>;
}

interface ExistingRow {
  asset_id: string;
  subject_id: number;
  match_id: number;
  status: string;
  first_seen: string | null;
  last_seen: string | null;
}

const ASSETS_PER_BATCH = 200;

/**
 * Brings the findings of assets that already have some in line with their holders, finding by
 * finding: new ones inserted, a changed version or a reopened one updated, vanished ones resolved
 * (last seen when their asset was last matched). With `subjects`, only findings about those
 * subjects are compared (the holders of a changed package name); otherwise the whole asset.
 */
export async function diffFindings(
  db: Db,
  holders: readonly Holder[],
  keys: readonly FanoutKey[],
  states: Map<string, AssetMatchState>,
  at: string,
  subjects?: Set<number>,
): Promise<DiffCounts> {
  const counts: DiffCounts = { inserted: 0, updated: 0, resolved: 0, assets: new Set() };
  const byAsset = new Map<string, number[]>();
  for (const h of holders) getOrCreate(byAsset, h.assetId, () => []).push(h.keyId);
  const assets = [...byAsset.keys()];
  for (let i = 0; i < assets.length; i += ASSETS_PER_BATCH) {
    const batch = assets.slice(i, i + ASSETS_PER_BATCH);
    const existing = await loadExisting(db, batch, subjects);
    for (const assetId of batch) {
      const expected = getExpected(byAsset.get(assetId) ?? [], keys);
      const state = states.get(assetId) as AssetMatchState;
      await applyDiff(db, state, expected, existing.get(assetId) ?? [], at, counts);
    }
  }
  return counts;
}

/** Assets whose findings must be compared whole even without a holder (every package removed). */
export function withEmptyAssets(holders: readonly Holder[], assetIds: readonly string[]): Holder[] {
  const held = new Set(holders.map((h) => h.assetId));
  return [...holders, ...assetIds.filter((id) => !held.has(id)).map((assetId) => ({ assetId, keyId: -1 }))];
}

/** Subject → match of what the asset's keys give (`getAssetFindings`: the lowest key wins). */
function getExpected(keyIds: readonly number[], keys: readonly FanoutKey[]): Map<number, number> {
  const { subjects, matches } = getAssetFindings(keyIds, keys);
  return new Map(subjects.map((s, i) => [s, matches[i] as number]));
}

async function loadExisting(db: Db, assetIds: string[], subjects?: Set<number>) {
  const rows = await db
    .selectFrom('findings')
    .select(['asset_id', 'subject_id', 'match_id', 'status', 'first_seen', 'last_seen'])
    .where('asset_id', 'in', assetIds)
    .execute();
  const out = new Map<string, ExistingRow[]>();
  for (const r of rows) {
    const row = { ...r, subject_id: Number(r.subject_id), match_id: Number(r.match_id) };
    if (!subjects || subjects.has(row.subject_id)) getOrCreate(out, r.asset_id, () => []).push(row);
  }
  return out;
}

async function applyDiff(
  db: Db,
  state: AssetMatchState,
  expected: Map<number, number>,
  existing: readonly ExistingRow[],
  at: string,
  counts: DiffCounts,
): Promise<void> {
  const bySubject = new Map(existing.map((r) => [r.subject_id, r]));
  const inserts: unknown[][] = [];
  for (const [subjectId, matchId] of expected) {
    const row = bySubject.get(subjectId);
    if (!row) {
      inserts.push([state.assetId, subjectId, matchId, 'open', at, at]);
    } else if (row.status === 'fixed' || row.status === 'retired') {
      // Seen again: fixed and regressed, or a retired asset's inventory imported anew.
      const reopened = {
        match_id: matchId,
        status: 'open',
        suppression: null,
        resolved_at: null,
        last_seen: at,
      };
      await updateByKeys(db, [{ assetId: row.asset_id, subjectId }], reopened);
      counts.updated++;
    } else if (row.match_id !== matchId) {
      await updateByKeys(db, [{ assetId: row.asset_id, subjectId }], { match_id: matchId, last_seen: at });
      counts.updated++;
    }
  }
  const gone = existing.filter(
    (r) => r.status !== 'fixed' && r.status !== 'retired' && !expected.has(r.subject_id),
  );
  await resolve(db, gone, state, at);
  await insertFindingRows(db, inserts);
  counts.inserted += inserts.length;
  counts.resolved += gone.length;
  if (inserts.length || gone.length) counts.assets.add(state.assetId);
}

/** Resolved as fixed at `at`; last seen when the asset was last matched (its package was there then). */
async function resolve(db: Db, rows: readonly ExistingRow[], state: AssetMatchState, at: string) {
  const lastMatched = state.matchedAt;
  for (const r of rows) {
    const own = r.last_seen ?? r.first_seen ?? state.firstMatchedAt ?? at;
    const lastSeen = lastMatched && lastMatched > own ? lastMatched : own;
    const key = { assetId: r.asset_id, subjectId: r.subject_id };
    await updateByKeys(db, [key], { status: 'fixed', resolved_at: at, last_seen: lastSeen });
  }
}
