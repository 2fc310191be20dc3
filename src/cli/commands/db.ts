import type { Command } from 'commander';
import { getLatestMigration, loadMigrationStatus, migrateToLatest } from '../../store/index.js';
import { getGlobalOptions, withStore } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';

export function registerDbCommand(program: Command): void {
  const db = program
    .command('db')
    .description('the store: SQLite by default, PostgreSQL with PATCHCAST_DATABASE_URL');

  db.command('migrate')
    .description('apply pending migrations (commands also do this on first use)')
    .action(async (_options: unknown, command: Command) => {
      await withStore(
        command,
        async (store) => {
          const applied = await migrateToLatest(store);
          if (getGlobalOptions(command).json)
            return printJson({
              location: store.location,
              dialect: store.dialect,
              applied,
              latest: getLatestMigration(),
            });
          printLine(
            applied.length
              ? `applied ${applied.join(', ')} to ${store.location}`
              : `${store.location} is up to date (${getLatestMigration()})`,
          );
        },
        { migrate: false },
      );
    });

  db.command('status')
    .description('show the schema version and each migration')
    .action(async (_options: unknown, command: Command) => {
      await withStore(
        command,
        async (store) => {
          const states = await loadMigrationStatus(store);
          const pending = states.filter((s) => s.appliedAt === null).length;
          const unknown = states.filter((s) => s.unknown).length;
          if (getGlobalOptions(command).json) {
            return printJson({
              location: store.location,
              dialect: store.dialect,
              latest: getLatestMigration(),
              pending,
              unknown,
              migrations: states,
            });
          }
          printLine(`${store.dialect} ${store.location}`);
          printTable(
            states.map((s) => ({
              migration: s.name,
              applied: s.appliedAt ?? 'pending',
              note: s.unknown ? 'newer than this patchcast' : '',
            })),
          );
          if (unknown) printLine(`${unknown} migration(s) are newer than this patchcast: upgrade it`);
          else if (pending) printLine(`${pending} pending: run patchcast db migrate`);
        },
        { migrate: false },
      );
    });
}
