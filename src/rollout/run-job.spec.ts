import { describe, expect, it } from 'vitest';
import { FakeHost, fakeManager, fakeRehearse, RecordingSink } from '../../test/support/fake-host.js';
import type { JobSpec, PackageTarget } from './contract.js';
import { type RunJobOptions, runJob } from './run-job.js';

function makeSpec(overrides: Partial<JobSpec> = {}): JobSpec {
  return {
    jobId: 'job-1',
    assetId: 'web-1',
    manager: 'apt',
    targets: [{ name: 'openssl', version: '3.0.15-1' }],
    allow: { removals: false, downgrades: false, held: false },
    rehearsal: false,
    hooks: { pre: [], post: [] },
    probes: [],
    reboot: 'never',
    restartServices: false,
    refresh: false,
    ...overrides,
  };
}

const clock = () => new Date('2026-12-08T01:00:00Z');

async function run(host: FakeHost, spec: JobSpec, sink = new RecordingSink(), options: RunJobOptions = {}) {
  const result = await runJob(spec, { executor: host, manager: fakeManager }, sink, {
    clock,
    rehearse: fakeRehearse,
    ...options,
  });
  return { result, sink };
}

describe('runJob', () => {
  it('runs every step in order and leaves the host at the targets', async () => {
    const host = new FakeHost({ openssl: '3.0.11-1' });
    const recorded: PackageTarget[][] = [];
    const onPrevious = async (previous: PackageTarget[]) => {
      recorded.push(previous);
      expect(host.changes()).toEqual([]);
    };
    const { result, sink } = await run(
      host,
      makeSpec({ hooks: { pre: [['drain']], post: [['undrain']] } }),
      undefined,
      {
        onPrevious,
      },
    );
    expect(result).toEqual({ outcome: 'succeeded', previous: [{ name: 'openssl', version: '3.0.11-1' }] });
    expect(sink.steps()).toEqual([
      'preflight:ok',
      'rehearsal:skipped',
      'pre-hooks:ok',
      'apply:ok',
      'restart:skipped',
      'verify:ok',
      'post-hooks:ok',
    ]);
    expect(recorded).toEqual([[{ name: 'openssl', version: '3.0.11-1' }]]);
    expect(sink.reports.find((r) => r.step === 'apply')?.data?.previous).toEqual(result.previous);
    expect(host.installed.get('openssl')).toBe('3.0.15-1');
    expect(host.changes()).toEqual([['pm', 'install', 'openssl=3.0.15-1']]);
  });

  it('fails on a preflight blocker without changing the host', async () => {
    const host = new FakeHost({ openssl: '3.0.11-1', libfoo1: '1.2-3' });
    host.extraChanges = [{ name: 'libfoo1', action: 'remove', from: '1.2-3' }];
    const { result, sink } = await run(host, makeSpec());
    expect(result.outcome).toBe('failed');
    expect(result.lastError).toContain('removes libfoo1');
    expect(sink.steps()).toEqual(['preflight:failed']);
    expect(sink.reports[0]?.data?.blockers).toEqual(['removes libfoo1 1.2-3']);
    expect(host.changes()).toEqual([]);
  });

  it('rehearses the install and the command probes, and fails before any change when the rehearsal fails', async () => {
    const host = new FakeHost({ openssl: '3.0.11-1' });
    host.rehearsalCode = 100;
    const spec = makeSpec({ rehearsal: true, probes: [{ kind: 'command', argv: ['openssl', 'version'] }] });
    const { result, sink } = await run(host, spec);
    expect(result.outcome).toBe('failed');
    expect(sink.steps()).toEqual(['preflight:ok', 'rehearsal:failed']);
    expect(host.calls).toContainEqual(['rehearse', 'pm install openssl=3.0.15-1', 'openssl version']);
    expect(host.changes()).toEqual([]);
    expect(host.installed.get('openssl')).toBe('3.0.11-1');
  });

  it('fails on a failing pre-hook before apply', async () => {
    const host = new FakeHost({ openssl: '3.0.11-1' });
    host.failing.add('drain web-1');
    const { result, sink } = await run(host, makeSpec({ hooks: { pre: [['drain', 'web-1']], post: [] } }));
    expect(result).toMatchObject({
      outcome: 'failed',
      lastError: 'pre-hooks: pre-hook drain web-1 exited with 1',
    });
    expect(sink.steps()).toEqual(['preflight:ok', 'rehearsal:skipped', 'pre-hooks:failed']);
    expect(host.changes()).toEqual([]);
  });

  it('rolls a failed install back to the recorded versions', async () => {
    const host = new FakeHost({ openssl: '3.0.11-1', libssl3: '3.0.11-1' });
    host.extraChanges = [{ name: 'libssl3', action: 'upgrade', from: '3.0.11-1', to: '3.0.15-1' }];
    host.failingInstalls.add('openssl=3.0.15-1');
    const { result, sink } = await run(host, makeSpec());
    expect(result.outcome).toBe('rolled-back');
    expect(result.lastError).toContain('apply: install exited with 1');
    expect(sink.steps()).toEqual([
      'preflight:ok',
      'rehearsal:skipped',
      'pre-hooks:skipped',
      'apply:failed',
      'rollback:ok',
    ]);
    expect(host.changes().at(-1)).toEqual([
      'pm',
      'install',
      '--downgrades',
      'openssl=3.0.11-1',
      'libssl3=3.0.11-1',
    ]);
    expect(Object.fromEntries(host.installed)).toEqual({ openssl: '3.0.11-1', libssl3: '3.0.11-1' });
  });

  it('rolls back a failed probe, removing a package the job newly installed', async () => {
    const host = new FakeHost({ openssl: '3.0.11-1' });
    host.failing.add('curl -sf http://127.0.0.1/health');
    const spec = makeSpec({
      targets: [
        { name: 'openssl', version: '3.0.15-1' },
        { name: 'libnew1', version: '1.0-1' },
      ],
      probes: [{ kind: 'command', argv: ['curl', '-sf', 'http://127.0.0.1/health'] }],
    });
    const { result, sink } = await run(host, spec);
    expect(result).toMatchObject({
      outcome: 'rolled-back',
      previous: [{ name: 'openssl', version: '3.0.11-1' }],
    });
    expect(sink.steps().slice(-3)).toEqual(['restart:skipped', 'verify:failed', 'rollback:ok']);
    expect(host.changes().at(-1)).toEqual(['pm', 'remove', 'libnew1']);
    expect(Object.fromEntries(host.installed)).toEqual({ openssl: '3.0.11-1' });
  });

  it('reports a rollback that does not reach the previous versions as a failure', async () => {
    const host = new FakeHost({ openssl: '3.0.11-1' });
    host.failing.add('check');
    host.failRollback = true;
    const { result, sink } = await run(host, makeSpec({ probes: [{ kind: 'command', argv: ['check'] }] }));
    expect(result.outcome).toBe('failed');
    expect(result.lastError).toMatch(/^verify: probe failed: .*; rollback failed: reinstall exited with 1$/);
    expect(sink.steps().at(-1)).toBe('rollback:failed');
  });

  it('keeps a verified change when a post-hook fails, but does not call the job a success', async () => {
    const host = new FakeHost({ openssl: '3.0.11-1' });
    host.failing.add('undrain');
    const { result } = await run(host, makeSpec({ hooks: { pre: [], post: [['undrain']] } }));
    expect(result.outcome).toBe('failed');
    expect(result.lastError).toContain('(the change stays)');
    expect(host.installed.get('openssl')).toBe('3.0.15-1');
  });

  it('stops touching the host as soon as the store refuses a report', async () => {
    const host = new FakeHost({ openssl: '3.0.11-1' });
    const sink = new RecordingSink('apply');
    const { result } = await run(host, makeSpec({ probes: [{ kind: 'command', argv: ['check'] }] }), sink);
    expect(result).toMatchObject({ outcome: 'failed', stopped: 'lease-lost' });
    expect(sink.steps().at(-1)).toBe('apply:ok');
    expect(host.calls.at(-1)).toEqual(['pm', 'install', 'openssl=3.0.15-1']);
  });

  it('stops after a refused preflight report without any change', async () => {
    const host = new FakeHost({ openssl: '3.0.11-1' });
    const { result } = await run(host, makeSpec(), new RecordingSink('preflight'));
    expect(result.stopped).toBe('lease-lost');
    expect(host.changes()).toEqual([]);
  });

  it('does not install when the caller cannot record the previous versions', async () => {
    const host = new FakeHost({ openssl: '3.0.11-1' });
    const onPrevious = async () => {
      throw new Error('journal write failed');
    };
    await expect(run(host, makeSpec(), undefined, { onPrevious })).rejects.toThrow('journal write failed');
    expect(host.changes()).toEqual([]);
  });

  it('rejects when the host cannot be reached, leaving the retry to the caller', async () => {
    const host = new FakeHost({ openssl: '3.0.11-1' });
    host.unreachable = true;
    await expect(run(host, makeSpec())).rejects.toThrow('ECONNREFUSED');
  });
});

