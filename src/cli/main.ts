import { PatchcastError } from '../core/errors.js';
import { takeRequestedExitCode } from './exit-code.js';
import { loadProgram } from './program.js';
import { reportError } from './report-error.js';

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  takeRequestedExitCode();
  try {
    const program = await loadProgram(argv);
    await program.parseAsync(argv, { from: 'user' });
    return takeRequestedExitCode();
  } catch (error) {
    takeRequestedExitCode();
    const json = argv.includes('--json');
    const verbose = argv.includes('--verbose');
    return reportError(error, { json, verbose });
  }
}

/**
 * The process entry (bin/patchcast.js): runs the CLI and sets the exit code. When the reader of stdout
 * goes away (`patchcast findings | head -3`), it says so in one coded line and ends at once instead
 * of crashing on EPIPE with a stack trace.
 */
export async function runMain(argv: string[]): Promise<void> {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    const closed = new PatchcastError('OUTPUT_CLOSED', 'stdout was closed before the output ended (EPIPE)');
    process.exit(reportError(closed, {}));
  });
  process.exitCode = await runCli(argv);
}

const isEntry = process.argv[1] && /[\\/]cli[\\/]main\.[jt]s$/.test(process.argv[1]);
if (isEntry) await runMain(process.argv.slice(2));
