import type { Command } from 'commander';
import { enrollAgent } from '../../agent/enroll.js';
import { runAgent } from '../../agent/run.js';
import { PatchcastError } from '../../core/errors.js';
import { getGlobalOptions } from '../context.js';
import { printJson, printLine } from '../output.js';

const DEFAULT_STATE = '/var/lib/patchcast-agent';

/** `patchcast agent`: the pull agent that runs on a managed Linux host. */
export function registerAgentCommand(program: Command): void {
  const agent = program
    .command('agent')
    .description("the pull agent on a managed host: enroll once, then run (leases its own host's jobs)");
  agent
    .command('enroll')
    .description("trade a one-time enrollment token for this host's credential (kept in the state directory)")
    .requiredOption('--server <url>', 'the patchcast server, https://HOST:PORT')
    .requiredOption('--token <token>', 'enrollment token (pce_…) from `patchcast agents enroll-token create`')
    .option('--state <dir>', 'state directory (mode 0700)', DEFAULT_STATE)
    .option('--asset <id>', 'the asset this host is in the store (default: the host name)')
    .option('--hostname <name>', "this host's name (default: /etc/hostname)")
    .option('--ca <file>', 'PEM file of the CA that signed the server certificate (self-signed servers)')
    .action(
      async (
        o: { server: string; token: string; state: string; asset?: string; hostname?: string; ca?: string },
        command: Command,
      ) => {
        const enrolled = await enrollAgent({
          server: o.server,
          token: o.token,
          stateDir: o.state,
          ...(o.asset ? { assetId: o.asset } : {}),
          ...(o.hostname ? { hostname: o.hostname } : {}),
          ...(o.ca ? { caFile: o.ca } : {}),
        });
        if (getGlobalOptions(command).json) return printJson(enrolled);
        printLine(
          `enrolled as agent ${enrolled.agentId} for asset ${enrolled.assetId} at ${enrolled.server}`,
        );
        printLine(
          `credential kept in ${enrolled.credentialFile}; start the agent with: patchcast agent run --state ${o.state}`,
        );
      },
    );
  agent
    .command('run')
    .description("lease and run this host's jobs, report each step and the host's inventory (until stopped)")
    .option('--state <dir>', 'state directory written by `patchcast agent enroll`', DEFAULT_STATE)
    .option(
      '--root <dir>',
      'manage the package installation rooted at DIR (commands run chrooted into it; inventory read from it)',
      '/',
    )
    .option('--once', 'exit 0 after the first poll that leases no job')
    .option('--poll-wait <seconds>', 'how long each lease request waits on the server for a job (0-30)', '20')
    .option('--apt-option <Key=Value>', 'extra apt setting, passed as -o (repeatable)', collect, [])
    .action(
      async (
        o: { state: string; root: string; once?: boolean; pollWait: string; aptOption: string[] },
        command: Command,
      ) => {
        const pollWait = Number(o.pollWait);
        if (!Number.isInteger(pollWait) || pollWait < 0 || pollWait > 30)
          throw new PatchcastError(
            'USAGE_INVALID_ARGUMENT',
            `--poll-wait ${o.pollWait} is not a whole number from 0 to 30`,
          );
        const stop = new AbortController();
        const onSignal = (name: string) => () => {
          log(`${name}: finishing the current step's report, then stopping`);
          stop.abort();
        };
        process.once('SIGTERM', onSignal('SIGTERM'));
        process.once('SIGINT', onSignal('SIGINT'));
        const summary = await runAgent({
          stateDir: o.state,
          root: o.root,
          once: o.once === true,
          pollWait,
          aptOptions: o.aptOption,
          signal: stop.signal,
          log,
        });
        if (getGlobalOptions(command).json) printJson(summary);
      },
    );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Progress goes to stderr, one timestamped line each; stdout stays for --json. */
function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} patchcast agent: ${line}\n`);
}
