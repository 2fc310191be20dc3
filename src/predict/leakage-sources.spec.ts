import { describe, expect, it } from 'vitest';
import { getJsonlCweSource } from '../core/provenance.js';
import { fromCveLine } from '../feeds/cve/jsonl-record.js';
import { featuresAsOf, getPopulation, makeAsOfContext } from './features/index.js';
import { type CveInput, type History, makeHistoryBuilder, toCveInput, toDay } from './history/index.js';

/**
 * Leakage through a field's *source* rather than its date: a value CISA wrote because it listed the
 * CVE in KEV (its description, its CWE list, its vendor/product pair) carries the label whatever its
 * date. Such a record must give exactly the features of the same record without those fields.
 */

const T = toDay('2026-01-15');
const ENCODERS = { vocabulary: ['contains', 'authorization', 'digiever'] };

/** A real KEV-only line of cves.jsonl.gz (CVE-2023-52163), trimmed. */
const KEV_ONLY_LINE = {
  cve: 'CVE-2023-52163',
  published: '2025-02-03T00:00:00.000Z',
  description:
    'Digiever DS-2105 Pro contains a missing authorization vulnerability which could allow for command injection via time_tzsetup.cgi.',
  description_source: 'cisa-kev',
  cvss: [{ version: '3.x', vector: null, score: 8.8, severity: null, source: 'nvd-via-jgamblin-KEV_EPSS' }],
  cwe: ['CWE-862'],
  affected: [{ vendor: 'Digiever', product: 'DS-2105 Pro', source: 'cisa-kev' }],
  cpe: [],
  references: [],
  cisa_adp_ssvc: null,
  sources: ['cisa-kev', 'sploitscan(published-date-only)', 'epss@2026-01-30'],
};

/** Background CVEs so that vendor and CWE counts exist (20 Digiever CVEs from NVD CPEs). */
function addBackground(builder: ReturnType<typeof makeHistoryBuilder>): void {
  for (let i = 0; i < 25; i++) {
    builder.addCve({
      cve: `CVE-2024-${2000 + i}`,
      published: '2024-03-01T00:00:00Z',
      description: 'Digiever NVR allows remote attackers to execute commands.',
      description_source: 'nvd',
      cwe: ['CWE-862'],
      affected: [{ vendor: 'digiever', product: 'nvr', source: 'nvd-cpe' }],
      sources: ['nvd-1.1-feed@2025-05-15'],
    });
  }
  builder.addKev({
    cveID: 'CVE-2024-2001',
    vendorProject: 'Digiever',
    product: 'NVR',
    dateAdded: '2025-06-01',
  });
}

function build(record: CveInput): History {
  const builder = makeHistoryBuilder();
  addBackground(builder);
  builder.addCve(record);
  builder.addKev({
    cveID: record.cve,
    vendorProject: 'Digiever',
    product: 'DS-2105 Pro',
    dateAdded: '2026-02-01',
    cwes: ['CWE-862'],
  });
  return builder.build();
}

