/** The drill's own view of the store: direct SQL on the run's schema (read, and the lease fault). */
import pg from 'pg';

export interface StoreProbe {
  rolloutStatus(): Promise<string | undefined>;
  /** How many job events (step reports, leases, ends) the store holds: progress. */
  countEvents(): Promise<number>;
  leasedJobs(): Promise<Array<{ id: string; step: string | null; token: number }>>;
  /** Makes every current lease look expired; returns the jobs it touched. */
  expireLeases(): Promise<string[]>;
  /** Ends the connections of the processes that use `applicationName`; returns how many. */
  terminateConnections(applicationName: string): Promise<number>;
  jobs(): Promise<JobRow[]>;
  events(jobId: string): Promise<Array<{ kind: string; data: Record<string, unknown> }>>;
  close(): Promise<void>;
}

export interface JobRow {
  id: string;
  assetId: string;
  status: string;
  step: string | null;
  attempts: number;
  token: number;
  lastError: string | null;
}

export async function openStoreProbe(connectionString: string, schema: string): Promise<StoreProbe> {
  const client = new pg.Client({ connectionString, options: `-c search_path=${schema}` });
  await client.connect();
  const rows = async <T>(sql: string, params: unknown[] = []) =>
    (await client.query(sql, params)).rows as T[];
  return {
    async rolloutStatus() {
      const [row] = await rows<{ status: string }>('select status from rollouts limit 1');
      return row?.status;
    },
    async countEvents() {
      const [row] = await rows<{ n: string }>('select count(*) as n from job_events');
      return Number(row?.n ?? 0);
    },
    async leasedJobs() {
      return rows("select id, step, lease_token::int as token from jobs where status = 'leased' order by id");
    },
    async expireLeases() {
      const past = new Date(Date.now() - 1000).toISOString();
      const done = await rows<{ id: string }>(
        "update jobs set lease_expires_at = $1 where status = 'leased' returning id",
        [past],
      );
      return done.map((r) => r.id);
    },
    async terminateConnections(applicationName) {
      const done = await rows<{ ok: boolean }>(
        'select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()',
        [applicationName],
      );
      return done.filter((r) => r.ok).length;
    },
    async jobs() {
      return rows(
        `select id, asset_id as "assetId", status, step, attempts::int as attempts,
                lease_token::int as token, last_error as "lastError"
           from jobs order by asset_id`,
      );
    },
    async events(jobId) {
      const found = await rows<{ kind: string; data: string | null }>(
        'select kind, data from job_events where job_id = $1 order by id',
        [jobId],
      );
      return found.map((r) => ({ kind: r.kind, data: r.data ? JSON.parse(r.data) : {} }));
    },
    close: () => client.end(),
  };
}