describe('runJob resumed after a crash', () => {
  const previous = [{ name: 'openssl', version: '3.0.11-1' }];

  it('skips apply when the host is already at the targets', async () => {
    const host = new FakeHost({ openssl: '3.0.15-1' });
    const { result, sink } = await run(host, makeSpec(), undefined, {
      resume: { previous, lastStep: 'pre-hooks' },
    });
    expect(result).toEqual({ outcome: 'succeeded', previous });
    expect(sink.steps()).toEqual(['apply:ok', 'restart:skipped', 'verify:ok', 'post-hooks:skipped']);
    expect(sink.reports[0]?.data).toMatchObject({
      resumed: true,
      reason: 'the host was already at the targets',
    });
    expect(host.changes()).toEqual([]);
  });

  it('goes on after the last reported step', async () => {
    const host = new FakeHost({ openssl: '3.0.15-1' });
    const { sink } = await run(host, makeSpec(), undefined, { resume: { previous, lastStep: 'restart' } });
    expect(sink.steps()).toEqual(['verify:ok', 'post-hooks:skipped']);
    const after = await run(host, makeSpec(), undefined, {
      resume: { previous, lastStep: 'verify', lastOutcome: 'ok' },
    });
    expect(after.sink.steps()).toEqual(['post-hooks:skipped']);
    expect(host.changes()).toEqual([]);
  });

  it('verifies again when the outcome of the last verify is not known, and rolls back if it fails', async () => {
    const host = new FakeHost({ openssl: '3.0.15-1' });
    host.failing.add('check');
    const spec = makeSpec({ probes: [{ kind: 'command', argv: ['check'] }] });
    const { result, sink } = await run(host, spec, undefined, { resume: { previous, lastStep: 'verify' } });
    expect(sink.steps()).toEqual(['verify:failed', 'rollback:ok']);
    expect(result.outcome).toBe('rolled-back');
  });

  it('rolls back when the last reported step after apply failed', async () => {
    const host = new FakeHost({ openssl: '3.0.15-1' });
    const { result, sink } = await run(host, makeSpec(), undefined, {
      resume: { previous, lastStep: 'restart', lastOutcome: 'failed' },
    });
    expect(sink.steps()).toEqual(['rollback:ok']);
    expect(result.outcome).toBe('rolled-back');
    expect(host.installed.get('openssl')).toBe('3.0.11-1');
  });

  it('only ends a job whose every step was reported, running no post-hook twice', async () => {
    const host = new FakeHost({ openssl: '3.0.15-1' });
    const spec = makeSpec({ hooks: { pre: [], post: [['notify']] } });
    const failed = await run(host, spec, undefined, {
      resume: { previous, lastStep: 'post-hooks', lastOutcome: 'failed' },
    });
    expect(failed.result.outcome).toBe('failed');
    const done = await run(host, spec, undefined, {
      resume: { previous, lastStep: 'post-hooks', lastOutcome: 'ok' },
    });
    expect(done.result.outcome).toBe('succeeded');
    const rolledBack = await run(host, spec, undefined, {
      resume: { previous, lastStep: 'rollback', lastOutcome: 'ok' },
    });
    expect(rolledBack.result.outcome).toBe('rolled-back');
    expect(host.calls).toEqual([]);
  });

  it('applies again when the host is still at the recorded versions', async () => {
    const host = new FakeHost({ openssl: '3.0.11-1' });
    const recorded: unknown[] = [];
    const { result, sink } = await run(host, makeSpec(), undefined, {
      resume: { previous, lastStep: 'pre-hooks' },
      onPrevious: async (p) => void recorded.push(p),
    });
    expect(result).toEqual({ outcome: 'succeeded', previous });
    expect(sink.steps()[0]).toBe('apply:ok');
    expect(recorded).toEqual([]);
    expect(host.changes()).toEqual([['pm', 'install', 'openssl=3.0.15-1']]);
  });

  it('stops without a change when the host is at neither', async () => {
    const host = new FakeHost({ openssl: '3.0.13-1' });
    const { result, sink } = await run(host, makeSpec(), undefined, {
      resume: { previous, lastStep: 'pre-hooks' },
    });
    expect(result.outcome).toBe('failed');
    expect(result.lastError).toBe(
      'host changed outside patchcast: openssl is 3.0.13-1 (target 3.0.15-1, previous 3.0.11-1)',
    );
    expect(sink.steps()).toEqual(['apply:failed']);
    expect(host.changes()).toEqual([]);
  });

  it('treats a new package that appeared since the recording as a change outside patchcast', async () => {
    const host = new FakeHost({ openssl: '3.0.11-1', libnew1: '0.9-1' });
    const spec = makeSpec({
      targets: [
        { name: 'openssl', version: '3.0.15-1' },
        { name: 'libnew1', version: '1.0-1' },
      ],
    });
    const { result } = await run(host, spec, undefined, { resume: { previous, lastStep: 'pre-hooks' } });
    expect(result.lastError).toContain('libnew1 is 0.9-1 (target 1.0-1, previous absent)');
    expect(host.changes()).toEqual([]);
  });

  it('rolls back an install that was cut off half-way', async () => {
    const host = new FakeHost({ openssl: '3.0.15-1', libssl3: '3.0.11-1' });
    const spec = makeSpec({
      targets: [
        { name: 'openssl', version: '3.0.15-1' },
        { name: 'libssl3', version: '3.0.15-1' },
      ],
    });
    const recorded = [...previous, { name: 'libssl3', version: '3.0.11-1' }];
    const { result, sink } = await run(host, spec, undefined, {
      resume: { previous: recorded, lastStep: 'pre-hooks' },
    });
    expect(result.outcome).toBe('rolled-back');
    expect(result.lastError).toMatch(/^apply was interrupted half-way: openssl is 3.0.15-1/);
    expect(sink.steps()).toEqual(['rollback:ok']);
    expect(Object.fromEntries(host.installed)).toEqual({ openssl: '3.0.11-1', libssl3: '3.0.11-1' });
  });

  it('finishes a rollback that was under way', async () => {
    const host = new FakeHost({ openssl: '3.0.15-1' });
    const { result, sink } = await run(host, makeSpec(), undefined, {
      resume: { previous, lastStep: 'verify', rollingBack: true },
    });
    expect(result.outcome).toBe('rolled-back');
    expect(sink.steps()).toEqual(['rollback:ok']);
    expect(host.installed.get('openssl')).toBe('3.0.11-1');
  });

  it('never guesses a rollback target it did not record', async () => {
    const host = new FakeHost({ openssl: '3.0.15-1' });
    const { result, sink } = await run(host, makeSpec(), undefined, {
      resume: { lastStep: 'verify', rollingBack: true },
    });
    expect(result.outcome).toBe('failed');
    expect(result.lastError).toContain('the versions from before apply were not recorded');
    expect(sink.steps()).toEqual(['rollback:failed']);
    expect(host.changes()).toEqual([]);
  });

  it('starts from the beginning when apply never began', async () => {
    const host = new FakeHost({ openssl: '3.0.11-1' });
    const { sink } = await run(host, makeSpec(), undefined, { resume: { lastStep: 'preflight' } });
    expect(sink.steps()[0]).toBe('preflight:ok');
  });
});

