import type {
  CommandResult,
  Executor,
  JobOutcome,
  JobSpec,
  PackageManager,
  PackageTarget,
  StepName,
  StepOutcome,
  StepSink,
} from './contract.js';
import { makeExcerpt } from './excerpt.js';
import {
  describeState,
  getInstallOptions,
  getRemoveArgv,
  isAt,
  isAtRecorded,
  isPartlyApplied,
  queryHost,
  queryInstalled,
  runHooks,
  runPreflight,
  runRehearsal,
  runVerify,
  type StepVerdict,
  toObject,
  transcript,
} from './job-steps.js';
import { makeRehearsalArgv } from './rehearsal.js';
import { type RestartStepOptions, restartAfterChange } from './restart-step.js';

/** What a runner that crashed knew, from its journal or the store, when it runs the job again. */
export interface ResumeState {
  /** The versions recorded before apply (present once `onPrevious` resolved: apply may have started). */
  previous?: PackageTarget[];
  /** The last step whose report the store accepted. */
  lastStep?: StepName;
  /** That step's outcome. Without it a step after apply is checked again rather than trusted. */
  lastOutcome?: StepOutcome;
  /** The job was already rolling back (a step after apply failed): only the rollback is left to do. */
  rollingBack?: boolean;
}

export interface RunJobOptions extends RestartStepOptions {
  resume?: ResumeState;
  clock?: () => Date;
  /** Wraps the rehearsal's commands into one argv (default: makeRehearsalArgv). */
  rehearse?: (argvList: string[][]) => string[];
  log?: (line: string) => void;
  /**
   * Called with the recorded previous versions before the install starts; the install waits for it.
   * The caller persists them (agent journal, store) as the rollback target and the resume key.
   */
  onPrevious?: (previous: PackageTarget[]) => Promise<void>;
}

export interface RunJobResult {
  outcome: JobOutcome;
  /**
   * The installed versions, before apply, of the packages the job touches; a target missing here was
   * not installed (the rollback removes it). Empty when the job stopped before apply.
   */
  previous: PackageTarget[];
  lastError?: string;
  stopped?: 'lease-lost';
}

export interface JobHost {
  executor: Executor;
  /** `remove` is optional until the contract has it (see getRemoveArgv): a rollback of a new install needs it. */
  manager: PackageManager & {
    remove?(names: readonly string[]): string[];
    /** From the query's stdout, the packages left half-installed (see queryHost). */
    parseUnsettled?(stdout: string): string[];
  };
}

/** Thrown inside a run when the store refused a report: the run ends without touching the host again. */
class LeaseLost extends Error {}

const AFTER_APPLY: readonly StepName[] = ['apply', 'restart', 'verify', 'post-hooks'];

/**
 * Runs one job on one host: preflight, rehearsal, pre-hooks, apply, restart, verify, post-hooks, and a
 * rollback when apply, restart or verify fails. Every step is reported to `sink` as it ends; a report
 * the store refuses ends the run at once (`stopped: 'lease-lost'`). Rejects only when the executor
 * does (the host cannot be reached): the caller keeps its journal and resumes later with `resume`.
 */
export async function runJob(
  spec: JobSpec,
  host: JobHost,
  sink: StepSink,
  options: RunJobOptions = {},
): Promise<RunJobResult> {
  const run = new JobRun(spec, host, sink, options);
  try {
    return await run.start();
  } catch (error) {
    if (!(error instanceof LeaseLost)) throw error;
    return {
      outcome: 'failed',
      previous: run.previous,
      lastError: `the store refused the ${error.message} report: the lease is lost`,
      stopped: 'lease-lost',
    };
  }
}

class JobRun {
  previous: PackageTarget[] = [];
  /** Whether `previous` was recorded (by this run or the one it resumes): a rollback needs it. */
  previousKnown = false;
  /** Packages the job touches: the targets and whatever else the simulation said would change. */
  touched: string[];
  readonly #clock: () => Date;

  constructor(
    readonly spec: JobSpec,
    readonly host: JobHost,
    readonly sink: StepSink,
    readonly options: RunJobOptions,
  ) {
    this.#clock = options.clock ?? (() => new Date());
    this.touched = spec.targets.map((target) => target.name);
  }

  async start(): Promise<RunJobResult> {
    const resume = this.options.resume ?? {};
    if (resume.previous !== undefined || (resume.lastStep && AFTER_APPLY.includes(resume.lastStep))) {
      return this.resumeAfterApplyStarted(resume);
    }
    for (const [name, step] of [
      ['preflight', () => this.preflight()],
      ['rehearsal', () => runRehearsal(this.spec, this.host, this.options.rehearse ?? makeRehearsalArgv)],
      ['pre-hooks', () => runHooks(this.host, this.spec.hooks.pre, 'pre-hook')],
    ] as const) {
      const verdict = await this.step(name, step);
      if (verdict.outcome === 'failed') return this.finish('failed', `${name}: ${verdict.reason}`);
    }
    return this.applyAndAfter();
  }

