import type { DebianAdvisory, DebianFixedPackage } from '../../core/types.js';
import { chunk, type Db } from '../rows.js';
import type { DebianAdvisoriesTable } from '../schema.js';

/** An advisory with its line in the synced file (the order of advisories of the same day). */
export interface PositionedDebianAdvisory {
  advisory: DebianAdvisory;
  position: number;
}

/** What `upsertDebianAdvisories` did: rows inserted or changed, and the table's size after. */
export interface DebianAdvisoryWrite {
  written: number;
  total: number;
}

/**
 * Inserts new advisories and rewrites changed ones; an advisory stored exactly as given is left
 * alone, so a second sync of the same file writes nothing. Advisories absent from `advisories` stay:
 * Debian never withdraws a DSA/DLA id, and a partial file must not erase the history.
 */
export async function upsertDebianAdvisories(
  db: Db,
  advisories: readonly PositionedDebianAdvisory[],
): Promise<DebianAdvisoryWrite> {
  const stored = new Map<string, string>();
  for (const row of await db.selectFrom('debian_advisories').selectAll().execute())
    stored.set(row.id, getRowKey(row));
  const changed = advisories.map(toRow).filter((row) => stored.get(row.id) !== getRowKey(row));
  for (const batch of chunk(changed, 13)) {
    await db
      .insertInto('debian_advisories')
      .values(batch)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          family: eb.ref('excluded.family'),
          number: eb.ref('excluded.number'),
          revision: eb.ref('excluded.revision'),
          published: eb.ref('excluded.published'),
          package: eb.ref('excluded.package'),
          title: eb.ref('excluded.title'),
          cves: eb.ref('excluded.cves'),
          fixed: eb.ref('excluded.fixed'),
          is_regression_update: eb.ref('excluded.is_regression_update'),
          followed_by_regression: eb.ref('excluded.followed_by_regression'),
          regression_published: eb.ref('excluded.regression_published'),
          position: eb.ref('excluded.position'),
        })),
      )
      .execute();
  }
  return { written: changed.length, total: await countDebianAdvisories(db) };
}

/** Every stored advisory, by publication day, then by its line in the synced file. */
export async function listDebianAdvisories(db: Db): Promise<DebianAdvisory[]> {
  const rows = await db
    .selectFrom('debian_advisories')
    .selectAll()
    .orderBy('published')
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map(fromRow);
}

export async function countDebianAdvisories(db: Db): Promise<number> {
  const row = await db
    .selectFrom('debian_advisories')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

function toRow({ advisory: a, position }: PositionedDebianAdvisory): DebianAdvisoriesTable {
  return {
    id: a.id,
    family: a.family,
    number: a.number,
    revision: a.revision,
    published: a.published,
    package: a.package,
    title: a.title,
    cves: JSON.stringify(a.cves),
    fixed: JSON.stringify(
      a.fixed.map((f) => ({ release: f.release, package: f.package, version: f.version })),
    ),
    is_regression_update: a.isRegressionUpdate ? 1 : 0,
    followed_by_regression: a.followedByRegression ? 1 : 0,
    regression_published: a.regressionPublished ?? null,
    position,
  };
}

function fromRow(row: DebianAdvisoriesTable): DebianAdvisory {
  const advisory: DebianAdvisory = {
    id: row.id,
    family: row.family === 'DLA' ? 'DLA' : 'DSA',
    number: Number(row.number),
    revision: Number(row.revision),
    published: row.published,
    package: row.package,
    title: row.title,
    cves: JSON.parse(row.cves) as string[],
    fixed: JSON.parse(row.fixed) as DebianFixedPackage[],
    isRegressionUpdate: Number(row.is_regression_update) === 1,
    followedByRegression: Number(row.followed_by_regression) === 1,
  };
  if (row.regression_published) advisory.regressionPublished = row.regression_published;
  return advisory;
}

/** A row's content in one string, to tell an unchanged advisory from a changed one. */
function getRowKey(row: DebianAdvisoriesTable): string {
  return JSON.stringify([
    row.family,
    Number(row.number),
    Number(row.revision),
    row.published,
    row.package,
    row.title,
    row.cves,
    row.fixed,
    Number(row.is_regression_update),
    Number(row.followed_by_regression),
    row.regression_published,
    Number(row.position),
  ]);
}
