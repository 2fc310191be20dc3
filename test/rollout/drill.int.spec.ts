/**
 * The rollout fault-injection drill (bench/drill/) on a small seed: 3 overlay test hosts, 3 faults,
 * real controller processes on a fresh PostgreSQL schema. Seed 3 expires the leases twice while a job
 * is in apply with two controllers running, and SIGKILLs a controller at a step boundary; without
 * the host fence (src/rollout/host-fence.ts) it ends with two jobs `failed` on hosts that were
 * changed. Whatever the faults, no host may see its target installed twice, disagree with its job's
 * end, or be anywhere but at its target or its previous version.
 */
import { describe, expect, it } from 'vitest';
import { runRolloutDrill } from '../../bench/drill/rollout-drill.js';
import { isPostgresAvailable } from '../support/postgres.js';

const root = process.getuid?.() === 0;
if (!root) console.warn('skipping the rollout drill: it needs root (overlay test hosts)');
const postgres = root && (await isPostgresAvailable());

describe.skipIf(!postgres)('rollout fault-injection drill (small seed)', () => {
  it('keeps every host at its target or its previous version, with no double apply and no lost result', async () => {
    const result = await runRolloutDrill({ hosts: 3, faults: 3, seed: 3, timeoutMs: 150_000 });
    const detail = JSON.stringify({ faults: result.faultLog, hosts: result.verdicts }, null, 1);
    expect(result.rollout, detail).toBe('done');
    expect(result.faults, detail).toBeGreaterThan(0);
    expect(result.doubleApplies, detail).toBe(0);
    expect(result.lostResults, detail).toBe(0);
    expect(result.neither, detail).toBe(0);
    expect(result.staleWrites, detail).toBe(0);
    expect(
      result.patched + result.rolledBack + result.verdicts.filter((v) => v.status === 'failed').length,
    ).toBe(3);
  }, 240_000);
});
