import { type Db, fromJson, toJson } from '../rows.js';

/** A stored model without its (large) artifact: what `model status` lists. */
export interface ModelEntry {
  id: string;
  kind: string;
  version: string;
  createdAt: string;
  trainedUntil: string | null;
  metrics: Record<string, unknown> | undefined;
  active: boolean;
  /** When it became the current model (null: never promoted). */
  promotedAt: string | null;
}

/** One champion/challenger comparison. */
export interface ModelEvaluation {
  id?: number;
  kind: string;
  evaluatedAt: string;
  /** The retrain day T. */
  asOf: string;
  challengerId: string;
  currentId: string | null;
  decision: 'promoted' | 'kept';
  rule: string;
  reason: string;
  /** Both metric sets, per window and pooled. */
  metrics: unknown;
}

/** Makes a stored model the current one of its kind and records when. */
export async function promoteModel(db: Db, id: string, at: string): Promise<boolean> {
  const row = await db.selectFrom('model_artifacts').select('kind').where('id', '=', id).executeTakeFirst();
  if (!row) return false;
  await db.updateTable('model_artifacts').set({ active: 0 }).where('kind', '=', row.kind).execute();
  await db.updateTable('model_artifacts').set({ active: 1, promoted_at: at }).where('id', '=', id).execute();
  return true;
}

/** Stored models of a kind, newest first, without artifacts. */
export async function listModelEntries(db: Db, kind: string, limit = 50): Promise<ModelEntry[]> {
  const rows = await db
    .selectFrom('model_artifacts')
    .select(['id', 'kind', 'version', 'created_at', 'trained_until', 'metrics', 'active', 'promoted_at'])
    .where('kind', '=', kind)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    version: r.version,
    createdAt: r.created_at,
    trainedUntil: r.trained_until,
    metrics: fromJson<Record<string, unknown>>(r.metrics),
    active: Number(r.active) === 1,
    promotedAt: r.promoted_at,
  }));
}

/** Records a champion/challenger comparison. */
export async function insertModelEvaluation(db: Db, e: ModelEvaluation): Promise<void> {
  await db
    .insertInto('model_evaluations')
    .values({
      kind: e.kind,
      evaluated_at: e.evaluatedAt,
      as_of: e.asOf,
      challenger_id: e.challengerId,
      current_id: e.currentId,
      decision: e.decision,
      rule: e.rule,
      reason: e.reason,
      metrics: toJson(e.metrics),
    })
    .execute();
}

/** Comparisons of a kind, newest first. */
export async function listModelEvaluations(db: Db, kind: string, limit = 20): Promise<ModelEvaluation[]> {
  const rows = await db
    .selectFrom('model_evaluations')
    .selectAll()
    .where('kind', '=', kind)
    .orderBy('evaluated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    evaluatedAt: r.evaluated_at,
    asOf: r.as_of,
    challengerId: r.challenger_id,
    currentId: r.current_id,
    decision: r.decision === 'promoted' ? 'promoted' : 'kept',
    rule: r.rule,
    reason: r.reason,
    metrics: fromJson<unknown>(r.metrics),
  }));
}
