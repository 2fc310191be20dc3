import type { Db } from '../store/index.js';

/** A finding with the signals that order it before risk scoring is configured. */
export interface RankedFinding {
  assetId: string;
  packageName: string;
  installedVersion: string;
  vulnerabilityId: string;
  cve: string | null;
  targetVersion: string | null;
  kev: boolean;
  ransomware: boolean;
  exploitSources: string[];
  epss: number | null;
  cvss: number | null;
}

/**
 * Open findings ranked by the evidence a responder checks first: listed in CISA KEV (ransomware use
 * first), then public exploit code, then EPSS, then CVSS. A transparent baseline order, used until the
 * risk model (exploit probability × impact × exposure) ranks findings.
 */
export async function loadRankedFindings(
  db: Db,
  limit: number,
): Promise<{ total: number; top: RankedFinding[] }> {
  const findings = await db
    .selectFrom('findings')
    .select(['asset_id', 'package_name', 'installed_version', 'vulnerability_id', 'target_version'])
    .where('status', '=', 'open')
    .execute();
  const ids = [...new Set(findings.map((f) => f.vulnerability_id))];
  const cveOf = await loadCveIds(db, ids);
  const cves = [...new Set(cveOf.values())];
  const kev = await loadBy(cves, (chunk) =>
    db
      .selectFrom('kev_entries')
      .select(['cve_id', 'ransomware'])
      .where('cve_id', 'in', chunk)
      .where('removed_at', 'is', null)
      .execute(),
  );
  const epss = await loadBy(cves, (chunk) =>
    db
      .selectFrom('epss_scores')
      .select(['cve_id', 'score', 'score_date'])
      .where('cve_id', 'in', chunk)
      .orderBy('score_date')
      .execute(),
  );
  const exploits = await loadBy(cves, (chunk) =>
    db
      .selectFrom('exploit_sightings')
      .select(['cve_id', 'source'])
      .distinct()
      .where('cve_id', 'in', chunk)
      .execute(),
  );
  const cvss = await loadBy([...cves, ...ids], (chunk) =>
    db.selectFrom('vulnerabilities').select(['id', 'cvss_score']).where('id', 'in', chunk).execute(),
  );
  const kevMap = new Map(kev.map((k) => [k.cve_id, k.ransomware === 1]));
  const epssMap = new Map(epss.map((e) => [e.cve_id, e.score]));
  const cvssMap = new Map(cvss.map((c) => [c.id, c.cvss_score]));
  const exploitMap = new Map<string, string[]>();
  for (const e of exploits) exploitMap.set(e.cve_id, [...(exploitMap.get(e.cve_id) ?? []), e.source]);
  const ranked = findings.map((f): RankedFinding => {
    const cve = cveOf.get(f.vulnerability_id) ?? null;
    return {
      assetId: f.asset_id,
      packageName: f.package_name,
      installedVersion: f.installed_version,
      vulnerabilityId: f.vulnerability_id,
      cve,
      targetVersion: f.target_version,
      kev: cve !== null && kevMap.has(cve),
      ransomware: cve !== null && kevMap.get(cve) === true,
      exploitSources: cve ? (exploitMap.get(cve) ?? []) : [],
      epss: cve ? (epssMap.get(cve) ?? null) : null,
      cvss: (cve ? cvssMap.get(cve) : undefined) ?? cvssMap.get(f.vulnerability_id) ?? null,
    };
  });
  ranked.sort(compareRanked);
  return { total: ranked.length, top: ranked.slice(0, limit) };
}

function compareRanked(a: RankedFinding, b: RankedFinding): number {
  const key = (r: RankedFinding) => [
    Number(r.kev),
    Number(r.ransomware),
    Number(r.exploitSources.length > 0),
    r.epss ?? -1,
    r.cvss ?? -1,
  ];
  const x = key(a);
  const y = key(b);
  for (let i = 0; i < x.length; i++)
    if ((x[i] as number) !== (y[i] as number)) return (y[i] as number) - (x[i] as number);
  return a.assetId.localeCompare(b.assetId) || a.vulnerabilityId.localeCompare(b.vulnerabilityId);
}

/** The CVE a vulnerability id stands for: itself, its CVE alias, or the CVE inside a distro id (DEBIAN-CVE-…). */
async function loadCveIds(db: Db, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const aliases = await loadBy(ids, (chunk) =>
    db
      .selectFrom('vulnerability_aliases')
      .select(['vulnerability_id', 'alias'])
      .where('vulnerability_id', 'in', chunk)
      .where('alias', 'like', 'CVE-%')
      .execute(),
  );
  for (const a of aliases) if (!out.has(a.vulnerability_id)) out.set(a.vulnerability_id, a.alias);
  for (const id of ids) {
    const embedded = /CVE-\d{4}-\d{4,}/.exec(id)?.[0];
    if (!out.has(id) && embedded) out.set(id, embedded);
  }
  return out;
}

async function loadBy<T>(keys: string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < keys.length; i += 1000) out.push(...(await query(keys.slice(i, i + 1000))));
  return out;
}
