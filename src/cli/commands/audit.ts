import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import { listAuditEvents } from '../../services/audit/list-audit-events.js';
import { verifyAuditLog } from '../../services/audit/verify-audit-log.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine } from '../output.js';

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit log');
  audit
    .command('list')
    .description(
      'audit events in order: who did what, when, with its numbers (rollout gates, approvals, job outcomes)',
    )
    .option('--after <seq>', 'only events after this sequence number', '0')
    .option('--limit <n>', 'at most this many', '1000')
    .option('--action <prefix>', 'only actions starting with this (e.g. rollout:, wave:, job:)')
    .action(async (options: { after: string; limit: string; action?: string }, command: Command) => {
      const afterSeq = Number(options.after);
      const limit = Number(options.limit);
      if (!Number.isInteger(afterSeq) || afterSeq < 0 || !Number.isInteger(limit) || limit < 1)
        throw new PatchcastError(
          'USAGE_INVALID_ARGUMENT',
          '--after and --limit take whole numbers (--limit at least 1)',
        );
      const events = (
        await withServices(command, (deps) => listAuditEvents(deps, { afterSeq, limit }))
      ).filter((e) => !options.action || e.action.startsWith(options.action));
      if (getGlobalOptions(command).json) return printJson({ events });
      for (const e of events)
        printLine(
          `${e.seq}\t${e.at}\t${e.actor}\t${e.action}\t${e.subject ?? ''}\t${e.data ? JSON.stringify(e.data) : ''}`,
        );
    });
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
