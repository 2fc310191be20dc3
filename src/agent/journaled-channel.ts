/**
 * The journal's side of a job: every result is written to the journal before it is sent and struck
 * off once the server took it, and the versions recorded before apply are journaled before the server
 * hears of them. After a crash, `deliverPending` sends what was seen but not delivered (with the token
 * it ran under), and the next lease of an unfinished job resumes from the host, not from a guess.
 */
import { PatchcastError } from '../core/errors.js';
import type { JobChannel, LeasedJob, StepReport } from '../rollout/contract.js';
import { type AgentClient, isLeaseStale } from './client.js';
import type { AgentJournal, JournalEntry, PendingReport } from './state.js';

/** Wraps `inner` so that the journal always knows what the server may not have heard yet. */
export function makeJournaledChannel(
  inner: JobChannel,
  journal: AgentJournal,
  work: Pick<LeasedJob, 'job' | 'token'>,
  clock: () => Date = () => new Date(),
): JobChannel {
  const jobId = work.job.id;
  const entry = (): JournalEntry =>
    journal.get(jobId) ?? {
      jobId,
      token: work.token,
      step: 'leased',
      phase: 'ended',
      pending: [],
      updatedAt: clock().toISOString(),
    };
  const update = (change: Partial<JournalEntry>) =>
    journal.put({ ...entry(), ...change, updatedAt: clock().toISOString() });
  /** Sends one pending result; struck off when taken, the entry dropped when the server moved on. */
  const deliver = async (item: PendingReport, send: () => Promise<void>) => {
    try {
      await send();
    } catch (error) {
      if (isLeaseStale(error)) await journal.remove(jobId);
      throw error;
    }
    if (item.kind === 'end') return journal.remove(jobId);
    await update({ pending: entry().pending.filter((p) => p !== item) });
  };
  return {
    heartbeat: () => inner.heartbeat(),
    async beginApply(previous) {
      // Journaled first: from here on the install may start, and no later run guesses otherwise.
      await update({ step: 'apply', phase: 'started', previous, appliedToken: work.token });
      try {
        await inner.beginApply(previous);
      } catch (error) {
        if (isLeaseStale(error)) await journal.remove(jobId);
        throw error;
      }
    },
    async report(report: StepReport) {
      const item: PendingReport = { kind: 'step', report };
      const current = entry();
      await update({
        step: report.step,
        phase: 'ended',
        lastOutcome: report.outcome,
        pending: [...current.pending, item],
      });
      await deliver(item, () => inner.report(report));
    },
    async end(outcome, detail) {
      // A result still undelivered means the server is out of reach: the job is left to its next
      // lease (which asks the host), not ended on a guess made while the server could not hear.
      const waiting = entry().pending[0];
      if (waiting)
        throw new PatchcastError(
          'UPSTREAM_UNAVAILABLE',
          `job ${jobId}: an earlier result is not delivered yet; not ending the job`,
          {
            details: { jobId, pending: waiting.kind === 'step' ? waiting.report.step : waiting.kind },
          },
        );
      const item: PendingReport = { kind: 'end', outcome, ...detail };
      await update({ pending: [...entry().pending, item] });
      await deliver(item, () => inner.end(outcome, detail));
    },
  };
}

/** Writes the entry of a newly leased job, before any step starts. */
export async function journalLease(
  journal: AgentJournal,
  work: Pick<LeasedJob, 'job' | 'token'>,
  carried: Pick<JournalEntry, 'previous' | 'appliedToken' | 'lastOutcome' | 'step'> | undefined,
  clock: () => Date = () => new Date(),
): Promise<void> {
  await journal.put({
    jobId: work.job.id,
    token: work.token,
    step: carried?.step ?? 'leased',
    phase: 'ended',
    ...(carried?.previous ? { previous: carried.previous, appliedToken: carried.appliedToken } : {}),
    ...(carried?.lastOutcome ? { lastOutcome: carried.lastOutcome } : {}),
    pending: [],
    updatedAt: clock().toISOString(),
  });
}

/**
 * What a new lease of a job resumes from: the server's record, completed by the journal. The journal
 * wins on `previous` when the server lacks it (the agent crashed after journaling the versions but
 * before the server heard of them: the install may have started, so the host must be asked).
 */
export function getResume(
  work: Pick<LeasedJob, 'resume'>,
  entry: JournalEntry | undefined,
): LeasedJob['resume'] {
  const previous = work.resume.previous ?? (entry?.appliedToken !== undefined ? entry.previous : undefined);
  const lastStep = work.resume.lastStep ?? (entry && entry.step !== 'leased' ? entry.step : undefined);
  return { ...(previous ? { previous } : {}), ...(lastStep ? { lastStep } : {}) };
}

/**
 * Ends the run after the step whose report is being delivered when `shouldStop` says so (SIGTERM):
 * the report goes through, then the runner is told the lease is no longer its own, which stops it
 * without an end; before apply, the install never starts. The job's lease then runs out and its next
 * lease resumes by asking the host.
 */
export function makeStoppableChannel(inner: JobChannel, shouldStop: () => boolean): JobChannel {
  const stop = () =>
    new PatchcastError('ROLLOUT_LEASE_STALE', 'the agent is stopping: the job is left to its next lease', {
      details: { stopping: true },
    });
  return {
    heartbeat: () => inner.heartbeat(),
    async beginApply(previous) {
      if (shouldStop()) throw stop();
      await inner.beginApply(previous);
    },
    async report(report) {
      await inner.report(report);
      if (shouldStop()) throw stop();
    },
    end: (outcome, detail) => inner.end(outcome, detail),
  };
}

/**
 * Delivers every journaled result the server has not acknowledged, in order, with the token it was
 * seen under. A stale answer means the server moved on: the entry is dropped. Resolves false when the
 * server could not be reached (the rest stays for the next try).
 */
export async function deliverPending(
  client: AgentClient,
  journal: AgentJournal,
  log: (line: string) => void,
): Promise<boolean> {
  for (const entry of journal.entries()) {
    for (const item of [...entry.pending]) {
      try {
        if (item.kind === 'step') await client.reportStep(entry.jobId, entry.token, item.report);
        else
          await client.end(entry.jobId, entry.token, item.outcome, {
            ...(item.lastError ? { lastError: item.lastError } : {}),
            ...(item.transient ? { transient: true } : {}),
          });
      } catch (error) {
        if (!isLeaseStale(error)) {
          log(`job ${entry.jobId}: could not deliver a journaled result yet (${(error as Error).message})`);
          return false;
        }
        log(
          `job ${entry.jobId}: the server refused the journaled result under token ${entry.token} (it moved on); dropped`,
        );
        await journal.remove(entry.jobId);
        break;
      }
      const current = journal.get(entry.jobId);
      if (!current) break;
      if (item.kind === 'end') {
        log(`job ${entry.jobId}: delivered its journaled end (${item.outcome})`);
        await journal.remove(entry.jobId);
        break;
      }
      log(`job ${entry.jobId}: delivered the journaled ${item.report.step} report`);
      await journal.put({ ...current, pending: current.pending.slice(1) });
    }
  }
  return true;
}
