import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import type { RiskException } from '../../core/types.js';
import { type ExceptionRequest, isExceptionActive, makeException } from '../../risk/exceptions/index.js';
import { applyPolicies } from '../../risk/sla/index.js';
import {
  appendAuditEvent,
  type Db,
  insertException,
  listExceptions,
  listFindings,
  loadAsset,
  revokeException,
} from '../../store/index.js';
import { getActor, getGlobalOptions, loadCommandConfig, withStore } from '../context.js';
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
      const config = loadCommandConfig(command);
      const now = new Date();
      const exception = makeException(toRequest(options), config.policies.exceptions, now);
      await withStore(command, async (store) => {
        const result = await store.db.transaction().execute(async (db) => {
          await checkTarget(db, exception);
          await insertException(db, exception);
          await appendAuditEvent(db, {
            at: now.toISOString(),
            actor: getActor(),
            action: 'exception:add',
            subject: exception.id,
            data: { ...exception },
          });
          await applyPolicies(db, now, config.policies);
          return { exception, covers: await countCovered(db, exception.id) };
        });
        if (getGlobalOptions(command).json) return printJson(result);
        printLine(
          `${exception.id} added: ${exception.scope} ${options.id}, until ${options.expires}; ${result.covers} findings excepted`,
        );
        if (result.covers === 0)
          printLine('It covers no finding yet; check the id with `patchcast findings`.');
      });
    });

  exceptions
    .command('list')
    .description(
      'list exceptions in force, with how many findings each covers (--all: also expired and revoked)',
    )
    .option('--all', 'include expired and revoked exceptions')
    .action(async (options: { all?: boolean }, command: Command) => {
      const now = new Date();
      await withStore(command, async (store) => {
        const all = await listExceptions(store.db, options.all ? {} : { activeAt: now.toISOString() });
        const counts = await countCoveredAll(store.db);
        const rows = all.map((e) => ({
          ...e,
          state: getState(e, now),
          covers: isExceptionActive(e, now) ? (counts.get(e.id) ?? 0) : 0,
        }));
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
            target: [e.findingId ?? e.vulnerabilityId ?? e.packageName, e.assetId]
              .filter(Boolean)
              .join(' @ '),
            owner: e.owner,
            approver: e.approver ?? null,
            expires: e.expiresAt.slice(0, 10),
            covers: e.covers,
            reason: e.reason,
          })),
        );
      });
    });

  exceptions
    .command('revoke')
    .description('end an exception now; the findings it covered are open again')
    .argument('<id>', 'exception id (see `patchcast exceptions list`)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const config = loadCommandConfig(command);
      const now = new Date();
      await withStore(command, async (store) => {
        const result = await store.db.transaction().execute(async (db) => {
          if (!(await revokeException(db, id, now.toISOString())))
            throw new PatchcastError(
              'STORE_NOT_FOUND',
              `exception ${id} does not exist or is already revoked`,
              {
                hint: 'List exceptions with `patchcast exceptions list --all`.',
              },
            );
          await appendAuditEvent(db, {
            at: now.toISOString(),
            actor: getActor(),
            action: 'exception:revoke',
            subject: id,
          });
          const policy = await applyPolicies(db, now, config.policies);
          return { id, revokedAt: now.toISOString(), reopened: policy.exceptions.reopened };
        });
        if (getGlobalOptions(command).json) return printJson(result);
        printLine(`${id} revoked; ${result.reopened} findings open again`);
      });
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

/** A finding or asset exception must name one that exists; a vulnerability or package may not be present yet. */
async function checkTarget(db: Db, e: RiskException): Promise<void> {
  if (e.assetId && !(await loadAsset(db, e.assetId)))
    throw new PatchcastError('STORE_NOT_FOUND', `asset ${e.assetId} does not exist`, {
      hint: 'List assets with `patchcast assets`.',
    });
  if (e.findingId) {
    const [found] = await listFindings(db, { ids: [e.findingId] });
    if (!found)
      throw new PatchcastError('STORE_NOT_FOUND', `finding ${e.findingId} does not exist`, {
        hint: 'Finding ids are in `patchcast findings --json`.',
      });
  }
}

async function countCovered(db: Db, id: string): Promise<number> {
  return (await countCoveredAll(db)).get(id) ?? 0;
}

/** Excepted findings per exception id. */
async function countCoveredAll(db: Db): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const f of await listFindings(db, { status: ['excepted'] })) {
    const ref = f.suppression?.ref;
    if (ref) counts.set(ref, (counts.get(ref) ?? 0) + 1);
  }
  return counts;
}

function getState(e: RiskException, now: Date): string {
  if (e.revokedAt && Date.parse(e.revokedAt) <= now.getTime()) return 'revoked';
  if (Date.parse(e.expiresAt) <= now.getTime()) return 'lapsed';
  return isExceptionActive(e, now) ? 'active' : 'pending';
}
