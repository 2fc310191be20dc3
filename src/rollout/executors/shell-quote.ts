import { PatchcastError } from '../../core/errors.js';

/**
 * One argument quoted for a POSIX shell: inside single quotes nothing is special (no `$`, backtick,
 * backslash or newline), and a single quote itself is closed, escaped and reopened: `'\''`.
 * NUL cannot be carried by any shell word (nor by execve), so it is refused.
 */
export function quoteForShell(arg: string): string {
  if (arg.includes('\0')) {
    throw new PatchcastError(
      'INPUT_INVALID',
      'a command argument contains a NUL byte, which no host can receive',
    );
  }
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** An argv as one command line for the remote shell, every word quoted. */
export function quoteArgv(argv: readonly string[]): string {
  return argv.map(quoteForShell).join(' ');
}
