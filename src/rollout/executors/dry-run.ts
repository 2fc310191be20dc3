import type { CommandResult, Executor, RunOptions } from '../contract.js';

/** One command a dry run would have run. */
export interface DryRunCall {
  argv: string[];
  options: RunOptions;
}

export interface DryRunExecutorOptions {
  /** Files the host is taken to have: path → text; any other path reads as absent. */
  files?: Readonly<Record<string, string>>;
  /** The answer to a command (read-only queries can be answered from recorded facts); default exit 0, no output. */
  answer?: (argv: readonly string[]) => CommandResult | undefined;
}

export interface DryRunExecutor extends Executor {
  readonly kind: 'dry-run';
  /** Every command asked for, in order: what `--dry-run` prints. */
  readonly calls: readonly DryRunCall[];
}

/** Runs nothing: records each argv and answers from the given facts, for `rollout --dry-run`. */
export function makeDryRunExecutor(options: DryRunExecutorOptions = {}): DryRunExecutor {
  const calls: DryRunCall[] = [];
  const files = new Map(Object.entries(options.files ?? {}));
  return {
    kind: 'dry-run',
    calls,
    async run(argv, runOptions = {}) {
      calls.push({ argv: [...argv], options: { ...runOptions } });
      return options.answer?.(argv) ?? { code: 0, stdout: '', stderr: '' };
    },
    async readFile(path) {
      return files.get(path);
    },
    close: async () => {},
  };
}