  /**
   * Re-entry once apply may have started: the host says whether it happened. Neither at the targets nor
   * at the recorded versions means someone else changed the host; the job then stops without a change.
   */
  async resumeAfterApplyStarted(resume: ResumeState): Promise<RunJobResult> {
    this.previous = resume.previous ?? [];
    this.previousKnown = resume.previous !== undefined;
    this.touched = unique([...this.touched, ...this.previous.map((p) => p.name)]);
    const last = resume.lastStep;
    const failedAfterApply =
      resume.lastOutcome === 'failed' && (last === 'apply' || last === 'restart' || last === 'verify');
    if (resume.rollingBack || failedAfterApply || (last === 'rollback' && resume.lastOutcome !== 'ok')) {
      return this.rollback(`resumed the rollback after ${last ?? 'apply'}`);
    }
    if (last === 'rollback')
      return this.finish('rolled-back', 'the rollback was reported before the run was cut off');
    if (last === 'post-hooks') {
      // Everything was reported; only the job's end was not. Post-hooks are not run twice.
      if (resume.lastOutcome === 'failed')
        return this.finish('failed', 'post-hooks failed (reported before the run was cut off)');
      return this.finish('succeeded');
    }
    const { installed, unsettled } = await queryHost(this.host, this.touched);
    if (resume.previous !== undefined && unsettled.length > 0) {
      const state = describeState(installed, this.touched, this.spec.targets, resume.previous);
      return this.rollback(
        `apply was interrupted half-way: ${unsettled.join(', ')} not fully installed; ${state}`,
      );
    }
    if (isAt(installed, this.spec.targets)) {
      this.log(`resume: the host is at the targets (last reported step: ${last ?? 'none'})`);
      // A verify whose outcome is not known is run again: it only reads the host and probes.
      if (last === 'verify') return this.afterApply(resume.lastOutcome === 'ok' ? 'post-hooks' : 'verify');
      if (last === 'restart') return this.afterApply('verify');
      if (last !== 'apply') {
        const data = { previous: this.previous, targets: this.spec.targets, resumed: true };
        await this.step('apply', async () => ({
          outcome: 'ok',
          reason: 'the host was already at the targets',
          data,
        }));
      }
      return this.afterApply('restart');
    }
    if (resume.previous !== undefined && isAtRecorded(installed, this.touched, this.previous)) {
      this.log('resume: the host is at the recorded previous versions; applying again');
      return this.applyAndAfter({ recorded: true });
    }
    const state = describeState(installed, this.touched, this.spec.targets, resume.previous);
    if (
      resume.previous !== undefined &&
      isPartlyApplied(installed, this.touched, this.previous, this.spec.targets)
    ) {
      // Each package at its recorded or its target version: our own install, cut off half-way.
      return this.rollback(`apply was interrupted half-way: ${state}`);
    }
    const reason = `host changed outside patchcast: ${state}`;
    await this.step('apply', async () => ({
      outcome: 'failed',
      reason,
      data: { installed: toObject(installed) },
    }));
    return this.finish('failed', reason);
  }

  /** The preflight; what the simulation would change joins the packages the job touches. */
  async preflight(): Promise<StepVerdict> {
    const verdict = await runPreflight(this.spec, this.host);
    this.touched = unique([...this.touched, ...verdict.changes.map((change) => change.name)]);
    return verdict;
  }

  /** Records the previous versions (and lets the caller persist them) before the one real change. */
  async applyAndAfter(resumed: { recorded?: boolean } = {}): Promise<RunJobResult> {
    if (!resumed.recorded) {
      const installed = await this.queryInstalled(this.touched);
      this.previous = this.touched.flatMap((name) => {
        const version = installed.get(name);
        return version === undefined ? [] : [{ name, version }];
      });
      this.previousKnown = true;
      await this.options.onPrevious?.(this.previous);
    }
    const verdict = await this.step('apply', async () => {
      const argv = this.host.manager.install(this.spec.targets, getInstallOptions(this.spec));
      const result = await this.exec(argv);
      const data = {
        previous: this.previous,
        targets: this.spec.targets,
        ...(resumed.recorded ? { resumed: true } : {}),
      };
      const output = transcript(argv, result);
      if (result.code !== 0)
        return { outcome: 'failed', reason: `install exited with ${result.code}`, output, data };
      return { outcome: 'ok', output, data };
    });
    if (verdict.outcome === 'failed') return this.rollback(`apply: ${verdict.reason}`);
    return this.afterApply('restart');
  }

