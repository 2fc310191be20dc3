/**
 * The controller's decision: a pure function from a rollout's state and the time to the actions that
 * move it on. The controller (src/services/rollout/controller.ts) reads the state, calls `decide`,
 * and applies each action in a short transaction guarded by the state it expects, so two controllers
 * deciding at once cannot both act.
 *
 * Rings run one after another. A ring's wave: waits for approval when the ring requires it, runs
 * (releasing jobs up to its concurrency), halts at failure E+1 of its error budget, soaks when all its
 * jobs are over, and is promoted when the soak has passed and the gate holds.
 */
import type { JobStatus, WaveStatus } from '../core/types.js';

export interface RingPolicy {
  /** Jobs running at once: a count, or `N%` of the wave's jobs (at least 1). */
  concurrency: number | string;
  /** Failures tolerated: a count, or `N%` of the wave's jobs (rounded down). */
  errorBudget: number | string;
  approval: 'auto' | 'required';
  soakMinutes: number;
}

export interface WaveState {
  id: string;
  ring: string;
  status: WaveStatus;
  approvedBy?: string;
  soakUntil?: string;
  counts: Partial<Record<JobStatus, number>>;
  policy: RingPolicy;
  /**
   * What the fleet has learned about the wave's patches so far: why patches are too risky to widen to
   * this ring (failing credibly above tolerance, or predicted risky and untried), which makes the wave
   * wait for an approver, and the soak multiplier for risky ones.
   */
  learned?: { halting: string[]; soakMultiplier: number };
}

export interface RolloutState {
  status: 'running' | 'paused' | 'halted' | 'aborted' | 'done';
  /** In rollout order. */
  waves: WaveState[];
}

export type Action =
  | { kind: 'await-approval'; waveId: string; ring: string; reason?: string }
  | { kind: 'start-wave'; waveId: string; ring: string; from: WaveStatus }
  | { kind: 'release'; waveId: string; ring: string; limit: number; running: number; concurrency: number }
  | {
      kind: 'halt';
      waveId: string;
      ring: string;
      from: WaveStatus;
      failures: number;
      budget: number;
      jobs: number;
      reason: string;
    }
  | { kind: 'soak'; waveId: string; ring: string; until: string; failures: number; budget: number }
  | { kind: 'promote'; waveId: string; ring: string; failures: number; budget: number; jobs: number }
  | { kind: 'finish'; succeeded: number; failed: number; missed: number };

/** A count or a share of `total`: shares round up for concurrency (`ceil`), down for budgets. */
export function resolveCount(value: number | string, total: number, round: 'up' | 'down'): number {
  if (typeof value === 'number') return value;
  const share = Number.parseFloat(value) / 100;
  const n = share * total;
  return round === 'up' ? Math.ceil(n - 1e-9) : Math.floor(n + 1e-9);
}

const FAILED: readonly JobStatus[] = ['failed', 'rolled-back'];
const RUNNING: readonly JobStatus[] = ['ready', 'leased'];
const FINISHED_WAVES: ReadonlySet<WaveStatus> = new Set(['promoted', 'done']);

function sum(counts: Partial<Record<JobStatus, number>>, statuses: readonly JobStatus[]): number {
  return statuses.reduce((n, s) => n + (counts[s] ?? 0), 0);
}

/** The wave's job total that counts for its budget and concurrency (cancelled jobs are not its work). */
function getJobTotal(counts: Partial<Record<JobStatus, number>>): number {
  return Object.entries(counts).reduce((n, [s, c]) => (s === 'cancelled' ? n : n + (c ?? 0)), 0);
}

/** The actions for one rollout at `now`; none while it is paused, halted, aborted or done. */
export function decide(state: RolloutState, now: Date): Action[] {
  if (state.status !== 'running') return [];
  const wave = state.waves.find((w) => !FINISHED_WAVES.has(w.status));
  if (!wave) {
    const all = state.waves.reduce<Partial<Record<JobStatus, number>>>((acc, w) => {
      for (const [s, n] of Object.entries(w.counts))
        acc[s as JobStatus] = (acc[s as JobStatus] ?? 0) + (n ?? 0);
      return acc;
    }, {});
    return [
      {
        kind: 'finish',
        succeeded: all.succeeded ?? 0,
        failed: sum(all, FAILED),
        missed: all.missed ?? 0,
      },
    ];
  }
  const { counts, policy } = wave;
  const jobs = getJobTotal(counts);
  const failures = sum(counts, FAILED);
  const budget = resolveCount(policy.errorBudget, jobs, 'down');
  const base = { waveId: wave.id, ring: wave.ring };
  const overBudget = (from: WaveStatus): Action => ({
    kind: 'halt',
    ...base,
    from,
    failures,
    budget,
    jobs,
    reason: `${failures} of ${jobs} jobs failed or rolled back, over the error budget of ${budget}`,
  });
  switch (wave.status) {
    case 'pending':
      if (policy.approval === 'required' && !wave.approvedBy) return [{ kind: 'await-approval', ...base }];
      if (wave.learned?.halting.length && !wave.approvedBy)
        return [
          {
            kind: 'await-approval',
            ...base,
            reason: `too risky to widen: ${wave.learned.halting.join('; ')}`,
          },
        ];
      return [{ kind: 'start-wave', ...base, from: 'pending' }];
    case 'awaiting-approval':
      return wave.approvedBy ? [{ kind: 'start-wave', ...base, from: 'awaiting-approval' }] : [];
    case 'running': {
      if (failures > budget) return [overBudget('running')];
      const running = sum(counts, RUNNING);
      const waiting = counts.pending ?? 0;
      if (waiting === 0 && running === 0) {
        const soak = policy.soakMinutes * (wave.learned?.soakMultiplier ?? 1);
        const until = new Date(now.getTime() + soak * 60_000).toISOString();
        return [{ kind: 'soak', ...base, until, failures, budget }];
      }
      const concurrency = Math.max(1, resolveCount(policy.concurrency, jobs, 'up'));
      const limit = Math.min(concurrency - running, waiting);
      return limit > 0 ? [{ kind: 'release', ...base, limit, running, concurrency }] : [];
    }
    case 'soaking':
      if (failures > budget) return [overBudget('soaking')];
      if (wave.soakUntil && Date.parse(wave.soakUntil) > now.getTime()) return [];
      return [{ kind: 'promote', ...base, failures, budget, jobs }];
    default:
      // halted or aborted: a person decides (resume after retries, or abort).
      return [];
  }
}
