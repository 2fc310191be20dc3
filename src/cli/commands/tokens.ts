import type { Command } from 'commander';
import { createApiToken, listApiTokens, parseRole, revokeApiToken } from '../../services/auth/tokens.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';

/** `patchcast tokens create|list|revoke`: API bearer tokens, stored hashed. */
export function registerTokensCommand(program: Command): void {
  const tokens = program
    .command('tokens')
    .description('API tokens for patchcast serve: create, list, revoke');
  tokens
    .command('create')
    .description('create a token; its secret is printed once and stored only as a hash')
    .requiredOption('--name <name>', 'what the token is for (e.g. ci-pipeline)')
    .requiredOption('--role <role>', 'viewer, operator, approver or admin')
    .option('--expires <duration>', 'lifetime such as 90d or 12h (default: never)')
    .action(async (o: { name: string; role: string; expires?: string }, command: Command) => {
      const role = parseRole(o.role);
      const created = await withServices(command, (deps) =>
        createApiToken(deps, {
          name: o.name,
          role,
          ...(o.expires ? { expires: o.expires } : {}),
        }),
      );
      if (getGlobalOptions(command).json) return printJson(created);
      printLine(
        `token ${created.id} (${created.role}${created.expiresAt ? `, expires ${created.expiresAt}` : ''}):`,
      );
      printLine(created.token);
      printLine('Store it now: it is not shown again. Send it as Authorization: Bearer <token>.');
    });
  tokens
    .command('list')
    .description('list tokens (never their secrets), with their last use')
    .action(async (_o: unknown, command: Command) => {
      const rows = await withServices(command, (deps) => listApiTokens(deps));
      if (getGlobalOptions(command).json) return printJson(rows);
      printTable(
        rows.map((t) => ({
          id: t.id,
          name: t.name,
          role: t.role,
          created: t.createdAt,
          expires: t.expiresAt ?? 'never',
          'last used': t.lastUsedAt ?? 'never',
          revoked: t.revokedAt ?? '-',
        })),
      );
    });
  tokens
    .command('revoke')
    .description('revoke a token at once')
    .argument('<id>', 'token id (see `patchcast tokens list`)')
    .action(async (id: string, _o: unknown, command: Command) => {
      const token = await withServices(command, (deps) => revokeApiToken(deps, id));
      if (getGlobalOptions(command).json) return printJson(token);
      printLine(`token ${id} (${token.name}) revoked`);
    });
}
