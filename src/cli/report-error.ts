import { CommanderError } from 'commander';
import { EXIT, PatchcastError, toPatchcastError } from '../core/errors.js';

/**
 * Prints an error the way a user wants it — one line of cause and one of hint; JSON with --json; the
 * stack with --verbose — and returns the exit code. The only place errors become exit codes.
 */
export function reportError(error: unknown, options: { json?: boolean; verbose?: boolean }): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  const coded = toPatchcastError(error);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(coded.toJSON())}\n`);
  } else {
    process.stderr.write(`error: ${coded.message} [${coded.code}]\n`);
    process.stderr.write(`hint: ${coded.hint}\n`);
  }
  if (options.verbose) {
    const original = coded.cause instanceof Error && coded.code === 'INTERNAL' ? coded.cause : coded;
    process.stderr.write(`${original.stack ?? ''}\n`);
    if (coded.cause instanceof Error && original !== coded.cause)
      process.stderr.write(`caused by: ${coded.cause.stack ?? coded.cause.message}\n`);
  }
  return coded.exitCode;
}

export { PatchcastError };
