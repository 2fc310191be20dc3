import type { Command } from 'commander';
import { loadMigrationStatus, migrateStore } from '../../services/store/migrate-store.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';

export function registerDbCommand(program: Command): void {
  const db = program
    .command('db')
    .description('the store: SQLite by default, PostgreSQL with PATCHCAST_DATABASE_URL');

  db.command('migrate')
    .description('apply pending migrations (commands also do this on first use)')
    .action(async (_options: unknown, command: Command) => {
      const result = await withServices(command, migrateStore, { migrate: false });
      if (getGlobalOptions(command).json) return printJson(result);
      printLine(
        result.applied.length
          ? `applied ${result.applied.join(', ')} to ${result.location}`
          : `${result.location} is up to date (${result.latest})`,
      );
    });

  db.command('status')
    .description('show the schema version and each migration')
    .action(async (_options: unknown, command: Command) => {
      const status = await withServices(command, loadMigrationStatus, { migrate: false });
      if (getGlobalOptions(command).json) return printJson(status);
      printLine(`${status.dialect} ${status.location}`);
      printTable(
        status.migrations.map((s) => ({
          migration: s.name,
          applied: s.appliedAt ?? 'pending',
          note: s.unknown ? 'newer than this patchcast' : '',
        })),
      );
      if (status.unknown)
        printLine(`${status.unknown} migration(s) are newer than this patchcast: upgrade it`);
      else if (status.pending) printLine(`${status.pending} pending: run patchcast db migrate`);
    });
}
