import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, type ExploitModelArtifact, scoreAsOf, trainExploitModel } from './exploit-model.js';
import { featuresAsOf, getFeatureNames } from './features/index.js';
import { trainGbdt } from './gbdt/index.js';
import { makeRandom } from './gbdt/random.js';
import { type CveInput, type History, makeHistoryBuilder, toDay } from './history/index.js';
import { challengeExploitModel } from './retrain.js';
import { SMALL_TRAIN } from './retrain-support.js';
import { makeSyntheticHistory } from './synthetic-history.js';

const T = toDay('2024-06-01');
const VENDORS = ['ivanti', 'acme', 'globex'];

function record(i: number, ssvcTimestamp?: string): CveInput {
  const random = makeRandom(i);
  return {
    cve: `CVE-2023-${1000 + i}`,
    published: `2023-0${1 + (i % 9)}-15T00:00Z`,
    description:
      random() < 0.3 ? 'remote code execution in the web interface' : 'denial of service via crafted packet',
    cvss: [
      {
        version: '3.1',
        vector: `CVSS:3.1/AV:${random() < 0.5 ? 'N' : 'L'}/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`,
        score: 9.8,
        source: 'nvd',
      },
    ],
    cwe: ['CWE-78'],
    affected: [{ vendor: VENDORS[i % 3], product: 'gateway', source: 'nvd-cpe' }],
    references: [],
    cisa_adp_ssvc: ssvcTimestamp
      ? { automatable: 'yes', technical_impact: 'total', timestamp: ssvcTimestamp }
      : null,
  };
}

/** A small dated world; `after` adds facts dated after T, which must change nothing as of T. */
function makeWorld(after: boolean): History {
  const builder = makeHistoryBuilder();
  for (let i = 0; i < 300; i++)
    builder.addCve(record(i, after && i === 7 ? '2024-07-01T00:00:00Z' : undefined));
  for (let i = 0; i < 300; i += 11)
    builder.addSignal({ cve: `CVE-2023-${1000 + i}`, source: 'github-poc', date: '2023-11-01' });
  for (let i = 0; i < 300; i += 13) {
    builder.addKev({
      cveID: `CVE-2023-${1000 + i}`,
      vendorProject: VENDORS[i % 3] ?? '',
      product: 'Gateway',
      dateAdded: i < 150 ? '2024-01-10' : '2024-06-20',
    });
  }
  if (after) {
    builder.addSignal({ cve: 'CVE-2023-1007', source: 'metasploit', date: '2024-06-02' });
    builder.addKev({
      cveID: 'CVE-2023-1010',
      vendorProject: 'Ivanti',
      product: 'Gateway',
      dateAdded: '2024-06-03',
    });
    builder.addEpss(toDay('2024-06-02'), 'test', [{ cve: 'CVE-2023-1007', epss: 0.97, percentile: 0.999 }]);
  }
  return builder.build();
}

function trainTinyModel(history: History): ExploitModelArtifact {
  const encoders = { vocabulary: ['gateway', 'packet'] };
  const names = getFeatureNames(encoders, true);
  const rows = history.ids.length;
  const features = new Float64Array(rows * names.length);
  const labels = new Uint8Array(rows);
  for (const [i, id] of history.ids.entries()) {
    features.set(featuresAsOf(history, id, T - 60, encoders, true)?.values ?? [], i * names.length);
    labels[i] = i % 13 === 0 ? 1 : 0;
  }
  const { model } = trainGbdt(
    { features, rows, featureNames: names, labels },
    { ...DEFAULT_PARAMS, rounds: 20, earlyStoppingRounds: undefined, minChildWeight: 1 },
  );
  return {
    format: 'patchcast-exploit-model',
    formatVersion: 1,
    horizonDays: 30,
    epss: true,
    encoders,
    gbdt: model,
    calibration: { kind: 'platt', a: 1, b: 0 },
    card: {} as ExploitModelArtifact['card'],
  };
}

describe('leakage: facts dated after T change nothing as of T', () => {
  const before = makeWorld(false);
  const after = makeWorld(true);

  it('gives identical feature vectors for every CVE (exploit sighting, KEV listing, EPSS, SSVC after T)', () => {
    const encoders = { vocabulary: ['gateway'] };
    for (const id of before.ids) {
      expect(featuresAsOf(after, id, T, encoders, true)?.values).toEqual(
        featuresAsOf(before, id, T, encoders, true)?.values,
      );
    }
  });

  it('gives identical scores and the same population', () => {
    const artifact = trainTinyModel(before);
    const a = scoreAsOf(before, artifact, T);
    const b = scoreAsOf(after, artifact, T);
    expect([...b.cves]).toEqual([...a.cves]);
    expect([...b.probabilities]).toEqual([...a.probabilities]);
  });

  it('does see those facts once T moves past them', () => {
    const encoders = { vocabulary: [] };
    const later = T + 40;
    expect(featuresAsOf(after, 'CVE-2023-1007', later, encoders, true)?.values).not.toEqual(
      featuresAsOf(before, 'CVE-2023-1007', later, encoders, true)?.values,
    );
  });
});

describe('leakage: a retrain as of T ignores everything dated after T', () => {
  it('trains the same challenger and scores the same windows with or without facts after T', () => {
    const asOf = toDay('2024-10-01');
    const known = makeSyntheticHistory({ knownUntil: asOf });
    const later = makeSyntheticHistory({ noiseAfter: asOf });
    expect(later.kev.length).toBeGreaterThan(known.kev.length);
    const current = trainExploitModel(known, {
      asOf: toDay('2024-05-01'),
      horizon: 30,
      epss: false,
      ...SMALL_TRAIN,
    });
    const a = challengeExploitModel(known, { asOf, current, train: SMALL_TRAIN });
    const b = challengeExploitModel(later, { asOf, current, train: SMALL_TRAIN });
    expect(b.challenger.gbdt).toEqual(a.challenger.gbdt);
    expect(b.challenger.calibration).toEqual(a.challenger.calibration);
    expect(b.windows).toEqual(a.windows);
    expect(b.decision).toEqual(a.decision);
  });
});
