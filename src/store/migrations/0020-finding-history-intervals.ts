import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * Finding history as change intervals (issue #18): a row holds a finding's state from `day` until
 * `until` (exclusive; null while it is the current state), and a new row is written only when the
 * tracked state changes (status, risk band, due date, SLA rule or state, exception, KEV listing). A
 * day with no change writes nothing; what passes with the days (on-track → due-soon → breached; the
 * due date of a paused finding moving a day a day) is derived when a day is asked, from `due_date`,
 * `warn_days` and `due_moves`. `sla_state` holds `running` where the clock state is derived, else a
 * state as recorded (`paused`, `closed`, and the states of the daily rows converted here).
 *
 * The daily rows of 0005 are converted without losing an answer: consecutive rows of a finding that
 * are equal in every column become one interval, kept as recorded (the SLA state literally, KEV as
 * listed from the interval's first day), and each interval ends where the next recorded one starts,
 * as the latest row on or before a day answered before.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const postgres = dialect === 'postgres';
  await sql`create table finding_history_0020 (
    finding_id text not null,
    day text not null,
    until text,
    asset_id text not null,
    vulnerability_id text not null,
    status text not null,
    risk real,
    due_date text,
    due_moves integer not null default 0,
    sla_state text not null,
    sla_rule text,
    warn_days integer,
    exception_id text,
    kev_since text,
    constraint finding_history_0020_pkey primary key (finding_id, day)
  )`.execute(db);
  const text = (c: string) => sql`coalesce(cast(${sql.ref(c)} as text), '')`;
  const signature = sql.join(
    ['asset_id', 'vulnerability_id', 'status', 'risk', 'due_date', 'sla_state', 'sla_rule', 'kev'].map(text),
    sql` || '|' || `,
  );
  await sql`insert into finding_history_0020
      (finding_id, day, until, asset_id, vulnerability_id, status, risk, due_date, sla_state, sla_rule, kev_since)
    select finding_id, day, lead(day) over (partition by finding_id order by day), asset_id, vulnerability_id,
      status, risk, due_date, sla_state, sla_rule, case when kev = 1 then day end
    from (
      select h.*, lag(sig) over (partition by finding_id order by day) as previous
      from (select finding_history.*, ${signature} as sig from finding_history) h
    ) runs
    where previous is null or previous <> sig`.execute(db);
  await sql`drop table finding_history`.execute(db);
  await sql`alter table finding_history_0020 rename to finding_history`.execute(db);
  if (postgres)
    await sql`alter table finding_history rename constraint finding_history_0020_pkey to finding_history_pkey`.execute(
      db,
    );
  // An asset's current states (the policies step compares with them) and its removal.
  await sql`create index finding_history_asset on finding_history (asset_id, until)`.execute(db);
  // The exceptions step finds the excepted findings without reading every finding.
  await sql`create index findings_excepted on findings (asset_id) where status = 'excepted'`.execute(db);
}
