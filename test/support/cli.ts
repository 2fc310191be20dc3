import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/patchcast.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `patchcast` command as a user would, in `cwd`, with extra environment. */
export function runPatchcast(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined> },
): CliResult {
  const env: Record<string, string | undefined> = {
    ...process.env,
    PATCHCAST_DATABASE_URL: '',
    PATCHCAST_HOME: '',
    PATCHCAST_CONFIG: '',
    // The sources, never a dist/ that may be stale (bin/patchcast.js honours this flag).
    PATCHCAST_FROM_SOURCE: '1',
    ...options.env,
  };
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env,
    encoding: 'utf8',
    // A first `patchcast run` takes about a minute on a busy 2-core machine; this only stops a hang.
    timeout: 300_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** `patchcast …` in `cwd` with its store under `home`, returning stdout; throws with the output when it fails. */
export function makeCli(cwd: () => string, home: () => string): (...args: string[]) => string {
  return (...args) => {
    const result = runPatchcast(args, { cwd: cwd(), env: { PATCHCAST_HOME: home() } });
    if (result.code !== 0)
      throw new Error(
        `patchcast ${args.join(' ')} exited ${result.code}:\n${result.stderr}\n${result.stdout}`,
      );
    return result.stdout;
  };
}
