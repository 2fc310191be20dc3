import { vi } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { CliResult } from './cli.js';

/**
 * Runs the real `patchcast` program (`runCli`, what bin/patchcast.js calls) inside the test process,
 * capturing stdout and stderr: the same commands as `runPatchcast` without ~2 s of start-up per call.
 * The store is SQLite under `home`; no config file unless `env` names one.
 */
export async function runPatchcastInProcess(
  args: string[],
  options: { home: string; env?: Record<string, string> },
): Promise<CliResult> {
  const env = {
    PATCHCAST_DATABASE_URL: '',
    PATCHCAST_CONFIG: '',
    PATCHCAST_HOME: options.home,
    ...options.env,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const capture = (into: string[]) => (chunk: string | Uint8Array) => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture(stdout) as never);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture(stderr) as never);
  try {
    const code = await runCli(args);
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    out.mockRestore();
    err.mockRestore();
    vi.unstubAllEnvs();
  }
}
