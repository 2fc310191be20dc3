import { spawn } from 'node:child_process';
import { listFindings, loadOwedSteps, openStore, type PipelineStep } from '../../src/store/index.js';
import { BIN } from './cli.js';

/**
 * Runs the real `patchcast` command with PATCHCAST_TEST_CRASH_AFTER=`point` (src/pipeline/crash-test-pause.ts),
 * waits until it says it paused there and SIGKILLs it: a crash exactly at that step boundary. Rejects
 * when the process ends on its own (it never reached the point).
 */
export function killPatchcastAt(args: string[], options: { home: string; point: string }): Promise<void> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.home,
    env: {
      ...process.env,
      PATCHCAST_DATABASE_URL: '',
      PATCHCAST_CONFIG: '',
      PATCHCAST_HOME: options.home,
      PATCHCAST_TEST_CRASH_AFTER: options.point,
      VITEST: 'true',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes(`patchcast-test: paused after ${options.point}`)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else
        reject(new Error(`patchcast ${args.join(' ')} ended (${code}) before ${options.point}: ${stderr}`));
    });
  });
}

/** What a user checks of every finding after a run: status, suppression, risk and SLA due date, by its key. */
export interface FindingsState {
  findings: string[];
  unscored: number;
  withoutDueDate: number;
  owed: PipelineStep[];
}

/** The state of every finding in the SQLite store under `home`, sorted, plus the steps still owed. */
export async function loadFindingsState(home: string): Promise<FindingsState> {
  const store = await openStore({ home, databaseUrl: '' });
  try {
    const findings = await listFindings(store.db);
    const rows = findings.map((f) =>
      [
        f.assetId,
        f.vulnerabilityId,
        f.packageName,
        f.installedVersion,
        f.status,
        f.suppression?.kind ?? '-',
        f.risk ?? 'unscored',
        f.dueDate ?? '-',
      ].join(' '),
    );
    return {
      findings: rows.sort(),
      unscored: findings.filter((f) => f.risk === undefined).length,
      withoutDueDate: findings.filter((f) => f.status === 'open' && f.dueDate === undefined).length,
      owed: (await loadOwedSteps(store.db))?.steps ?? [],
    };
  } finally {
    await store.close();
  }
}
