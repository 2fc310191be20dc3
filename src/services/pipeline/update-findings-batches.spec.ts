import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempStore } from '../../../test/support/store.js';
import type { Store } from '../../store/index.js';
import { runBatchScenario } from './__fixtures__/batch-fleet.js';

describe('updateFindings in batches of assets', () => {
  let temps: Array<Awaited<ReturnType<typeof makeTempStore>>>;
  beforeEach(async () => {
    temps = [await makeTempStore(), await makeTempStore()];
  });
  afterEach(async () => {
    for (const t of temps) await t.cleanup();
  });

  it('two assets a batch store the same risks, statuses, due dates and history as one batch', async () => {
    const [small, whole] = temps.map((t) => t.store) as [Store, Store];
    const batched = await runBatchScenario(small, 2);
    const single = await runBatchScenario(whole, 1000);

    expect(batched).toEqual(single);
    // The fleet exercises every step: scored, suppressed by VEX, excepted, due, fixed, lapsed.
    const statuses = new Set(single.findings.map((f) => f.status));
    expect([...statuses].sort()).toEqual(['excepted', 'fixed', 'open', 'suppressed']);
    expect(single.findings.every((f) => f.status === 'fixed' || f.risk !== null)).toBe(true);
    expect(single.findings.some((f) => f.due_date !== null)).toBe(true);
    expect(single.history.some((h) => h.status === 'fixed')).toBe(true);
    expect(single.audit).toContainEqual({ action: 'exception:lapsed', subject: 'EXC-3' });
    expect(single.results[0]?.top).toHaveLength(5);
  });
});
