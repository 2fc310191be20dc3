import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storePlan } from '../../../test/support/rollout-plan.js';
import { makeTempStore } from '../../../test/support/store.js';
import { readConfig } from '../../config/index.js';
import { readDebianAdvisories } from '../../feeds/debian-advisories/index.js';
import type { StepReport } from '../../rollout/contract.js';
import type { ReleaseNotesSummary } from '../../rollout/release-notes.js';
import {
  listAuditEvents,
  loadJob,
  type PositionedDebianAdvisory,
  type Store,
  upsertDebianAdvisories,
} from '../../store/index.js';
import { type ServiceDeps, silentLogger } from '../deps.js';
import { startRollout } from './control-rollout.js';
import { runControllerTick } from './controller.js';
import { endJob, leaseWork, reportStep } from './job-reports.js';
import { loadJobDetail, loadRolloutStatus } from './load-rollout-status.js';
import { describePreflightFacts } from './release-notes-prediction.js';

const CONFIG = readConfig(
  [
    'rings:',
    '  - { id: canary, select: { assets: [c1] }, concurrency: 1 }',
    'rollout:',
    '  hosts: [{ select: { assets: [c1] }, executor: ssh, ssh: { host: 127.0.0.1, privateKey: k, knownHosts: kh } }]',
  ].join('\n'),
  '/etc/patchcast/patchcast.yaml',
  {},
);
const WINDOW = { start: '2026-03-01T02:00:00.000Z', lastStart: '2026-03-01T05:00:00.000Z' };
const FIXTURE = join(
  import.meta.dirname,
  '../../feeds/debian-advisories/__fixtures__/debian_security_advisories.jsonl.gz',
);

let store: Store;
let cleanup: () => Promise<void>;
const now = new Date(WINDOW.start);
const controller = (): ServiceDeps => ({
  store,
  config: CONFIG,
  clock: { now: () => now },
  actor: { kind: 'system', id: 'system:controller', role: 'admin' },
  logger: silentLogger,
});

/** A regression fix, as an openssl bookworm-security changelog would summarize it. */
const REGRESSION_FIX: ReleaseNotesSummary = {
  maxUrgency: 'high',
  cves: ['CVE-2024-5535'],
  upstreamChanged: false,
  backport: true,
  entries: 1,
  mentionsRegression: true,
  firstLine: 'Fix a regression in the previous update',
};

async function startWith(packages: string[]) {
  await storePlan(
    store,
    'plan-1',
    [{ assetId: 'c1', ring: 'canary', packages, failureProbability: 0.05, ...WINDOW }],
    '2026-03-01T01:00:00.000Z',
  );
  await startRollout(controller(), { approve: true });
  await runControllerTick(controller());
  await runControllerTick(controller());
  const [work] = await leaseWork(controller(), { owner: 'worker-1', limit: 1, executors: ['ssh'] });
  if (!work) throw new Error('no job was released');
  return work;
}

function preflight(releaseNotes: Record<string, unknown>): StepReport {
  const at = now.toISOString();
  return {
    step: 'preflight',
    outcome: 'ok',
    startedAt: at,
    endedAt: at,
    excerpt: '',
    data: { releaseNotes },
  };
}

async function loadPrediction(jobId: string) {
  const { events } = await loadJobDetail({ ...controller(), actor: { ...controller().actor } }, { jobId });
  return events.find((e) => e.kind === 'step:preflight')?.data?.prediction;
}

beforeEach(async () => {
  ({ store, cleanup } = await makeTempStore());
});
afterEach(() => cleanup());

