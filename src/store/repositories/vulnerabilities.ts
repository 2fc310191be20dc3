import { getOrCreate } from '../../core/collections.js';
import { getEcosystemBase, getLookupName } from '../../core/package-name.js';
import type { AffectedPackage, Vulnerability } from '../../core/types.js';
import { chunk, type Db, definedOnly, fromJson, orNull, toJson } from '../rows.js';
import type { VulnerabilitiesTable } from '../schema.js';
import type { PackageKey } from './advisories.js';
import { addPendingMatchKeys } from './match-state.js';

/**
 * Inserts or replaces vulnerabilities with their aliases and affected packages. Call inside a
 * transaction to make a feed batch land whole.
 */
export async function upsertVulnerabilities(db: Db, vulns: readonly Vulnerability[]): Promise<void> {
  for (const batch of chunk(vulns, 14)) {
    await db
      .insertInto('vulnerabilities')
      .values(batch.map(toRow))
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          source: eb.ref('excluded.source'),
          summary: eb.ref('excluded.summary'),
          details: eb.ref('excluded.details'),
          severity: eb.ref('excluded.severity'),
          cvss_score: eb.ref('excluded.cvss_score'),
          cvss_vector: eb.ref('excluded.cvss_vector'),
          cvss: eb.ref('excluded.cvss'),
          cwes: eb.ref('excluded.cwes'),
          refs: eb.ref('excluded.refs'),
          published: eb.ref('excluded.published'),
          modified: eb.ref('excluded.modified'),
          withdrawn: eb.ref('excluded.withdrawn'),
          record: eb.ref('excluded.record'),
        })),
      )
      .execute();
    // Aliases accumulate across feeds; affected entries are replaced per feed (source). The package
    // names before and after are pending for the next incremental re-match (added, changed, withdrawn).
    const touched: PackageKey[] = batch.flatMap((v) => v.affected ?? []);
    for (const [source, ids] of groupIdsBySource(batch)) {
      touched.push(
        ...(await db
          .selectFrom('affected_packages')
          .select(['ecosystem', 'name'])
          .where('vulnerability_id', 'in', ids)
          .where('source', '=', source)
          .execute()),
      );
      await db
        .deleteFrom('affected_packages')
        .where('vulnerability_id', 'in', ids)
        .where('source', '=', source)
        .execute();
    }
    const aliases = batch.flatMap((v) =>
      [...new Set(v.aliases)].map((alias) => ({ vulnerability_id: v.id, alias })),
    );
    for (const rows of chunk(aliases, 2)) {
      await db
        .insertInto('vulnerability_aliases')
        .values(rows)
        .onConflict((oc) => oc.columns(['vulnerability_id', 'alias']).doNothing())
        .execute();
    }
    const affected = batch.flatMap((v) => (v.affected ?? []).map((a) => toAffectedRow(v.id, v.source, a)));
    for (const rows of chunk(affected, 11)) await db.insertInto('affected_packages').values(rows).execute();
    await addPendingMatchKeys(db, touched);
  }
}

function groupIdsBySource(batch: readonly Vulnerability[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const v of batch) getOrCreate(out, v.source, () => []).push(v.id);
  return out;
}

function toRow(v: Vulnerability): VulnerabilitiesTable {
  return {
    id: v.id,
    source: v.source,
    summary: orNull(v.summary),
    details: orNull(v.details),
    severity: orNull(v.severity),
    cvss_score: orNull(v.cvssScore),
    cvss_vector: orNull(v.cvssVector),
    cvss: toJson(v.cvss),
    cwes: toJson(v.cwes),
    refs: toJson(v.references),
    published: orNull(v.published),
    modified: orNull(v.modified),
    withdrawn: orNull(v.withdrawn),
    // Field provenance (which source wrote the description, the CWEs, each vendor/product pair).
    record: toJson(v.provenance ? { provenance: v.provenance } : undefined),
  };
}

function toAffectedRow(vulnerabilityId: string, source: string, a: AffectedPackage) {
  return {
    vulnerability_id: vulnerabilityId,
    source,
    ecosystem: a.ecosystem,
    name: a.name,
    ecosystem_base: getEcosystemBase(a.ecosystem),
    lookup_name: getLookupName(a.ecosystem, a.name),
    purl: orNull(a.purl),
    ranges: toJson(a.ranges),
    versions: toJson(a.versions),
    fixed_versions: toJson(a.fixedVersions),
    data: null,
  };
}