  /** The steps after apply, from `from` on (a resumed run skips those the store already has). */
  async afterApply(from: 'restart' | 'verify' | 'post-hooks'): Promise<RunJobResult> {
    const order = ['restart', 'verify', 'post-hooks'];
    const due = (step: string) => order.indexOf(step) >= order.indexOf(from);
    if (due('restart')) {
      const restart = await this.step('restart', () =>
        restartAfterChange(this.spec, this.host.executor, this.options, {
          manager: this.host.manager,
          packages: this.touched,
        }),
      );
      if (restart.outcome === 'failed') return this.rollback(`restart: ${restart.reason}`);
    }
    if (due('verify')) {
      const verify = await this.step('verify', () => runVerify(this.spec, this.host));
      if (verify.outcome === 'failed') return this.rollback(`verify: ${verify.reason}`);
    }
    if (due('post-hooks')) {
      const post = await this.step('post-hooks', () =>
        runHooks(this.host, this.spec.hooks.post, 'post-hook'),
      );
      // The change is verified: a failing post-hook does not undo it, but the job does not count as a success.
      if (post.outcome === 'failed')
        return this.finish('failed', `post-hooks: ${post.reason} (the change stays)`);
    }
    return this.finish('succeeded');
  }

  /** Puts the recorded versions back and removes what the job newly installed, then checks the host. */
  async rollback(why: string): Promise<RunJobResult> {
    if (!this.previousKnown) {
      // Without the versions from before, "roll back" would mean removing the targets: never guess.
      const reason = 'the versions from before apply were not recorded, so nothing was changed';
      await this.step('rollback', async () => ({ outcome: 'failed', reason, data: { why } }));
      return this.finish('failed', `${why}; rollback failed: ${reason}`);
    }
    const { manager } = this.host;
    const known = new Set(this.previous.map((p) => p.name));
    const added = this.touched.filter((name) => !known.has(name));
    const verdict = await this.step('rollback', async () => {
      let output = '';
      const data = { why, previous: this.previous, removed: added };
      if (this.previous.length > 0) {
        const argv = manager.install(this.previous, {
          ...getInstallOptions(this.spec),
          allowDowngrades: true,
        });
        const result = await this.exec(argv);
        output += transcript(argv, result);
        if (result.code !== 0)
          return { outcome: 'failed', reason: `reinstall exited with ${result.code}`, output, data };
      }
      const now = await queryHost(this.host, added);
      // A new package the failed install left half-configured is not "installed" to the query, but is on disk.
      const toRemove = added.filter((name) => now.installed.has(name) || now.unsettled.includes(name));
      if (toRemove.length > 0) {
        const argv = getRemoveArgv(manager, toRemove);
        const result = await this.exec(argv);
        output += transcript(argv, result);
        if (result.code !== 0)
          return { outcome: 'failed', reason: `remove exited with ${result.code}`, output, data };
      }
      const { installed: after, unsettled } = await queryHost(this.host, this.touched);
      if (!isAtRecorded(after, this.touched, this.previous) || unsettled.length > 0) {
        const reason = `the host is not back at the previous versions: ${describeState(after, this.touched, this.spec.targets, this.previous)}`;
        return { outcome: 'failed', reason, output, data: { ...data, installed: toObject(after) } };
      }
      return { outcome: 'ok', output, data: { ...data, installed: toObject(after) } };
    });
    if (verdict.outcome === 'failed')
      return this.finish('failed', `${why}; rollback failed: ${verdict.reason}`);
    return this.finish('rolled-back', why);
  }

  /** Runs one step and reports it; a refused report ends the run (LeaseLost). */
  async step(name: StepName, body: () => Promise<StepVerdict>): Promise<StepVerdict> {
    const startedAt = this.#clock().toISOString();
    this.log(`${name}: started`);
    const verdict = await body();
    const reason = verdict.reason
      ? `${verdict.outcome === 'failed' ? 'error' : 'note'}: ${verdict.reason}\n`
      : '';
    const accepted = await this.sink.report({
      step: name,
      outcome: verdict.outcome,
      startedAt,
      endedAt: this.#clock().toISOString(),
      excerpt: makeExcerpt(reason + (verdict.output ?? '')),
      ...(verdict.data || verdict.reason
        ? { data: { ...verdict.data, ...(verdict.reason ? { reason: verdict.reason } : {}) } }
        : {}),
    });
    this.log(`${name}: ${verdict.outcome}${verdict.reason ? ` (${verdict.reason})` : ''}`);
    if (!accepted) throw new LeaseLost(name);
    return verdict;
  }

  finish(outcome: JobOutcome, lastError?: string): RunJobResult {
    this.log(`job ${this.spec.jobId}: ${outcome}${lastError ? ` (${lastError})` : ''}`);
    return {
      outcome,
      previous: this.previous,
      ...(lastError && outcome !== 'succeeded' ? { lastError } : {}),
    };
  }

  queryInstalled(names: readonly string[]): Promise<Map<string, string>> {
    return queryInstalled(this.host, names);
  }

  exec(argv: readonly string[]): Promise<CommandResult> {
    return this.host.executor.run(argv);
  }

  log(line: string): void {
    this.options.log?.(line);
  }
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
