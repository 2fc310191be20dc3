import { describe, expect, it } from 'vitest';
import { decide, type RingPolicy, resolveCount, type WaveState } from './decide.js';

const NOW = new Date('2026-03-01T02:00:00Z');
const policy = (p: Partial<RingPolicy> = {}): RingPolicy => ({
  concurrency: 2,
  errorBudget: 0,
  approval: 'auto',
  soakMinutes: 30,
  ...p,
});
const wave = (w: Partial<WaveState> & Pick<WaveState, 'id'>): WaveState => ({
  ring: w.id,
  status: 'pending',
  counts: { pending: 4 },
  policy: policy(),
  ...w,
});

describe('decide', () => {
  it('does nothing unless the rollout runs', () => {
    for (const status of ['paused', 'halted', 'aborted', 'done'] as const)
      expect(decide({ status, waves: [wave({ id: 'canary' })] }, NOW)).toEqual([]);
  });

  it('starts the first unfinished wave, or makes it wait for an approver when its ring requires one', () => {
    const waves = [
      wave({ id: 'canary', status: 'promoted', counts: { succeeded: 1 } }),
      wave({ id: 'prod', policy: policy({ approval: 'required' }) }),
    ];
    expect(decide({ status: 'running', waves }, NOW)).toEqual([
      { kind: 'await-approval', waveId: 'prod', ring: 'prod' },
    ]);
    expect(
      decide(
        {
          status: 'running',
          waves: [waves[0] as WaveState, { ...(waves[1] as WaveState), status: 'awaiting-approval' }],
        },
        NOW,
      ),
    ).toEqual([]);
    expect(
      decide(
        {
          status: 'running',
          waves: [
            waves[0] as WaveState,
            { ...(waves[1] as WaveState), status: 'awaiting-approval', approvedBy: 'token:approver' },
          ],
        },
        NOW,
      ),
    ).toEqual([{ kind: 'start-wave', waveId: 'prod', ring: 'prod', from: 'awaiting-approval' }]);
  });

  it('releases jobs up to the concurrency, counting those already released or leased', () => {
    const running = (counts: WaveState['counts'], concurrency: RingPolicy['concurrency'] = 2) =>
      decide(
        {
          status: 'running',
          waves: [wave({ id: 'w', status: 'running', counts, policy: policy({ concurrency }) })],
        },
        NOW,
      );
    expect(running({ pending: 4 })).toEqual([
      { kind: 'release', waveId: 'w', ring: 'w', limit: 2, running: 0, concurrency: 2 },
    ]);
    expect(running({ pending: 3, leased: 1 })).toMatchObject([{ kind: 'release', limit: 1 }]);
    expect(running({ pending: 2, ready: 1, leased: 1 })).toEqual([]);
    // 25% of 10 jobs is 2.5: concurrency rounds up to 3.
    expect(running({ pending: 10 }, '25%')).toMatchObject([{ kind: 'release', limit: 3, concurrency: 3 }]);
  });

  it('halts at failure E+1 of the error budget, before releasing more', () => {
    const waves = (counts: WaveState['counts'], errorBudget: RingPolicy['errorBudget']) => [
      wave({ id: 'w', status: 'running', counts, policy: policy({ errorBudget }) }),
    ];
    expect(
      decide({ status: 'running', waves: waves({ pending: 5, failed: 1, succeeded: 4 }, 1) }, NOW),
    ).toMatchObject([{ kind: 'release', limit: 2 }]);
    expect(
      decide(
        { status: 'running', waves: waves({ pending: 5, failed: 1, 'rolled-back': 1, succeeded: 3 }, 1) },
        NOW,
      ),
    ).toEqual([
      {
        kind: 'halt',
        waveId: 'w',
        ring: 'w',
        from: 'running',
        failures: 2,
        budget: 1,
        jobs: 10,
        reason: '2 of 10 jobs failed or rolled back, over the error budget of 1',
      },
    ]);
    // 10% of 10 jobs: a budget of 1.
    expect(decide({ status: 'running', waves: waves({ pending: 8, failed: 2 }, '10%') }, NOW)).toMatchObject([
      { kind: 'halt', budget: 1 },
    ]);
  });

  it('soaks a wave whose jobs are all over, then promotes it once the soak has passed', () => {
    const done = wave({ id: 'w', status: 'running', counts: { succeeded: 3, missed: 1, cancelled: 2 } });
    expect(decide({ status: 'running', waves: [done] }, NOW)).toEqual([
      { kind: 'soak', waveId: 'w', ring: 'w', until: '2026-03-01T02:30:00.000Z', failures: 0, budget: 0 },
    ]);
    const soaking = { ...done, status: 'soaking' as const, soakUntil: '2026-03-01T02:30:00.000Z' };
    expect(decide({ status: 'running', waves: [soaking] }, NOW)).toEqual([]);
    expect(decide({ status: 'running', waves: [soaking] }, new Date('2026-03-01T02:30:00Z'))).toEqual([
      { kind: 'promote', waveId: 'w', ring: 'w', failures: 0, budget: 0, jobs: 4 },
    ]);
  });

  it('finishes when every wave is promoted', () => {
    const waves = [
      wave({ id: 'a', status: 'promoted', counts: { succeeded: 2, 'rolled-back': 1 } }),
      wave({ id: 'b', status: 'promoted', counts: { succeeded: 5, missed: 1 } }),
    ];
    expect(decide({ status: 'running', waves }, NOW)).toEqual([
      { kind: 'finish', succeeded: 7, failed: 1, missed: 1 },
    ]);
  });

  it('resolves counts and shares', () => {
    expect(resolveCount(3, 100, 'up')).toBe(3);
    expect(resolveCount('5%', 30, 'down')).toBe(1);
    expect(resolveCount('5%', 30, 'up')).toBe(2);
    expect(resolveCount('10%', 10, 'down')).toBe(1);
  });
});
