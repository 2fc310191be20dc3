import { type Db, fromJson, toJson } from '../rows.js';

/** A patch's Beta posterior as stored (the shape of src/predict/reliability/posterior.ts's state). */
export interface StoredPosterior {
  priorProbability: number;
  pseudoCount: number;
  alpha: number;
  beta: number;
  counts: Record<'success' | 'failure' | 'rollback' | 'health-regression', number>;
}

/** Stored fleet posteriors by patch key (`package@version`); keys without one are absent. */
export async function loadPatchPosteriors(
  db: Db,
  keys: readonly string[],
): Promise<Map<string, StoredPosterior>> {
  const out = new Map<string, StoredPosterior>();
  if (keys.length === 0) return out;
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db
      .selectFrom('patch_posteriors')
      .selectAll()
      .where('patch_key', 'in', keys.slice(i, i + 500))
      .execute();
    for (const r of rows)
      out.set(r.patch_key, {
        priorProbability: Number(r.prior),
        pseudoCount: Number(r.pseudo_count),
        alpha: Number(r.alpha),
        beta: Number(r.beta),
        counts: fromJson<StoredPosterior['counts']>(r.counts) ?? {
          success: 0,
          failure: 0,
          rollback: 0,
          'health-regression': 0,
        },
      });
  }
  return out;
}

export async function savePatchPosterior(
  db: Db,
  key: string,
  state: StoredPosterior,
  at: string,
): Promise<void> {
  const row = {
    prior: state.priorProbability,
    pseudo_count: state.pseudoCount,
    alpha: state.alpha,
    beta: state.beta,
    counts: toJson(state.counts) ?? '{}',
    updated_at: at,
  };
  await db
    .insertInto('patch_posteriors')
    .values({ patch_key: key, ...row })
    .onConflict((oc) => oc.column('patch_key').doUpdateSet(row))
    .execute();
}
