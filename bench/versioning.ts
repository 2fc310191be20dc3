/**
 * Comparisons per second per version scheme, on a realistic mix: the versions of the shared oracle
 * files (../shared/testdata/versions), compared in random pairs, with each scheme's parse cache warm.
 * Run: npx tsx bench/versioning.ts
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getVersionScheme, getVersionSchemeById, type VersionScheme } from '../src/versioning/index.js';

const DIR = fileURLToPath(new URL('../../shared/testdata/versions/', import.meta.url));
const PAIRS = 4096;
const TARGET_MS = 400;

function schemeOf(ecosystem: string): VersionScheme | undefined {
  try {
    return ecosystem === 'SEMVER' ? getVersionSchemeById('semver') : getVersionScheme(ecosystem);
  } catch {
    return undefined;
  }
}

function loadPools(): Map<VersionScheme, string[]> {
  const pools = new Map<VersionScheme, Set<string>>();
  for (const name of readdirSync(DIR).filter((f) => f.endsWith('.json'))) {
    const file = JSON.parse(readFileSync(`${DIR}${name}`, 'utf8'));
    const scheme = file.kind === 'compare' ? schemeOf(file.ecosystem) : undefined;
    if (!scheme) continue;
    const pool = pools.get(scheme) ?? new Set<string>();
    for (const c of file.cases)
      for (const v of [c.a, c.b]) if (typeof v === 'string' && scheme.isValid(v)) pool.add(v);
    pools.set(scheme, pool);
  }
  return new Map([...pools].map(([s, p]) => [s, [...p]]));
}

/** A deterministic pseudo-random pair list, so runs are comparable. */
function makePairs(pool: readonly string[]): [string[], string[]] {
  let seed = 42;
  const next = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return pool[seed % pool.length] as string;
  };
  const a: string[] = [];
  const b: string[] = [];
  for (let i = 0; i < PAIRS; i++) {
    a.push(next());
    b.push(next());
  }
  return [a, b];
}

function measure(scheme: VersionScheme, pool: readonly string[]): number {
  const [a, b] = makePairs(pool);
  let sink = 0;
  for (let i = 0; i < PAIRS; i++) sink += scheme.compare(a[i] as string, b[i] as string);
  let rounds = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < TARGET_MS) {
    for (let i = 0; i < PAIRS; i++) sink += scheme.compare(a[i] as string, b[i] as string);
    rounds++;
    elapsed = performance.now() - start;
  }
  if (sink === Number.MIN_SAFE_INTEGER) console.log(sink);
  return (rounds * PAIRS) / (elapsed / 1000);
}

const TARGETS: Readonly<Record<string, number>> = {
  dpkg: 2e6,
  rpm: 2e6,
  semver: 2e6,
  npm: 2e6,
  pep440: 1e6,
  maven: 1e6,
};

if (!existsSync(DIR)) {
  console.log(`versioning bench skipped: ${DIR} is absent`);
} else {
  console.log('scheme      versions   compare/s   target');
  for (const [scheme, pool] of [...loadPools()].sort((x, y) => x[0].id.localeCompare(y[0].id))) {
    if (pool.length < 2) continue;
    const rate = measure(scheme, pool);
    const target = TARGETS[scheme.id];
    const verdict =
      target === undefined ? '' : `${(target / 1e6).toFixed(0)}M ${rate >= target ? 'ok' : 'BELOW'}`;
    console.log(
      `${scheme.id.padEnd(10)} ${String(pool.length).padStart(9)} ${(rate / 1e6).toFixed(2).padStart(9)}M   ${verdict}`,
    );
  }
}
