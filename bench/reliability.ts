/**
 * Patch reliability from the store vs a data directory: syncs Debian's advisory history
 * (`debian_security_advisories.jsonl.gz`, 8,396 advisories) into a scratch SQLite store, then runs
 * `patchcast reliability score openssl 1.1.1n-0+deb11u4` as a user would (a new process each time,
 * dist/ when built) from the store and with `--data DIR`, and prints the median wall times, their
 * ratio, and whether the two answers (`--json`) are identical.
 *
 * Run: npm run bench reliability -- [--runs 5]
 *   PATCHCAST_BENCH_DATA: another directory holding the file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { debianAdvisoriesSource } from '../src/feeds/debian-advisories/index.js';
import { syncSource } from '../src/services/sync/sync-source.js';
import { openStore } from '../src/store/index.js';

const DATA_DIR =
  process.env.PATCHCAST_BENCH_DATA ?? fileURLToPath(new URL('../../shared/data/', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/patchcast.js', import.meta.url));
const SCORE = ['reliability', 'score', 'openssl', '1.1.1n-0+deb11u4', '--json'];
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 5;

const home = mkdtempSync(join(tmpdir(), 'patchcast-bench-reliability-'));
try {
  const store = await openStore({ home, databaseUrl: '' });
  const started = performance.now();
  const report = await syncSource(store, debianAdvisoriesSource, { offlineDir: DATA_DIR });
  const syncSeconds = (performance.now() - started) / 1000;
  await store.close();
  console.log(
    `sync debian-advisories: ${report.records} advisories in ${syncSeconds.toFixed(2)} s (${Math.round(report.records / syncSeconds)}/s)`,
  );

  const fromStore = time(SCORE);
  const fromDir = time([...SCORE, '--data', DATA_DIR]);
  console.log(`reliability score from the store: median ${fromStore.median.toFixed(2)} s over ${RUNS} runs`);
  console.log(`reliability score with --data:    median ${fromDir.median.toFixed(2)} s over ${RUNS} runs`);
  console.log(`store / --data: ${(fromStore.median / fromDir.median).toFixed(2)}`);
  console.log(`same answer: ${fromStore.stdout === fromDir.stdout ? 'yes' : 'NO'}`);
  if (fromStore.stdout !== fromDir.stdout) process.exitCode = 1;
} finally {
  rmSync(home, { recursive: true, force: true });
}

/** Median wall time of RUNS runs of `patchcast args` on the scratch store, and the last output. */
function time(args: string[]): { median: number; stdout: string } {
  const seconds: number[] = [];
  let stdout = '';
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, [BIN, ...args], {
      env: { ...process.env, PATCHCAST_HOME: home, PATCHCAST_DATABASE_URL: '', PATCHCAST_CONFIG: '' },
      encoding: 'utf8',
    });
    seconds.push((performance.now() - started) / 1000);
    if (result.status !== 0) throw new Error(`patchcast ${args.join(' ')}: ${result.stderr}`);
    stdout = result.stdout;
  }
  seconds.sort((a, b) => a - b);
  return { median: seconds[Math.floor(seconds.length / 2)] as number, stdout };
}
