import type { ModelArtifact } from '../../core/types.js';
import { type Db, definedOnly, fromJson, orNull, toJson } from '../rows.js';

/** Stores a model artifact; `active` makes it the one scoring uses (the previous active one of its kind is retired). */
export async function saveModelArtifact(db: Db, model: ModelArtifact): Promise<void> {
  if (model.active)
    await db.updateTable('model_artifacts').set({ active: 0 }).where('kind', '=', model.kind).execute();
  await db
    .insertInto('model_artifacts')
    .values({
      id: model.id,
      kind: model.kind,
      version: model.version,
      created_at: model.createdAt,
      trained_until: orNull(model.trainedUntil),
      metrics: toJson(model.metrics),
      artifact: toJson(model.artifact),
      active: model.active ? 1 : 0,
    })
    .execute();
}

export async function loadActiveModel(db: Db, kind: string): Promise<ModelArtifact | undefined> {
  const row = await db
    .selectFrom('model_artifacts')
    .selectAll()
    .where('kind', '=', kind)
    .where('active', '=', 1)
    .executeTakeFirst();
  if (!row) return undefined;
  return definedOnly({
    id: row.id,
    kind: row.kind,
    version: row.version,
    createdAt: row.created_at,
    trainedUntil: row.trained_until,
    metrics: fromJson<Record<string, unknown>>(row.metrics),
    artifact: fromJson<unknown>(row.artifact) ?? null,
    active: true,
  });
}

/** Makes one stored artifact the active one of its kind. */
export async function activateModel(db: Db, id: string): Promise<boolean> {
  const row = await db.selectFrom('model_artifacts').select('kind').where('id', '=', id).executeTakeFirst();
  if (!row) return false;
  await db.updateTable('model_artifacts').set({ active: 0 }).where('kind', '=', row.kind).execute();
  await db.updateTable('model_artifacts').set({ active: 1 }).where('id', '=', id).execute();
  return true;
}
