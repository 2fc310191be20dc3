import type { Command } from 'commander';
import type { ExceptionRequest } from '../../risk/exceptions/index.js';
import { addException } from '../../services/exceptions/add-exception.js';
import { approveExceptionRequest } from '../../services/exceptions/approve-exception-request.js';
import { listExceptions } from '../../services/exceptions/list-exceptions.js';
import { requestException } from '../../services/exceptions/request-exception.js';
import { revokeException } from '../../services/exceptions/revoke-exception.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';

interface AddOptions {
  scope: string;
  id: string;
  owner: string;
  reason: string;
  expires: string;
  approver?: string;
  control?: string;
  asset?: string;
}

export function registerExceptionsCommand(program: Command): void {
  const exceptions = program
    .command('exceptions')
    .description('risk acceptances: owned, approved, expiring; excepted findings stay listed and counted');

  exceptions
    .command('add')
    .description(
      'accept the risk of a finding, a vulnerability across assets, a package or an asset until a date',
    )
    .requiredOption('--scope <scope>', 'finding, vulnerability, package or asset')
    .requiredOption('--id <id>', 'the finding id, vulnerability id (or CVE), package name or asset id')
    .requiredOption('--owner <name>', 'who owns the accepted risk')
    .requiredOption('--reason <text>', 'why the risk is accepted')
    .requiredOption('--expires <YYYY-MM-DD>', 'last day it holds (at most policies.exceptions.maxDays away)')
    .option('--approver <name>', 'who approved it (required when policies.exceptions.requireApprover)')
    .option('--control <text>', 'the compensating control in place')
    .option('--asset <id>', 'narrow a vulnerability or package exception to one asset')
    .action(async (options: AddOptions, command: Command) => {
      const { exception, covers } = await withServices(command, (deps) =>
        addException(deps, toRequest(options)),
      );
      if (getGlobalOptions(command).json) return printJson({ exception, covers });
      printLine(
        `${exception.id} added: ${exception.scope} ${options.id}, until ${options.expires}; ${covers} findings excepted`,
      );
      if (covers === 0) printLine('It covers no finding yet; check the id with `patchcast findings`.');
    });

  exceptions
    .command('request')
    .description('request a risk acceptance: it excepts nothing until an approver runs `exceptions approve`')
    .requiredOption('--scope <scope>', 'finding, vulnerability, package or asset')
    .requiredOption('--id <id>', 'the finding id, vulnerability id (or CVE), package name or asset id')
    .requiredOption('--owner <name>', 'who owns the accepted risk')
    .requiredOption('--reason <text>', 'why the risk is accepted')
    .requiredOption('--expires <YYYY-MM-DD>', 'last day it holds (at most policies.exceptions.maxDays away)')
    .option('--control <text>', 'the compensating control in place')
    .option('--asset <id>', 'narrow a vulnerability or package exception to one asset')
    .action(async (options: AddOptions, command: Command) => {
      const { approver: _approver, ...request } = toRequest(options);
      const { requestId } = await withServices(command, (deps) => requestException(deps, request));
      if (getGlobalOptions(command).json) return printJson({ requestId, request });
      printLine(`${requestId} requested: ${request.scope} ${request.id}, until ${request.expires}`);
      printLine(`An approver approves it with \`patchcast exceptions approve ${requestId}\`.`);
    });

  exceptions
    .command('approve')
    .description('approve a requested exception (once): it is created with you as the approver')
    .argument('<request-id>', 'the EXR-… id `exceptions request` printed (also in `patchcast audit`)')
    .action(async (requestId: string, _options: unknown, command: Command) => {
      const { exception, covers } = await withServices(command, (deps) =>
        approveExceptionRequest(deps, { requestId }),
      );
      if (getGlobalOptions(command).json) return printJson({ exception, covers });
      printLine(
        `${requestId} approved as ${exception.id} by ${exception.approver}, until ${exception.expiresAt.slice(0, 10)}; ${covers} findings excepted`,
      );
    });

  exceptions
    .command('list')
    .description(
      'list exceptions in force, with how many findings each covers (--all: also expired and revoked)',
    )
    .option('--all', 'include expired and revoked exceptions')
    .action(async (options: { all?: boolean }, command: Command) => {
      const rows = await withServices(command, (deps) =>
        listExceptions(deps, options.all ? { all: true } : {}),
      );
      if (getGlobalOptions(command).json) return printJson({ total: rows.length, exceptions: rows });
      if (rows.length === 0)
        return printLine(
          options.all ? 'No exceptions.' : 'No exceptions in force (--all shows lapsed ones).',
        );
      printTable(
        rows.map((e) => ({
          id: e.id,
          state: e.state,
          scope: e.scope,
          target: [e.findingId ?? e.vulnerabilityId ?? e.packageName, e.assetId].filter(Boolean).join(' @ '),
          owner: e.owner,
          approver: e.approver ?? null,
          expires: e.expiresAt.slice(0, 10),
          covers: e.covers,
          reason: e.reason,
        })),
      );
    });

  exceptions
    .command('revoke')
    .description('end an exception now; the findings it covered are open again')
    .argument('<id>', 'exception id (see `patchcast exceptions list`)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { revokedAt, reopened } = await withServices(command, (deps) => revokeException(deps, { id }));
      if (getGlobalOptions(command).json) return printJson({ id, revokedAt, reopened });
      printLine(`${id} revoked; ${reopened} findings open again`);
    });
}

function toRequest(o: AddOptions): ExceptionRequest {
  return {
    scope: o.scope,
    id: o.id,
    owner: o.owner,
    reason: o.reason,
    expires: o.expires,
    ...(o.approver !== undefined ? { approver: o.approver } : {}),
    ...(o.control !== undefined ? { compensatingControl: o.control } : {}),
    ...(o.asset !== undefined ? { assetId: o.asset } : {}),
  };
}
