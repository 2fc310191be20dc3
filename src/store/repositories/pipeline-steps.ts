import { randomUUID } from 'node:crypto';
import type { Db } from '../rows.js';

/** The steps after matching, in the order a pass runs them. */
export type PipelineStep = 'vex' | 'risk' | 'policies';
export const PIPELINE_STEPS: readonly PipelineStep[] = ['vex', 'risk', 'policies'];

/** What earlier passes left undone: the steps still owed and on which assets (`undefined`: all). */
export interface OwedSteps {
  steps: PipelineStep[];
  assetIds?: string[];
  /** When the oldest of them became owed. */
  since: string;
}

/** The steps an interrupted pass left owed (migration 0013), their scopes united; undefined when none. */
export async function loadOwedSteps(db: Db): Promise<OwedSteps | undefined> {
  const rows = await db.selectFrom('pipeline_steps').selectAll().execute();
  if (rows.length === 0) return undefined;
  const steps = PIPELINE_STEPS.filter((step) => rows.some((r) => r.step === step));
  const since = rows.map((r) => r.owed_since).sort()[0] as string;
  if (rows.some((r) => r.scope === null)) return { steps, since };
  const assetIds = new Set(rows.flatMap((r) => JSON.parse(r.scope as string) as string[]));
  return { steps, assetIds: [...assetIds].sort(), since };
}

/**
 * Records that a new pass owes every step after matching on `assetIds` (undefined: every asset),
 * before it matches; returns the pass id that `completePipelineStep` takes. The caller widens
 * `assetIds` by what `loadOwedSteps` returned, so taking the rows over loses nothing owed.
 */
export async function markPipelineStepsOwed(
  db: Db,
  assetIds: readonly string[] | undefined,
  at: Date,
): Promise<string> {
  const pass = randomUUID();
  const scope = assetIds ? JSON.stringify([...new Set(assetIds)].sort()) : null;
  const rows = PIPELINE_STEPS.map((step) => ({ step, scope, pass, owed_since: at.toISOString() }));
  await db
    .insertInto('pipeline_steps')
    .values(rows)
    .onConflict((oc) =>
      oc
        .column('step')
        .doUpdateSet((eb) => ({ scope: eb.ref('excluded.scope'), pass: eb.ref('excluded.pass') })),
    )
    .execute();
  return pass;
}

/** Clears a step once it committed; a row another pass has taken over since stays. */
export async function completePipelineStep(db: Db, step: PipelineStep, pass: string): Promise<void> {
  await db.deleteFrom('pipeline_steps').where('step', '=', step).where('pass', '=', pass).execute();
}