describe('leakage: fields written because of the label are dropped whatever their date', () => {
  it('reads the KEV-only line as if it had no description, no CWE and no vendor', () => {
    const leaky = build(KEV_ONLY_LINE as CveInput);
    const blank = build({
      cve: KEV_ONLY_LINE.cve,
      published: KEV_ONLY_LINE.published,
      sources: KEV_ONLY_LINE.sources,
    });
    const a = featuresAsOf(leaky, KEV_ONLY_LINE.cve, T, ENCODERS);
    const b = featuresAsOf(blank, KEV_ONLY_LINE.cve, T, ENCODERS);
    expect(a?.values).toEqual(b?.values);
    const index = leaky.indexOf.get(KEV_ONLY_LINE.cve) ?? -1;
    expect(leaky.facts[index]?.cwes).toEqual([]);
    expect(leaky.facts[index]?.vendors).toEqual([]);
    expect(leaky.facts[index]?.cvss).toEqual([]);
  });

  it('keeps the same fields when a non-label source wrote them', () => {
    const record = { ...KEV_ONLY_LINE, description_source: 'nvd', sources: ['nvd-1.1-feed@2025-05-15'] };
    const history = build({
      ...(record as CveInput),
      affected: [{ vendor: 'Digiever', product: 'DS-2105 Pro', source: 'nvd-cpe' }],
    });
    const index = history.indexOf.get(record.cve) ?? -1;
    expect(history.facts[index]?.cwes.map((c) => history.strings[c])).toEqual(['CWE-862']);
    expect(history.facts[index]?.vendors.map((v) => history.strings[v])).toEqual(['digiever']);
    const names = featuresAsOf(history, record.cve, T, ENCODERS);
    expect(names?.values[names.names.indexOf('word_contains')]).toBe(1);
  });

  it('derives the CWE source from sources[]: KEV alone wrote it, or a record source did', () => {
    expect(getJsonlCweSource(['cisa-kev', 'sploitscan(published-date-only)', 'epss@2026-01-30'])).toBe(
      'cisa-kev',
    );
    expect(getJsonlCweSource(['cisa-kev', 'trickest@2026-02-28'])).toBe('record');
    expect(getJsonlCweSource(['nvd-1.1-feed@2023-12-29'])).toBe('record');
  });

  it('keeps each field source through the cve feed and the store, so the store path drops the same', () => {
    const { vuln } = fromCveLine(KEV_ONLY_LINE as Parameters<typeof fromCveLine>[0]);
    expect(vuln.provenance).toEqual({
      details: 'cisa-kev',
      cwes: 'cisa-kev',
      products: { 'digiever:ds-2105_pro': ['cisa-kev'] },
    });
    const stored = toCveInput({
      id: vuln.id,
      published: vuln.published ?? null,
      summary: null,
      details: vuln.details ?? null,
      cvss: null,
      cwes: JSON.stringify(vuln.cwes),
      refs: null,
      record: JSON.stringify({ provenance: vuln.provenance }),
      products: [{ name: 'digiever:ds-2105_pro', versioned: false }],
      ssvc: [],
    });
    const fromStore = build(stored);
    const fromDirectory = build(KEV_ONLY_LINE as CveInput);
    expect(featuresAsOf(fromStore, vuln.id, T, ENCODERS)?.values).toEqual(
      featuresAsOf(fromDirectory, vuln.id, T, ENCODERS)?.values,
    );
  });
});

describe('population: observed publication days only', () => {
  function world(): History {
    const builder = makeHistoryBuilder();
    builder.addCve({ cve: 'CVE-2025-0001', published: '2025-03-01T00:00:00Z' });
    builder.addCve({ cve: 'CVE-2025-0002', published: null });
    builder.addCve({ cve: 'CVE-2025-0003', published: null });
    builder.addCve({ cve: 'CVE-2025-0004', published: null });
    builder.addSignal({ cve: 'CVE-2025-0002', source: 'github-poc', date: '2025-05-10' });
    builder.addEpss(toDay('2025-09-01'), 'v', [{ cve: 'CVE-2025-0003', epss: 0.1, percentile: 0.9 }]);
    builder.addKev({ cveID: 'CVE-2025-0004', vendorProject: 'x', product: 'y', dateAdded: '2025-06-01' });
    builder.addKev({ cveID: 'CVE-2025-0002', vendorProject: 'x', product: 'y', dateAdded: '2025-06-01' });
    return builder.build();
  }

  it('enters an undated CVE on its first dated observation, never on the end of its ID year', () => {
    const history = world();
    const entered = (cve: string) => history.entered[history.indexOf.get(cve) ?? -1];
    expect(entered('CVE-2025-0001')).toBe(toDay('2025-03-01'));
    expect(entered('CVE-2025-0002')).toBe(toDay('2025-05-10'));
    expect(entered('CVE-2025-0003')).toBe(toDay('2025-09-01'));
    // Known only from its KEV listing: no day is invented from the label, so it is never scored.
    expect(entered('CVE-2025-0004')).toBeNaN();
  });

  it('lets an undated KEV CVE seen before its listing be a positive, with an unknown age', () => {
    const history = world();
    const day = toDay('2025-05-20');
    const population = [...getPopulation(history, makeAsOfContext(history, day))].map((i) => history.ids[i]);
    expect(population).toEqual(['CVE-2025-0001', 'CVE-2025-0002']);
    const features = featuresAsOf(history, 'CVE-2025-0002', day, { vocabulary: [] });
    expect(features?.values[features.names.indexOf('age_days')]).toBeNaN();
  });
});
