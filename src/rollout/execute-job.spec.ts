import { describe, expect, it } from 'vitest';
import { FakeHost, fakeManager } from '../../test/support/fake-host.js';
import type { JobChannel, LeasedJob, StepReport } from './contract.js';
import { executeJob } from './execute-job.js';

function makeWork(resume: LeasedJob['resume']): LeasedJob {
  return {
    job: { id: 'job-1', assetId: 'web-1', attempts: 2 },
    token: 2,
    spec: {
      jobId: 'job-1',
      assetId: 'web-1',
      manager: 'apt',
      targets: [{ name: 'pcdemo', version: '1.0-4' }],
      allow: { removals: false, downgrades: false, held: false },
      rehearsal: false,
      hooks: { pre: [], post: [] },
      probes: [{ kind: 'command', argv: ['check'] }],
      reboot: 'never',
      restartServices: false,
      refresh: false,
    },
    resume,
    leaseExpiresAt: new Date(Date.now() + 60_000).toISOString(),
  };
}

function makeChannel() {
  const reports: StepReport[] = [];
  const ends: string[] = [];
  const channel: JobChannel = {
    heartbeat: async () => undefined,
    beginApply: async () => undefined,
    report: async (report) => void reports.push(report),
    end: async (outcome) => void ends.push(outcome),
  };
  return { channel, reports, ends };
}

describe('executeJob', () => {
  it('resumes a job whose verify failed as its rollback, never a second apply (drill: rollback report lost)', async () => {
    // The previous holder: apply 1.0-4, verify failed (reported), rollback to 1.0-1 done, then SIGKILL
    // before the rollback's report. The host is back at the recorded version.
    const host = new FakeHost({ pcdemo: '1.0-1' });
    host.failing.add('check');
    const { channel, reports, ends } = makeChannel();
    const work = makeWork({
      previous: [{ name: 'pcdemo', version: '1.0-1' }],
      lastStep: 'verify',
      lastOutcome: 'failed',
    });
    const result = await executeJob(work, { executor: host, manager: fakeManager }, channel, {
      fenceDir: false,
    });
    expect(result.outcome).toBe('rolled-back');
    expect(reports.map((r) => `${r.step}:${r.outcome}`)).toEqual(['rollback:ok']);
    expect(ends).toEqual(['rolled-back']);
    expect(host.calls.filter((argv) => argv.includes('pcdemo=1.0-4'))).toEqual([]);
  });
});
