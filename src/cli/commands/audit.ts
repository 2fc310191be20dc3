import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import { verifyAuditLog } from '../../services/audit/verify-audit-log.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine } from '../output.js';

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit log');
  audit
    .command('verify')
    .description('re-compute the hash chain and report the first broken link')
    .action(async (_options: unknown, command: Command) => {
      const result = await withServices(command, verifyAuditLog);
      if (getGlobalOptions(command).json) printJson(result);
      else if (result.ok) printLine(`audit log intact: ${result.count} events`);
      if (!result.ok) {
        throw new PatchcastError(
          'INPUT_INVALID',
          `audit log broken at event ${result.brokenAt} (${result.count} events before it verify)`,
          {
            hint: 'The log was altered outside patchcast; restore it from a backup and investigate.',
          },
        );
      }
    });
}
