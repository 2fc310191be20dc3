import { CommanderError } from 'commander';
import { EXIT, PatchcastError, toPatchcastError } from '../core/errors.js';

/** Commander codes that mean "help or version was printed", not a mistake. */
const NOT_ERRORS = new Set(['commander.help', 'commander.helpDisplayed', 'commander.version']);

/**
 * Prints an error the way a user wants it — one line of cause and one of hint; JSON with --json; the
 * stack with --verbose — and returns the exit code. The only place errors become exit codes.
 */
export function reportError(error: unknown, options: { json?: boolean; verbose?: boolean }): number {
  if (error instanceof CommanderError && NOT_ERRORS.has(error.code))
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  const coded = error instanceof CommanderError ? fromCommanderError(error) : toPatchcastError(error);
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

/** An unknown option, a missing argument, an unknown command: commander's words, patchcast's code and hint. */
function fromCommanderError(error: CommanderError): PatchcastError {
  const lines = error.message
    .replace(/^error: /, '')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const suggestion = lines
    .slice(1)
    .join(' ')
    .replace(/^\((.*)\)$/, '$1');
  return new PatchcastError('USAGE_INVALID_ARGUMENT', lines[0] ?? error.code, {
    hint: `${suggestion ? `${suggestion} ` : ''}Run the command with --help for its options.`,
    details: { commander: error.code },
  });
}

export { PatchcastError };
