import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { PatchcastError } from '../../core/errors.js';
import type { CommandResult, Executor, RunOptions } from '../contract.js';
import { OutputCapture } from './capture.js';
import {
  DEFAULT_TIMEOUT_MS,
  getCommandEnv,
  NOT_FOUND,
  READ_FILE_MISSING,
  READ_FILE_SCRIPT,
  TIMED_OUT,
} from './env.js';

export interface LocalExecutorOptions {
  /**
   * Prepended to every argv, so a host entered through a namespace or chroot is "local" too:
   * `['nsenter', '--mount=/x/ns', '--', 'chroot', '/x/m']`.
   */
  prefix?: readonly string[];
  /** Run each command through `sudo -n --` (never prompts: a missing sudo rule fails at once). */
  sudo?: boolean;
}

/** After SIGTERM to a timed-out process group, how long it gets before SIGKILL. */
const KILL_GRACE_MS = 2000;
/** After a command exits, how long its output pipes may stay open (held by a process it left behind). */
const STREAM_GRACE_MS = 5000;

/** The argv actually started for `argv`: the prefix, then sudo, then the command. */
export function getLocalArgv(argv: readonly string[], options: LocalExecutorOptions = {}): string[] {
  return [...(options.prefix ?? []), ...(options.sudo ? ['sudo', '-n', '--'] : []), ...argv];
}

/** Runs commands on this machine (or inside the namespace/chroot the prefix enters), never through a shell. */
export function makeLocalExecutor(options: LocalExecutorOptions = {}): Executor {
  const prefixed = (options.prefix?.length ?? 0) > 0 || options.sudo === true;
  const executor: Executor = {
    kind: 'local',
    run: (argv, runOptions) => runArgv(getLocalArgv(argv, options), runOptions),
    async readFile(path) {
      if (!prefixed) return readLocalFile(path);
      const result = await executor.run([...READ_FILE_SCRIPT, path]);
      if (result.code === READ_FILE_MISSING) return undefined;
      if (result.code !== 0) {
        throw new PatchcastError(
          'INPUT_NOT_FOUND',
          `cannot read ${path} on the host: ${result.stderr.trim()}`,
        );
      }
      return result.stdout;
    },
    close: async () => {},
  };
  return executor;
}

async function readLocalFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Spawns `argv` in its own process group so that a timeout kills everything it started. */
export function runArgv(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  const [program, ...args] = argv;
  if (program === undefined) {
    throw new PatchcastError('INPUT_INVALID', 'executor: empty argv (no program to run)');
  }
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      env: getCommandEnv(options),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const stdout = new OutputCapture();
    const stderr = new OutputCapture();
    let timedOut = false;
    const timers: NodeJS.Timeout[] = [];
    timers.push(
      setTimeout(() => {
        timedOut = true;
        killGroup(child.pid, 'SIGTERM');
        timers.push(setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS));
      }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    );
    const done = (): void => {
      for (const timer of timers) clearTimeout(timer);
    };
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A command that exits without reading its input closes the pipe under us: not an error.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
    child.on('error', (error: NodeJS.ErrnoException) => {
      done();
      const code = spawnErrorCode(error);
      if (code === undefined) reject(error);
      else resolve({ code, stdout: '', stderr: `${program}: ${error.message}\n` });
    });
    // A daemon the command started may keep our pipes open long after the command itself exited.
    child.on('exit', () => {
      timers.push(
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
        }, STREAM_GRACE_MS),
      );
    });
    child.on('close', (code, signal) => {
      done();
      resolve({
        code: timedOut ? TIMED_OUT : exitCode(code, signal),
        stdout: stdout.text(),
        stderr:
          stderr.text() +
          (timedOut ? `patchcast: killed after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms\n` : ''),
      });
    });
  });
}

function spawnErrorCode(error: NodeJS.ErrnoException): number | undefined {
  if (error.code === 'ENOENT') return NOT_FOUND;
  // Found but not executable: the shells' 126.
  if (error.code === 'EACCES') return 126;
  return undefined;
}

/** A signal's death as shells report it: 128 + the signal's number. */
export function exitCode(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  if (signal !== null) return 128 + (constants.signals[signal] ?? 0);
  return 1;
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
