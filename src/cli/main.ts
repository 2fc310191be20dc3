import { makeProgram } from './program.js';
import { reportError } from './report-error.js';

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const program = makeProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    const json = argv.includes('--json');
    const verbose = argv.includes('--verbose');
    return reportError(error, { json, verbose });
  }
}

const isEntry = process.argv[1] && /[\\/]cli[\\/]main\.[jt]s$/.test(process.argv[1]);
if (isEntry) {
  process.exitCode = await runCli(process.argv.slice(2));
}
