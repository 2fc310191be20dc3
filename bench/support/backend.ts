/**
 * Where a bench's store lives: a temp SQLite home, or a fresh schema on the PostgreSQL server
 * (`PATCHCAST_BENCH_DATABASE_URL`, default the machine's `test` database), dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { PhaseOptions } from './fleet-store.js';

export type Backend = 'sqlite' | 'postgres';

export const PG_URL = process.env.PATCHCAST_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The backend a `--backend` value names, or undefined for anything else. */
export function parseBackend(value: string | undefined): Backend | undefined {
  return value === 'sqlite' || value === 'postgres' ? value : undefined;
}

/** A phase's `--location` (a directory or a postgres:// URL) as the store's location. */
export function toLocation(location: string): PhaseOptions['location'] {
  return location.startsWith('postgres') ? { databaseUrl: location } : { home: location };
}

/**
 * Runs `fn` with a fresh location on `backend` and removes it afterwards (unless `keep`: then it is
 * printed, so phases can be re-run on it with `--phase … --location …`).
 */
export async function withBackend<T>(
  backend: Backend,
  fn: (location: string) => T | Promise<T>,
  options: { keep?: boolean } = {},
): Promise<T> {
  if (backend === 'sqlite') {
    const home = mkdtempSync(join(tmpdir(), 'pc-bench-'));
    try {
      return await fn(home);
    } finally {
      if (options.keep) console.error(`kept the store: --location ${home}`);
      else rmSync(home, { recursive: true, force: true });
    }
  }
  const schema = `pc_bench_${process.pid}`;
  const url = new URL(PG_URL);
  url.searchParams.set('schema', schema);
  try {
    return await fn(url.toString());
  } finally {
    if (options.keep) console.error(`kept the store: --location ${url}`);
    else {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    }
  }
}
