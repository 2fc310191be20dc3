import { PatchcastError } from '../core/errors.js';

/**
 * One argument for a POSIX shell, single-quoted: inside single quotes nothing is special except the
 * closing quote itself, which is written as `'\''` (close, escaped quote, reopen). POSIX XCU §2.2.3.
 */
export function quoteShellArg(arg: string): string {
  if (arg.includes('\0')) {
    throw new PatchcastError(
      'INPUT_INVALID',
      'a command argument contains a NUL byte, which no shell can pass',
    );
  }
  return `'${arg.replaceAll("'", "'\\''")}'`;
}

/** An argv as one shell command line, every element quoted. */
export function quoteShellCommand(argv: readonly string[]): string {
  return argv.map(quoteShellArg).join(' ');
}
