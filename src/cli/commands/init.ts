import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_CONFIG_FILE, STARTER_CONFIG } from '../../config/index.js';
import { PatchcastError } from '../../core/errors.js';
import { getGlobalOptions } from '../context.js';
import { printJson, printLine } from '../output.js';

export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('write a commented starter patchcast.yaml')
    .argument('[file]', 'where to write it', DEFAULT_CONFIG_FILE)
    .option('--force', 'overwrite an existing file')
    .action((file: string, options: { force?: boolean }, command: Command) => {
      const path = resolve(file);
      if (existsSync(path) && !options.force) {
        throw new PatchcastError('CONFIG_EXISTS', `${path} already exists; it was left as it is`);
      }
      writeFileSync(path, STARTER_CONFIG);
      if (getGlobalOptions(command).json) printJson({ written: path });
      else printLine(`wrote ${path} — edit it, then run: patchcast config validate ${file}`);
    });
}
