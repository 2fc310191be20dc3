import type { Db } from '../rows.js';
import { type BulkColumn, insertRows } from './bulk.js';

/** What a fingerprint is of: a vulnerability's facts or an asset's. */
export type FactKind = 'vulnerability' | 'asset';

const COLUMNS: readonly BulkColumn[] = [
  { name: 'kind', type: 'text' },
  { name: 'id', type: 'text' },
  { name: 'fingerprint', type: 'text' },
];

/** The stored fingerprints of one kind, by id. */
export async function loadFactFingerprints(db: Db, kind: FactKind): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('fact_fingerprints')
    .select(['id', 'fingerprint'])
    .where('kind', '=', kind)
    .execute();
  return new Map(rows.map((r) => [r.id, r.fingerprint]));
}

/** The ids whose fingerprint in `current` differs from `stored` or is not stored, sorted. */
export function getChangedFacts(
  stored: ReadonlyMap<string, string>,
  current: ReadonlyMap<string, string>,
): string[] {
  const changed: string[] = [];
  for (const [id, fingerprint] of current) if (stored.get(id) !== fingerprint) changed.push(id);
  return changed.sort();
}

/**
 * Writes `current` as the stored fingerprints of `kind`: changed and new ones upserted; with
 * `replace`, ids absent from `current` are removed (a whole-fleet pass saw every id).
 */
export async function saveFactFingerprints(
  db: Db,
  kind: FactKind,
  current: ReadonlyMap<string, string>,
  options: { replace?: boolean; stored?: ReadonlyMap<string, string> } = {},
): Promise<void> {
  const stored = options.stored ?? (await loadFactFingerprints(db, kind));
  const changed = getChangedFacts(stored, current);
  await insertRows(
    db,
    'fact_fingerprints',
    COLUMNS,
    changed.map((id) => [kind, id, current.get(id) as string]),
    'on conflict (kind, id) do update set fingerprint = excluded.fingerprint',
  );
  if (!options.replace) return;
  const gone = [...stored.keys()].filter((id) => !current.has(id));
  for (let i = 0; i < gone.length; i += 1000)
    await db
      .deleteFrom('fact_fingerprints')
      .where('kind', '=', kind)
      .where('id', 'in', gone.slice(i, i + 1000))
      .execute();
}
