import { createRequire } from 'node:module';
import { Command } from 'commander';

const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };

/** Adds one top-level command (and its subcommands) to the program. */
export type RegisterCommand = (program: Command) => void;

/**
 * One line per command; each lives in commands/<verb>.ts and is imported only when it runs, so
 * `patchcast --version` loads no command and `patchcast findings` loads only what findings needs.
 */
const COMMANDS: ReadonlyArray<readonly [string, () => Promise<RegisterCommand>]> = [
  ['run', async () => (await import('./commands/run.js')).registerRunCommand],
  ['init', async () => (await import('./commands/init.js')).registerInitCommand],
  ['config', async () => (await import('./commands/config.js')).registerConfigCommand],
  ['db', async () => (await import('./commands/db.js')).registerDbCommand],
  ['sync', async () => (await import('./commands/sync.js')).registerSyncCommand],
  ['inventory', async () => (await import('./commands/inventory.js')).registerInventoryCommand],
  ['assets', async () => (await import('./commands/assets.js')).registerAssetsCommand],
  ['drift', async () => (await import('./commands/drift.js')).registerDriftCommand],
  ['findings', async () => (await import('./commands/findings.js')).registerFindingsCommand],
  ['patches', async () => (await import('./commands/patches.js')).registerPatchesCommand],
  ['scan', async () => (await import('./commands/scan.js')).registerScanCommand],
  ['vex', async () => (await import('./commands/vex.js')).registerVexCommand],
  ['exceptions', async () => (await import('./commands/exceptions.js')).registerExceptionsCommand],
  ['sla', async () => (await import('./commands/sla.js')).registerSlaCommand],
  ['audit', async () => (await import('./commands/audit.js')).registerAuditCommand],
  ['model', async () => (await import('./commands/model.js')).registerModelCommand],
  ['explain', async () => (await import('./commands/explain.js')).registerExplainCommand],
  ['reliability', async () => (await import('./commands/reliability.js')).registerReliabilityCommand],
  ['plan', async () => (await import('./commands/plan.js')).registerPlanCommand],
  ['rollout', async () => (await import('./commands/rollout.js')).registerRolloutCommand],
  ['controller', async () => (await import('./commands/controller.js')).registerControllerCommand],
  ['serve', async () => (await import('./commands/serve.js')).registerServeCommand],
  ['tokens', async () => (await import('./commands/tokens.js')).registerTokensCommand],
  ['agents', async () => (await import('./commands/agents.js')).registerAgentsCommand],
  ['agent', async () => (await import('./commands/agent.js')).registerAgentCommand],
];

/** Root options that take a value: the word after them is not a command name. */
const VALUE_OPTIONS = new Set(['-c', '--config']);

/**
 * The register functions `argv` needs: none for `--version` alone, the named command's when argv
 * names one, every command otherwise (help, an unknown command, the docs generator).
 */
export async function loadCommands(argv?: readonly string[]): Promise<RegisterCommand[]> {
  const wanted = argv === undefined ? undefined : findCommandName(argv);
  if (argv && wanted === undefined && isVersionOnly(argv)) return [];
  const chosen = wanted === undefined ? COMMANDS : COMMANDS.filter(([name]) => name === wanted);
  return Promise.all(chosen.map(([, load]) => load()));
}

function findCommandName(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (VALUE_OPTIONS.has(arg)) i++;
    else if (!arg.startsWith('-')) return COMMANDS.some(([name]) => name === arg) ? arg : undefined;
  }
  return undefined;
}

function isVersionOnly(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === '-V' || arg === '--version') && argv.every((arg) => arg.startsWith('-'));
}

/** The CLI program with the given commands, built apart from running it so tests and the docs generator can inspect it. */
export function makeProgram(commands: readonly RegisterCommand[]): Command {
  const program = new Command('patchcast')
    .description('forecast-driven patch management')
    .version(pkg.version, '-V, --version')
    .option('--json', 'machine-readable output (and errors)')
    .option('--verbose', 'show stack traces on errors')
    .option('-c, --config <file>', 'patchcast.yaml to use (default: PATCHCAST_CONFIG or ./patchcast.yaml)')
    .configureOutput({ outputError: () => {} })
    .exitOverride();
  for (const register of commands) register(program);
  silenceErrors(program);
  return program;
}

/** Commander's own error lines are replaced by reportError's coded line; help and version still print. */
function silenceErrors(command: Command): void {
  for (const sub of command.commands) {
    sub.exitOverride();
    sub.configureOutput({ outputError: () => {} });
    silenceErrors(sub);
  }
}

/** Every command's program, for help text and the CLI reference. */
export async function loadProgram(argv?: readonly string[]): Promise<Command> {
  return makeProgram(await loadCommands(argv));
}
