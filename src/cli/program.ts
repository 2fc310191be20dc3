import { createRequire } from 'node:module';
import { Command } from 'commander';
import { registerAssetsCommand } from './commands/assets.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerConfigCommand } from './commands/config.js';
import { registerDbCommand } from './commands/db.js';
import { registerDriftCommand } from './commands/drift.js';
import { registerExceptionsCommand } from './commands/exceptions.js';
import { registerExplainCommand } from './commands/explain.js';
import { registerFindingsCommand } from './commands/findings.js';
import { registerInitCommand } from './commands/init.js';
import { registerInventoryCommand } from './commands/inventory.js';
import { registerModelCommand } from './commands/model.js';
import { registerPatchesCommand } from './commands/patches.js';
import { registerPlanCommand } from './commands/plan.js';
import { registerReliabilityCommand } from './commands/reliability.js';
import { registerRunCommand } from './commands/run.js';
import { registerScanCommand } from './commands/scan.js';
import { registerSlaCommand } from './commands/sla.js';
import { registerSyncCommand } from './commands/sync.js';
import { registerVexCommand } from './commands/vex.js';

const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };

/** One line per command; each lives in commands/<verb>.ts. */
const COMMANDS = [
  registerRunCommand,
  registerInitCommand,
  registerConfigCommand,
  registerDbCommand,
  registerSyncCommand,
  registerInventoryCommand,
  registerAssetsCommand,
  registerDriftCommand,
  registerFindingsCommand,
  registerPatchesCommand,
  registerScanCommand,
  registerVexCommand,
  registerExceptionsCommand,
  registerSlaCommand,
  registerAuditCommand,
  registerModelCommand,
  registerExplainCommand,
  registerReliabilityCommand,
  registerPlanCommand,
];

/** The CLI program, built apart from running it so tests and the docs generator can inspect it. */
export function makeProgram(): Command {
  const program = new Command('patchcast')
    .description('forecast-driven patch management')
    .version(pkg.version, '-V, --version')
    .option('--json', 'machine-readable output (and errors)')
    .option('--verbose', 'show stack traces on errors')
    .option('-c, --config <file>', 'patchcast.yaml to use (default: PATCHCAST_CONFIG or ./patchcast.yaml)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of COMMANDS) register(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}
