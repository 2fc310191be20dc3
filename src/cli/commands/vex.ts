import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import { importVex, type VexDocument } from '../../services/vex/import-vex.js';
import { listVex } from '../../services/vex/list-vex.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';

export function registerVexCommand(program: Command): void {
  const vex = program
    .command('vex')
    .description(
      'VEX statements (CycloneDX VEX, OpenVEX, CSAF): not_affected and fixed suppress findings, visibly',
    );

  vex
    .command('import')
    .description(
      'import VEX documents and re-apply them to findings (re-importing a document replaces its statements)',
    )
    .argument('<files...>', 'VEX documents')
    .action(async (files: string[], _options: unknown, command: Command) => {
      const documents: VexDocument[] = [];
      for (const file of files) {
        const path = resolve(file);
        const text = await readFile(path, 'utf8').catch((error: Error) => {
          throw new PatchcastError(
            'INPUT_NOT_FOUND',
            `VEX document ${path} cannot be read: ${error.message}`,
            {
              details: { file: path },
            },
          );
        });
        documents.push({ source: path, text });
      }
      const { statements, suppressed, reopened } = await withServices(command, (deps) =>
        importVex(deps, { documents }),
      );
      if (getGlobalOptions(command).json) return printJson({ statements, suppressed, reopened });
      printLine(`${statements} statements imported; ${suppressed} findings suppressed, ${reopened} reopened`);
    });

  vex
    .command('list')
    .description('list stored VEX statements')
    .action(async (_options: unknown, command: Command) => {
      const statements = await withServices(command, listVex);
      if (getGlobalOptions(command).json) return printJson(statements);
      printTable(
        statements.map((s) => ({
          vulnerability: s.vulnerability,
          status: s.status,
          justification: s.justification ?? null,
          products: s.products.map((p) => p.purl ?? p.name ?? '?').join(' '),
          source: s.source,
        })),
      );
    });
}