/** One vulnerability with aliases and affected packages, by id or alias. */
export async function loadVulnerability(db: Db, idOrAlias: string): Promise<Vulnerability | undefined> {
  let row = await db.selectFrom('vulnerabilities').selectAll().where('id', '=', idOrAlias).executeTakeFirst();
  if (!row) {
    const alias = await db
      .selectFrom('vulnerability_aliases')
      .select('vulnerability_id')
      .where('alias', '=', idOrAlias)
      .executeTakeFirst();
    if (!alias) return undefined;
    row = await db
      .selectFrom('vulnerabilities')
      .selectAll()
      .where('id', '=', alias.vulnerability_id)
      .executeTakeFirst();
    if (!row) return undefined;
  }
  const aliases = await db
    .selectFrom('vulnerability_aliases')
    .select('alias')
    .where('vulnerability_id', '=', row.id)
    .orderBy('alias')
    .execute();
  const affected = await db
    .selectFrom('affected_packages')
    .selectAll()
    .where('vulnerability_id', '=', row.id)
    .execute();
  return {
    ...fromRow(row),
    aliases: aliases.map((a) => a.alias),
    affected: affected.map((a) =>
      definedOnly({
        ecosystem: a.ecosystem,
        name: a.name,
        purl: a.purl,
        ranges: fromJson<AffectedPackage['ranges']>(a.ranges),
        versions: fromJson<string[]>(a.versions),
        fixedVersions: fromJson<string[]>(a.fixed_versions),
      }),
    ),
  };
}

function fromRow(row: VulnerabilitiesTable): Omit<Vulnerability, 'aliases'> {
  return definedOnly({
    id: row.id,
    source: row.source,
    summary: row.summary,
    details: row.details,
    severity: row.severity,
    cvssScore: row.cvss_score,
    cvssVector: row.cvss_vector,
    cvss: fromJson<Vulnerability['cvss']>(row.cvss),
    cwes: fromJson<string[]>(row.cwes),
    references: fromJson<Vulnerability['references']>(row.refs),
    published: row.published,
    modified: row.modified,
    withdrawn: row.withdrawn,
    provenance: fromJson<{ provenance?: Vulnerability['provenance'] }>(row.record)?.provenance,
  });
}

/** Affected entries for one package, with the vulnerability id: the matcher's lookup. */
export async function loadAffectedByPackage(
  db: Db,
  ecosystem: string,
  name: string,
): Promise<Array<AffectedPackage & { vulnerabilityId: string }>> {
  const rows = await db
    .selectFrom('affected_packages')
    .selectAll()
    .where('ecosystem', '=', ecosystem)
    .where('name', '=', name)
    .execute();
  return rows.map((a) =>
    definedOnly({
      vulnerabilityId: a.vulnerability_id,
      ecosystem: a.ecosystem,
      name: a.name,
      purl: a.purl,
      ranges: fromJson<AffectedPackage['ranges']>(a.ranges),
      versions: fromJson<string[]>(a.versions),
      fixedVersions: fromJson<string[]>(a.fixed_versions),
    }),
  );
}

export async function countVulnerabilities(db: Db): Promise<number> {
  const row = await db
    .selectFrom('vulnerabilities')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** What a finding's report shows of a vulnerability: its severity, CVSS score and summary. */
export interface VulnerabilityScore {
  severity?: string;
  cvssScore?: number;
  summary?: string;
}

/** The severity, CVSS score and summary of these vulnerability ids (absent ids are not stored). */
export async function loadVulnerabilityScores(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, VulnerabilityScore>> {
  const out = new Map<string, VulnerabilityScore>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db
      .selectFrom('vulnerabilities')
      .select(['id', 'severity', 'cvss_score', 'summary'])
      .where('id', 'in', ids.slice(i, i + 1000))
      .execute();
    for (const r of rows) {
      const score: VulnerabilityScore = {};
      if (r.severity) score.severity = r.severity;
      if (r.cvss_score !== null) score.cvssScore = r.cvss_score;
      if (r.summary) score.summary = r.summary;
      out.set(r.id, score);
    }
  }
  return out;
}
