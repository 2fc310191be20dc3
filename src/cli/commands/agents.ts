import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import { createEnrollToken, listAgents, revokeAgent } from '../../services/auth/agents.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';

/** `patchcast agents`: enrollment tokens, enrolled agents, revocation. */
export function registerAgentsCommand(program: Command): void {
  const agents = program
    .command('agents')
    .description('endpoint agents: enrollment tokens, enrolled agents (each bound to one asset), revocation');
  agents
    .command('enroll-token')
    .description('enrollment tokens an agent trades for its own credential')
    .command('create')
    .description('create an enrollment token; printed once')
    .option('--expires <duration>', 'how long it can be used', '1h')
    .option('--uses <n>', 'how many agents may enroll with it', '1')
    .action(async (o: { expires: string; uses: string }, command: Command) => {
      const uses = Number(o.uses);
      if (!Number.isInteger(uses) || uses < 1)
        throw new PatchcastError('USAGE_INVALID_ARGUMENT', `--uses ${o.uses} is not a whole number ≥ 1`);
      const created = await withServices(command, (deps) =>
        createEnrollToken(deps, { expires: o.expires, uses }),
      );
      if (getGlobalOptions(command).json) return printJson(created);
      printLine(`enrollment token ${created.id} (${created.uses} uses, expires ${created.expiresAt}):`);
      printLine(created.token);
      printLine('An agent enrolls with POST /api/v1/agents/enroll {"enrollToken", "assetId", "hostname"}.');
    });
  agents
    .command('list')
    .description('list enrolled agents')
    .action(async (_o: unknown, command: Command) => {
      const rows = await withServices(command, (deps) => listAgents(deps));
      if (getGlobalOptions(command).json) return printJson(rows);
      printTable(
        rows.map((a) => ({
          id: a.id,
          asset: a.assetId,
          hostname: a.hostname,
          enrolled: a.enrolledAt,
          'last seen': a.lastSeenAt ?? 'never',
          revoked: a.revokedAt ?? '-',
        })),
      );
    });
  agents
    .command('revoke')
    .description("revoke an agent's credential")
    .argument('<id>', 'agent id (see `patchcast agents list`)')
    .action(async (id: string, _o: unknown, command: Command) => {
      const agent = await withServices(command, (deps) => revokeAgent(deps, id));
      if (getGlobalOptions(command).json) return printJson(agent);
      printLine(`agent ${id} (${agent.assetId}) revoked`);
    });
}
