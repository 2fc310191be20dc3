import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the tests use: 127.0.0.1:5432, trust auth, database `test`, unless overridden. */
export const TEST_PG_URL =
  process.env.PATCHCAST_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let availability: Promise<boolean> | undefined;

/**
 * Whether the test PostgreSQL answers. Off CI an absent server skips the PostgreSQL suites with one
 * line; in CI (CI=true) it fails the run, because the contract must hold on both backends there.
 */
export function isPostgresAvailable(): Promise<boolean> {
  availability ??= probe();
  return availability;
}

async function probe(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    if (process.env.CI === 'true')
      throw new Error(`PostgreSQL at ${TEST_PG_URL} is unreachable in CI: ${why}`);
    console.warn(`skipping PostgreSQL tests: ${TEST_PG_URL} is unreachable (${why})`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh schema for one test run, so runs never collide; drop it when done. */
export async function makeTestSchema(): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const schema = `pc_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(TEST_PG_URL);
  url.searchParams.set('schema', schema);
  return {
    url: url.toString(),
    schema,
    async drop() {
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
