import { statSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { type Config, loadConfig } from '../config/index.js';
import { PatchcastError } from '../core/errors.js';
import { type ServiceDeps, silentLogger, systemClock } from '../services/deps.js';
import { openStore, type Store } from '../store/index.js';

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  json?: boolean;
  verbose?: boolean;
  config?: string;
}

export function getGlobalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** The config named by --config / PATCHCAST_CONFIG / ./patchcast.yaml, or the defaults. */
export function loadCommandConfig(command: Command): Config {
  return loadConfig(getGlobalOptions(command).config);
}

/**
 * Opens the store the config and environment choose (PATCHCAST_DATABASE_URL, else SQLite under
 * PATCHCAST_HOME or the config's store.home), migrating on first use unless `migrate` is false.
 */
export async function openCommandStore(
  command: Command,
  options: { migrate?: boolean } = {},
): Promise<Store> {
  const config = loadCommandConfig(command);
  return openStore({ home: config.store.home, ...(options.migrate === false ? { migrate: false } : {}) });
}

/** Runs `fn` with an open store and always closes it. */
export async function withStore<T>(
  command: Command,
  fn: (store: Store) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const store = await openCommandStore(command, options);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * Runs `fn` with the services' deps: the open store, the config, the system clock and the CLI's
 * actor. The CLI runs on the machine that holds the store, so its user has every right (`admin`);
 * the audit log names the user. The store is always closed.
 */
export async function withServices<T>(
  command: Command,
  fn: (deps: ServiceDeps) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const config = loadCommandConfig(command);
  return withStore(
    command,
    (store) =>
      fn({
        store,
        config,
        clock: systemClock,
        actor: { kind: 'cli', id: getActor(), role: 'admin' },
        logger: silentLogger,
      }),
    options,
  );
}

/** Who ran the command, for the audit log. */
export function getActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/**
 * Checks an option that names a mirror directory before any work starts, so a typo gives one coded
 * line instead of an ENOENT per feed.
 */
export function requireDirectory(path: string, option: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new PatchcastError('INPUT_NOT_FOUND', `${option} ${path}: no such directory`, {
      hint: `Pass the directory of a feed mirror (the files patchcast sync reads), e.g. ${option} ./mirror.`,
      details: { option, path },
    });
  }
  if (!isDirectory)
    throw new PatchcastError('INPUT_INVALID', `${option} ${path} is a file, not a directory`, {
      hint: `Pass the directory that holds the mirror's files; to read one source from a file use patchcast sync SOURCE --from FILE.`,
      details: { option, path },
    });
}
