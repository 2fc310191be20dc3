/**
 * A small synthetic world for the retrain and score-storage tests (not exported from the module):
 * CVEs published 2021–2024, exploit sightings on a fifth of them, and KEV additions that mostly
 * follow a sighting within weeks (more often for one vendor), so a model has something to learn.
 */
import { makeRandom } from './gbdt/random.js';
import { fromDay, type History, type HistoryBuilder, makeHistoryBuilder, toDay } from './history/index.js';

const VENDORS = ['ivanti', 'acme', 'globex', 'initech', 'umbrella', 'hooli'];
const FIRST = toDay('2021-06-01');
const LAST = toDay('2024-10-01');

/** Options for `makeSyntheticHistory`. */
export interface SyntheticHistoryOptions {
  cves?: number;
  seed?: number;
  /** Facts dated after this day are dropped (to build "the world as known on day X"). */
  knownUntil?: number;
  /** Extra facts dated after this day (a sighting and a KEV listing for many CVEs): must change nothing before it. */
  noiseAfter?: number;
}

/** Builds the world; the same seed gives the same world. */
export function makeSyntheticHistory(options: SyntheticHistoryOptions = {}): History {
  const builder = makeHistoryBuilder();
  addSyntheticWorld(builder, options);
  return builder.build();
}

/** Feeds the world's records to a sink (a history builder, or a writer of a data directory). */
export function addSyntheticWorld(
  builder: Pick<HistoryBuilder, 'addCve' | 'addSignal' | 'addKev'>,
  options: SyntheticHistoryOptions = {},
): void {
  const random = makeRandom(options.seed ?? 7);
  const until = options.knownUntil ?? Number.POSITIVE_INFINITY;
  const n = options.cves ?? 2500;
  for (let i = 0; i < n; i++) {
    const cve = `CVE-2022-${10000 + i}`;
    const vendor = VENDORS[i % VENDORS.length] ?? 'acme';
    const published = FIRST + Math.floor(random() * (LAST - FIRST));
    const network = random() < 0.6;
    builder.addCve({
      cve,
      published: fromDay(published),
      description: network ? 'remote code execution in the web interface' : 'local denial of service',
      cvss: [
        {
          version: '3.1',
          vector: `CVSS:3.1/AV:${network ? 'N' : 'L'}/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`,
          score: network ? 9.8 : 5.5,
          source: 'nvd',
        },
      ],
      cwe: [network ? 'CWE-78' : 'CWE-400'],
      affected: [{ vendor, product: 'gateway', source: 'nvd-cpe' }],
      references: [],
    });
    const sighted = random() < (network ? 0.3 : 0.05);
    const sightDay = published + Math.floor(random() * 200);
    if (sighted && sightDay <= until)
      builder.addSignal({ cve, source: 'github-poc', date: fromDay(sightDay) });
    const kevChance = sighted ? (vendor === 'ivanti' ? 0.7 : 0.4) : 0.005;
    const kevDay = sighted
      ? sightDay + 1 + Math.floor(random() * 25)
      : published + Math.floor(random() * 400);
    if (random() < kevChance && kevDay <= until)
      builder.addKev({ cveID: cve, vendorProject: vendor, product: 'Gateway', dateAdded: fromDay(kevDay) });
    if (options.noiseAfter !== undefined && i % 5 === 0) {
      builder.addSignal({ cve, source: 'metasploit', date: fromDay(options.noiseAfter + 1 + (i % 20)) });
      if (i % 10 === 0)
        builder.addKev({
          cveID: cve,
          vendorProject: vendor,
          product: 'Gateway',
          dateAdded: fromDay(options.noiseAfter + 2 + (i % 30)),
        });
    }
  }
}
