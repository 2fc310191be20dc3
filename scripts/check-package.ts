import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// CI's package check: `npm pack` (which builds dist/ through `prepare`), install the tarball into a
// temporary prefix as a user would, and run `patchcast run --demo`, `model score` and `scan` from
// there, with no access to the checkout's sources. Exits non-zero on the first failure.
const root = fileURLToPath(new URL('..', import.meta.url));
const fixtures = join(root, 'src', 'matching', '__fixtures__');
const work = mkdtempSync(join(tmpdir(), 'patchcast-package-'));
const prefix = join(work, 'prefix');
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PATCHCAST_HOME: join(work, 'home'),
  PATCHCAST_DATABASE_URL: '',
  PATCHCAST_CONFIG: '',
  PATCHCAST_FROM_SOURCE: '',
};

/** Runs one step (argv, never a shell line); returns its stdout, or ends the check on failure. */
function step(label: string, command: string, args: string[], cwd: string, expectCode = 0): string {
  console.log(`== package check: ${label}`);
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== expectCode) {
    console.error(result.stdout, result.stderr);
    console.error(
      `package check failed: ${label} exited ${result.status ?? result.signal}, expected ${expectCode}`,
    );
    process.exit(1);
  }
  return result.stdout;
}

try {
  const packed = step('npm pack', 'npm', ['pack', '--json', '--pack-destination', work], root);
  // prepare's build prints before npm's JSON: read the JSON from its opening bracket on.
  const report = JSON.parse(packed.slice(packed.search(/^\[/m))) as Array<{ filename: string }>;
  const tarball = join(work, report[0]?.filename ?? '');
  step(
    'npm install -g --prefix',
    'npm',
    ['install', '-g', '--no-audit', '--no-fund', '--prefix', prefix, tarball],
    work,
  );
  // The web dashboard is built into the package (prepare → build → vite); `patchcast serve` serves it.
  const page = join(prefix, 'lib', 'node_modules', 'patchcast', 'dist', 'web', 'index.html');
  if (!existsSync(page) || !readFileSync(page, 'utf8').includes('/static/'))
    throw new Error(`the package has no built web dashboard at ${page}`);
  const bin = join(prefix, 'bin', 'patchcast');
  mkdirSync(join(work, 'run'));
  const run = step('patchcast run --demo', bin, ['run', '--demo'], join(work, 'run'));
  if (!run.includes('First to patch')) throw new Error(`run --demo printed no ranking:\n${run}`);
  const scores = join(work, 'scores.csv');
  step('patchcast model score', bin, ['model', 'score', '--out', scores], join(work, 'run'));
  if (!readFileSync(scores, 'utf8').startsWith('cve,probability'))
    throw new Error('model score wrote no scores');
  const scan = step(
    'patchcast scan',
    bin,
    [
      'scan',
      join(fixtures, 'mixed-project'),
      '--advisories',
      join(fixtures, 'mixed-advisories'),
      '--fail-on',
      'critical',
    ],
    work,
    1,
  );
  if (!scan.includes('PYSEC-2019-241')) throw new Error(`scan missed the critical GDAL finding:\n${scan}`);
  console.log(
    'package check: the installed tarball holds the web dashboard and runs run --demo, model score and scan',
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
