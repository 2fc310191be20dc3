import type { Plan } from '../../src/planning/plan.js';
import { savePlan } from '../../src/services/plan/stored-plans.js';
import { type Store, upsertAsset } from '../../src/store/index.js';

export interface PlannedJob {
  assetId: string;
  ring: string;
  /** `name@version` */
  packages: string[];
  /** Window start and the last moment the job may start (ISO). */
  start: string;
  lastStart: string;
  failureProbability?: number;
}

/**
 * Stores Debian assets and a draft plan of the given jobs (one window occurrence per distinct start),
 * as `patchcast plan` would, so rollout specs start from a stored plan without running the planner.
 */
export async function storePlan(
  store: Store,
  planId: string,
  jobs: readonly PlannedJob[],
  createdAt: string,
): Promise<void> {
  for (const assetId of new Set(jobs.map((j) => j.assetId)))
    await upsertAsset(
      store.db,
      {
        id: assetId,
        name: assetId,
        kind: 'host',
        internetExposed: false,
        services: [],
        tags: [],
        osEcosystem: 'Debian:12',
      },
      createdAt,
    );
  const slots = new Map(jobs.map((j) => [j.start, j.lastStart]));
  const plan = {
    createdAt,
    horizonEnd: '2026-12-31T00:00:00.000Z',
    objective: 1,
    bound: 1,
    gap: 0,
    method: 'greedy',
    solveSeconds: 0,
    assignments: jobs.map((j, i) => ({
      jobId: `job:${j.assetId}#${i}`,
      assetId: j.assetId,
      slotId: `slot@${j.start}`,
      windowId: 'slot',
      start: j.start,
      end: j.lastStart,
      ring: j.ring,
      packages: j.packages,
      patches: [],
      ...(j.failureProbability !== undefined
        ? { failureProbability: j.failureProbability, failureSource: 'model' }
        : {}),
      reasons: [],
    })),
    unscheduled: [],
    occurrences: [...slots].map(([start, lastStart]) => ({
      id: `slot@${start}`,
      windowId: 'slot',
      groups: ['default'],
      start,
      end: lastStart,
      lastStart,
      capacity: 100,
      timezone: 'UTC',
    })),
  } as unknown as Plan;
  await store.db.transaction().execute((db) => savePlan(db, planId, plan, { leased: new Set() }));
}
