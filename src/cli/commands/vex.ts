import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import { parseVexDocument, type VexStatement } from '../../matching/vex/index.js';
import { updateFindings } from '../../pipeline/update-findings.js';
import { listVexStatements, replaceVexStatements } from '../../store/index.js';
import { getGlobalOptions, loadCommandConfig, withStore } from '../context.js';
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
      const statements: VexStatement[] = [];
      for (const file of files) {
        const path = resolve(file);
        const text = await readFile(path, 'utf8').catch((error: Error) => {
          throw new PatchcastError(
            'INPUT_NOT_FOUND',
            `VEX document ${path} cannot be read: ${error.message}`,
          );
        });
        statements.push(...parseVexDocument(path, text));
      }
      await withStore(command, async (store) => {
        const now = new Date();
        await store.db.transaction().execute((db) => replaceVexStatements(db, statements, now.toISOString()));
        const refreshed = (await updateFindings(store, { now, config: loadCommandConfig(command) })).matched;
        const result = {
          statements: statements.length,
          suppressed: refreshed.suppressedByVex,
          reopened: refreshed.reopenedByVex,
        };
        if (getGlobalOptions(command).json) return printJson(result);
        printLine(
          `${result.statements} statements imported; ${result.suppressed} findings suppressed, ${result.reopened} reopened`,
        );
      });
    });

  vex
    .command('list')
    .description('list stored VEX statements')
    .action(async (_options: unknown, command: Command) => {
      await withStore(command, async (store) => {
        const statements = await listVexStatements(store.db);
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
    });
}
