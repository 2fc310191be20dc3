import { afterEach, describe, expect, it } from 'vitest';
import { makeTempStore } from '../../../test/support/store.js';
import { completePipelineStep, loadOwedSteps } from '../../store/index.js';
import { startPass } from './steps-after-match.js';

const NOW = new Date('2026-03-02T10:00:00Z');

describe('steps owed after matching (pipeline_steps)', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  it('a pass owes every step on its scope until each commits', async () => {
    const t = await makeTempStore();
    cleanup = t.cleanup;
    expect(await loadOwedSteps(t.store.db)).toBeUndefined();
    const { pass, assetIds } = await startPass(t.store, { now: NOW, assetIds: ['web-1'] });
    expect(assetIds).toEqual(['web-1']);
    expect(await loadOwedSteps(t.store.db)).toMatchObject({
      steps: ['vex', 'risk', 'policies'],
      assetIds: ['web-1'],
    });
    await completePipelineStep(t.store.db, 'vex', pass);
    await completePipelineStep(t.store.db, 'risk', pass);
    expect((await loadOwedSteps(t.store.db))?.steps).toEqual(['policies']);
    await completePipelineStep(t.store.db, 'policies', pass);
    expect(await loadOwedSteps(t.store.db)).toBeUndefined();
  });

  it('the next pass takes over what a killed one owed, on both scopes; the killed pass clears nothing', async () => {
    const t = await makeTempStore();
    cleanup = t.cleanup;
    const killed = await startPass(t.store, { now: NOW, assetIds: ['web-1'] });
    await completePipelineStep(t.store.db, 'vex', killed.pass);
    const next = await startPass(t.store, { now: NOW, assetIds: ['db-1'] });
    expect(next.assetIds?.sort()).toEqual(['db-1', 'web-1']);
    await completePipelineStep(t.store.db, 'risk', killed.pass);
    expect(await loadOwedSteps(t.store.db)).toMatchObject({
      steps: ['vex', 'risk', 'policies'],
      assetIds: ['db-1', 'web-1'],
    });
    // A pass over every asset owes every asset, whatever was owed before.
    expect((await startPass(t.store, { now: NOW })).assetIds).toBeUndefined();
    expect((await loadOwedSteps(t.store.db))?.assetIds).toBeUndefined();
    // And a scoped pass after an unscoped one that was killed widens to every asset too.
    expect((await startPass(t.store, { now: NOW, assetIds: ['web-1'] })).assetIds).toBeUndefined();
  });

  it('a pass scoped by vulnerabilities keeps its scope but owes every asset until it commits', async () => {
    const t = await makeTempStore();
    cleanup = t.cleanup;
    const started = await startPass(t.store, { now: NOW, vulnerabilityIds: ['CVE-2024-0001'] });
    expect(started).toMatchObject({ assetIds: [], vulnerabilityIds: ['CVE-2024-0001'] });
    // pipeline_steps records assets only: a crash now is finished by a whole pass.
    expect((await loadOwedSteps(t.store.db))?.assetIds).toBeUndefined();
    for (const step of ['vex', 'risk', 'policies'] as const)
      await completePipelineStep(t.store.db, step, started.pass);
    expect(await loadOwedSteps(t.store.db)).toBeUndefined();
  });
});