describe('the release notes update the failure prediction', () => {
  it("keeps the planner's number, and says why, when the store has no advisories", async () => {
    const work = await startWith(['openssl@3.0.15-1~deb12u1']);
    await reportStep(controller(), {
      jobId: work.job.id,
      token: work.token,
      report: preflight({ openssl: REGRESSION_FIX }),
    });
    expect(await loadPrediction(work.job.id)).toMatchObject({
      before: 0.05,
      after: 0.05,
      reason: 'the store holds no Debian advisories for the model (patchcast sync)',
      inputs: [
        {
          package: 'openssl',
          release: 'bookworm',
          title: 'Fix a regression in the previous update',
          isRegressionUpdate: true,
          cves: ['CVE-2024-5535'],
        },
      ],
    });
    expect((await loadJob(store.db, work.job.id))?.payload?.failureProbability).toBe(0.05);
  });

  it('accepts a report with malformed notes but reads nothing from them', async () => {
    const work = await startWith(['openssl@3.0.15-1~deb12u1']);
    const notes = { openssl: { cves: 'CVE-2024-5535', entries: -1 } };
    await reportStep(controller(), { jobId: work.job.id, token: work.token, report: preflight(notes) });
    expect(await loadPrediction(work.job.id)).toBeUndefined();
    expect((await loadRolloutStatus(controller())).jobs[0]?.releaseNotes).toBeUndefined();
  });

  it('says the model cannot score a version that names no Debian release', async () => {
    const work = await startWith(['pcdemo@1.0-2']);
    const notes = { pcdemo: { ...REGRESSION_FIX, mentionsRegression: false } };
    await reportStep(controller(), { jobId: work.job.id, token: work.token, report: preflight(notes) });
    expect(await loadPrediction(work.job.id)).toMatchObject({
      before: 0.05,
      after: 0.05,
      reason: 'the model scores only Debian security updates whose version names the release (+debNuM)',
    });
  });

  it('rescores with the notes and makes the result the prior of the patch posterior', async () => {
    const entries: PositionedDebianAdvisory[] = [];
    for await (const entry of readDebianAdvisories(FIXTURE)) entries.push(entry);
    await upsertDebianAdvisories(store.db, entries);
    const work = await startWith(['openssl@3.0.15-1~deb12u1']);
    await reportStep(controller(), {
      jobId: work.job.id,
      token: work.token,
      report: preflight({ openssl: REGRESSION_FIX }),
    });
    const prediction = (await loadPrediction(work.job.id)) as {
      before: number;
      after: number;
      inputs: Array<{ planner: number; withNotes: number }>;
    };
    expect(prediction).toMatchObject({
      before: 0.05,
      reason: 'rescored by the reliability model with the release notes',
    });
    const [input] = prediction.inputs;
    expect(input?.withNotes).not.toBeCloseTo(input?.planner ?? 0, 6);
    expect(prediction.after).toBeCloseTo(input?.withNotes ?? 0, 12);
    const job = await loadJob(store.db, work.job.id);
    expect(job?.payload).toMatchObject({
      failureProbability: prediction.after,
      plannerFailureProbability: 0.05,
    });

    // `rollout status --json` carries the notes and the update; `rollout job` words them.
    const status = await loadRolloutStatus(controller());
    expect(status.jobs[0]).toMatchObject({ releaseNotes: { openssl: REGRESSION_FIX }, prediction });
    const lines = describePreflightFacts(status.jobs[0] ?? {});
    expect(lines[0]).toBe(
      'release notes openssl: 1 entry, urgency high, CVE-2024-5535, same upstream version, stable/security update, mentions a regression — "Fix a regression in the previous update"',
    );
    expect(lines[1]).toBe(
      `P(fail) 5.0% → ${(prediction.after * 100).toFixed(1)}%: rescored by the reliability model with the release notes`,
    );
    expect(lines[2]).toMatch(
      /^ {2}openssl 3\.0\.15-1~deb12u1: title "Fix a regression in the previous update", regression fix yes, CVE-2024-5535 \(model 3\.\d% as planned, 3\.\d% with the notes\)$/,
    );

    // The first outcome's posterior starts from the updated prior.
    await endJob(controller(), { jobId: work.job.id, token: work.token, outcome: 'succeeded' });
    const audit = (await listAuditEvents(store.db)).find((e) => e.action === 'job:succeeded');
    const learned = audit?.data?.failurePosterior as Record<string, { before: number }>;
    expect(learned['openssl@3.0.15-1~deb12u1']?.before).toBeCloseTo(prediction.after, 12);
  });
});
