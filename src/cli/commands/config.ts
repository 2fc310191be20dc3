import type { Command } from 'commander';
import { getConfigJsonSchema, loadConfig } from '../../config/index.js';
import { getGlobalOptions } from '../context.js';
import { printJson, printLine } from '../output.js';

export function registerConfigCommand(program: Command): void {
  const config = program.command('config').description('check and inspect patchcast.yaml');

  config
    .command('validate')
    .description('validate a config file (shape, then rules across fields)')
    .argument('[file]', 'the file (default: --config, PATCHCAST_CONFIG or ./patchcast.yaml)')
    .action((file: string | undefined, _options: unknown, command: Command) => {
      const globals = getGlobalOptions(command);
      const loaded = loadConfig(file ?? globals.config);
      const summary = {
        file: loaded.file,
        valid: true,
        slaRules: loaded.policies.sla.length,
        windows: loaded.windows.length,
        freezes: loaded.freezes.length,
        rings: loaded.rings.length,
      };
      if (globals.json) return printJson(summary);
      printLine(`${loaded.file ?? '(built-in defaults: no patchcast.yaml found)'}: valid`);
      printLine(
        `  ${summary.slaRules} SLA rules, ${summary.windows} windows, ${summary.freezes} freezes, ${summary.rings} rings`,
      );
    });

  config
    .command('show')
    .description('print the effective config after defaults and environment')
    .action((_options: unknown, command: Command) => {
      printJson(loadConfig(getGlobalOptions(command).config));
    });

  config
    .command('schema')
    .description('print the JSON schema of patchcast.yaml')
    .action(() => printJson(getConfigJsonSchema()));
}
