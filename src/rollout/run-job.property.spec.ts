import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeHost, fakeManager, fakeRehearse, RecordingSink } from '../../test/support/fake-host.js';
import type { JobSpec, PackageTarget, StepName } from './contract.js';
import { runJob } from './run-job.js';

const NAMES = ['liba', 'libb', 'tool'] as const;
const version = fc.constantFrom('1.0-1', '1.0-2', '1.0-3');
/** Each package installed at some version, or not at all. */
const installedState = fc.record(
  { liba: version, libb: version, tool: version },
  { requiredKeys: [] },
) as fc.Arbitrary<Record<string, string>>;
const targets = fc
  .uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 })
  .chain((names) => fc.tuple(...names.map((name) => version.map((v) => ({ name, version: v })))));
const failure = fc.constantFrom('none', 'rehearsal', 'pre-hook', 'install', 'probe', 'post-hook');
const refuseAt = fc.constantFrom<StepName | undefined>(undefined, 'preflight', 'apply', 'verify', 'rollback');

function makeSpec(jobTargets: JobSpec['targets']): JobSpec {
  return {
    jobId: 'job-p',
    assetId: 'host-p',
    manager: 'apt',
    targets: jobTargets,
    // Without downgrades a forward install carries no flag and a rollback's does: the property counts them apart.
    allow: { removals: false, downgrades: false, held: false },
    rehearsal: true,
    hooks: { pre: [['pre']], post: [['post']] },
    probes: [{ kind: 'command', argv: ['probe'] }],
    reboot: 'never',
    restartServices: false,
    refresh: false,
  };
}

describe('runJob (property)', () => {
  it('leaves the host at the targets or exactly as it found it, whatever step fails', async () => {
    await fc.assert(
      fc.asyncProperty(
        installedState,
        targets,
        failure,
        refuseAt,
        async (initial, jobTargets, fails, refused) => {
          const host = new FakeHost(initial);
          if (fails === 'rehearsal') host.rehearsalCode = 100;
          if (fails === 'pre-hook') host.failing.add('pre');
          if (fails === 'probe') host.failing.add('probe');
          if (fails === 'post-hook') host.failing.add('post');
          if (fails === 'install')
            host.failingInstalls.add(`${jobTargets.at(-1)!.name}=${jobTargets.at(-1)!.version}`);
          const sink = new RecordingSink(refused);
          let callsWhenRefused: number | undefined;
          const report = sink.report.bind(sink);
          sink.report = async (step) => {
            const accepted = await report(step);
            if (!accepted) callsWhenRefused = host.calls.length;
            return accepted;
          };
          const result = await runJob(makeSpec(jobTargets), { executor: host, manager: fakeManager }, sink, {
            rehearse: fakeRehearse,
          });
          const now = Object.fromEntries(host.installed);
          const atTargets = jobTargets.every((t) => host.installed.get(t.name) === t.version);
          if (result.stopped === 'lease-lost') {
            // A refused report ends the run there: no command after it.
            expect(sink.reports.at(-1)?.step).toBe(refused);
            expect(host.calls.length).toBe(callsWhenRefused);
            return;
          }
          if (result.outcome === 'succeeded' || fails === 'post-hook') expect(atTargets).toBe(true);
          else expect(now).toEqual(initial);
          // The recorded rollback target is what the host had before.
          for (const p of result.previous) expect(initial[p.name]).toBe(p.version);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('applies at most once and ends at the targets or where it began when a run is cut off and resumed', async () => {
    const cutAt = fc.constantFrom<StepName>(
      'preflight',
      'rehearsal',
      'pre-hooks',
      'apply',
      'restart',
      'verify',
      'post-hooks',
      'rollback',
    );
    // What the store hands back: the last step's outcome, or (an older store) only a rolling-back flag.
    const told = fc.constantFrom('outcome', 'rolling-back flag');
    await fc.assert(
      fc.asyncProperty(
        installedState,
        targets,
        failure,
        cutAt,
        told,
        async (initial, jobTargets, fails, cut, info) => {
          const host = new FakeHost(initial);
          if (fails === 'rehearsal') host.rehearsalCode = 100;
          if (fails === 'pre-hook') host.failing.add('pre');
          if (fails === 'probe') host.failing.add('probe');
          if (fails === 'post-hook') host.failing.add('post');
          if (fails === 'install')
            host.failingInstalls.add(`${jobTargets.at(-1)!.name}=${jobTargets.at(-1)!.version}`);
          // The first run's journal: the recorded versions and the reports the store accepted.
          let journaled: PackageTarget[] | undefined;
          const first = new RecordingSink(cut);
          const spec = makeSpec(jobTargets);
          const host1 = { executor: host, manager: fakeManager };
          const options = {
            rehearse: fakeRehearse,
            onPrevious: async (p: PackageTarget[]) => {
              journaled = p;
            },
          };
          const firstResult = await runJob(spec, host1, first, options);
          if (firstResult.stopped !== 'lease-lost') return; // the run ended before the cut
          const accepted = first.reports.slice(0, -1);
          const last = accepted.at(-1);
          const rollingBack =
            last !== undefined &&
            last.outcome === 'failed' &&
            ['apply', 'restart', 'verify'].includes(last.step);
          const resume = {
            ...(journaled ? { previous: journaled } : {}),
            ...(last ? { lastStep: last.step } : {}),
            ...(info === 'outcome' ? (last ? { lastOutcome: last.outcome } : {}) : { rollingBack }),
          };
          const result = await runJob(spec, host1, new RecordingSink(), { ...options, resume });

          const forward = host.calls.filter(
            ([p, verb, flag]) => p === 'pm' && verb === 'install' && flag !== '--downgrades',
          );
          expect(forward.length).toBeLessThanOrEqual(1);
          expect(result.lastError ?? '').not.toContain('outside patchcast');
          const atTargets = jobTargets.every((t) => host.installed.get(t.name) === t.version);
          if (result.outcome === 'succeeded' || fails === 'post-hook') expect(atTargets).toBe(true);
          else expect(Object.fromEntries(host.installed)).toEqual(initial);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
