/**
 * The controller processes a drill runs: real `patchcast controller` processes (the sources, as the
 * tests run them), each with its own log file, killed with SIGKILL when the drill says so.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { BIN } from '../../test/support/cli.js';

export interface ControllerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** The boundary it SIGKILLs itself at (PATCHCAST_DRILL_KILL_AT), if armed. */
  readonly killAt?: number;
  /** Resolves with how it ended: an exit code or a signal name. */
  readonly exited: Promise<string>;
  isRunning(): boolean;
}

let count = 0;

export function spawnController(input: {
  dir: string;
  env: Record<string, string>;
  role: string;
  killAt?: number;
  tickMs?: number;
}): ControllerProcess {
  const name = `${input.role}-${++count}`;
  const env: Record<string, string | undefined> = {
    ...process.env,
    PATCHCAST_CONFIG: '',
    PATCHCAST_FROM_SOURCE: '1',
    PATCHCAST_DRILL_KILL_AT: input.killAt === undefined ? '' : String(input.killAt),
    ...input.env,
  };
  const child = spawn(process.execPath, [BIN, 'controller', '--tick', String(input.tickMs ?? 200)], {
    cwd: input.dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(join(input.dir, `controller-${name}.log`));
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  let running = true;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      resolve(signal ?? `exit ${code}`);
    });
  });
  return {
    name,
    child,
    ...(input.killAt !== undefined ? { killAt: input.killAt } : {}),
    exited,
    isRunning: () => running,
  };
}

/** SIGKILL, as a crash would: no clean-up, no last report. */
export async function crashController(controller: ControllerProcess): Promise<void> {
  if (!controller.isRunning()) return;
  controller.child.kill('SIGKILL');
  await controller.exited;
}

/** SIGTERM (the controller lets its jobs finish), then SIGKILL after `graceMs`. */
export async function stopController(controller: ControllerProcess, graceMs = 60_000): Promise<void> {
  if (!controller.isRunning()) return;
  controller.child.kill('SIGTERM');
  const timer = setTimeout(() => controller.child.kill('SIGKILL'), graceMs);
  await controller.exited;
  clearTimeout(timer);
}