describe('runJob restart step', () => {
  it('reboots when the host asks for it and waits for it to come back', async () => {
    const host = new FakeHost({ openssl: '3.0.11-1' });
    host.files.set('/run/reboot-required', '*** System restart required ***\n');
    const waited: string[] = [];
    const { result, sink } = await run(host, makeSpec({ reboot: 'if-required' }), undefined, {
      rebootArgv: ['fake-reboot'],
      waitForHost: async () => void waited.push('back'),
    });
    expect(result.outcome).toBe('succeeded');
    expect(host.calls).toContainEqual(['fake-reboot']);
    expect(waited).toEqual(['back']);
    expect(sink.reports.find((r) => r.step === 'restart')?.data).toMatchObject({ rebooted: true });
  });

  it('rolls back when a reboot is needed but the runner cannot wait for the host', async () => {
    const host = new FakeHost({ openssl: '3.0.11-1' });
    host.files.set('/run/reboot-required', '');
    const { result } = await run(host, makeSpec({ reboot: 'if-required' }));
    expect(result.outcome).toBe('rolled-back');
    expect(result.lastError).toContain('cannot wait for the host');
  });

  it('skips restarting services when systemd is not PID 1, saying why', async () => {
    const host = new FakeHost({ openssl: '3.0.11-1' });
    const { sink } = await run(host, makeSpec({ restartServices: true }));
    const restart = sink.reports.find((r) => r.step === 'restart');
    expect(restart?.outcome).toBe('skipped');
    expect(restart?.data?.reason).toBe('systemd is not PID 1 on this host, so no service was restarted');
  });
});
