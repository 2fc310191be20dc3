/**
 * The preflight's release notes (src/rollout/release-notes.ts) update a job's failure prediction
 * before any outcome is known: the patch-reliability model scores the patch again with what the
 * changelog says (a regression fix, the CVEs named, the first change line as the title), and the
 * result becomes the prior of the patch's posterior (patch-learning.ts). Once a patch has outcomes,
 * its posterior speaks for it and the notes change nothing.
 */
import { z } from 'zod';
import type { Job } from '../../core/types.js';
import {
  type Advisory,
  guessRelease,
  loadReliabilityModel,
  type ReliabilityArtifact,
  SHIPPED_RELIABILITY_MODEL_PATH,
  scorePatches,
} from '../../predict/reliability/index.js';
import { getPatchKey } from '../../predict/reliability/posterior.js';
import { getJobTargets } from '../../rollout/job-spec.js';
import { describeSummary, type ReleaseNotes, type ReleaseNotesSummary } from '../../rollout/release-notes.js';
import { countDebianAdvisories, type Db, loadPatchPosteriors } from '../../store/index.js';
import { makePlannedCandidate } from '../plan/patch-reliability.js';
import { hasStoredAdvisories, loadAdvisoriesFromStore } from '../reliability/reliability-advisories.js';
import { getPrior } from './patch-learning.js';

const DAY = 86_400_000;

/** What the notes did to the job's failure prediction; `after === before` says why not. */
export interface PredictionUpdate {
  before: number;
  after: number;
  reason: string;
  /** Per Debian source package the model scored: its inputs and both scores. */
  inputs: Array<{
    package: string;
    version: string;
    release?: string;
    title: string;
    isRegressionUpdate: boolean;
    cves: string[];
    /** The model's score as the planner asks (a generic security update), and with the notes. */
    planner?: number;
    withNotes?: number;
  }>;
}

// An agent's report is input from a host: its notes are checked before the model or a person reads them.
const summarySchema = z.object({
  maxUrgency: z.enum(['low', 'medium', 'high', 'emergency', 'critical']).optional(),
  cves: z.array(z.string().max(40)).max(1000),
  upstreamChanged: z.boolean(),
  backport: z.boolean(),
  entries: z.number().int().min(0),
  mentionsRegression: z.boolean(),
  firstLine: z.string().max(200).optional(),
});
const notesSchema = z.record(
  z.string().max(200),
  z.union([summarySchema, z.object({ error: z.string().max(2000) })]),
);

/** The preflight report's `releaseNotes`, when it has a well-formed one. */
export function getReportedNotes(data: Record<string, unknown> | undefined): ReleaseNotes | undefined {
  const parsed = notesSchema.safeParse(data?.releaseNotes);
  return parsed.success ? (parsed.data as ReleaseNotes) : undefined;
}

/**
 * The job's failure prediction after its release notes, as of `now`. Reads the store (posteriors,
 * advisories); writes nothing.
 */
export async function getPredictionUpdate(
  db: Db,
  job: Pick<Job, 'id' | 'payload'>,
  notes: ReleaseNotes,
  now: Date,
): Promise<PredictionUpdate> {
  const before = getPrior(job);
  const keep = (reason: string, inputs: PredictionUpdate['inputs'] = []) => ({
    before,
    after: before,
    reason,
    inputs,
  });
  const targets = safeTargets(job);
  const keys = targets.map((t) => getPatchKey(t.name, t.version));
  const learned = await loadPatchPosteriors(db, keys);
  if (keys.length > 0 && keys.every((key) => learned.has(key)))
    return keep('the patches already have outcomes: their posteriors no longer read the prior');
  const inputs = getCandidates(job, targets, notes);
  if (inputs.length === 0)
    return keep('no release notes were fetched for a Debian patch of this job (see the preflight data)');
  if (inputs.some((input) => input.release === undefined))
    return keep(
      'the model scores only Debian security updates whose version names the release (+debNuM)',
      inputs,
    );
  if (!(await hasStoredAdvisories(db)))
    return keep('the store holds no Debian advisories for the model (patchcast sync)', inputs);
  const { artifact, advisories } = await loadModelInputs(db);
  const last = advisories[advisories.length - 1]?.day ?? Math.floor(now.getTime() / DAY);
  const day = Math.min(Math.floor(now.getTime() / DAY), last + 1);
  const scored = inputs.map((input) => {
    const release = input.release ?? '';
    const base = makePlannedCandidate(input.package, input.version, release, advisories, day);
    const [planner, withNotes] = scorePatches(
      artifact,
      advisories,
      [
        base,
        {
          ...base,
          title: input.title,
          isRegressionUpdate: input.isRegressionUpdate,
          ...(input.cves.length > 0 ? { cves: input.cves } : {}),
        },
      ],
      day,
    );
    return { ...input, planner: planner ?? 0, withNotes: withNotes ?? 0 };
  });
  if (scored.every((s) => Math.abs(s.withNotes - s.planner) < 1e-9))
    return keep('the release notes change no model input that moves its score', scored);
  // As the planner combines its patches (src/planning/jobs.ts): the job fails if any patch does.
  const after = 1 - scored.reduce((ok, s) => ok * (1 - s.withNotes), 1);
  return {
    before,
    after,
    reason: 'rescored by the reliability model with the release notes',
    inputs: scored,
  };
}

/**
 * One input per Debian source package of the job (from its patch ids, `asset/debian/source`), at
 * the target version of the binary named like it, else the job's only target version. The job knows
 * binaries, the model sources: a source whose version cannot be told is left out.
 */
function getCandidates(
  job: Pick<Job, 'payload'>,
  targets: Array<{ name: string; version: string }>,
  notes: ReleaseNotes,
): PredictionUpdate['inputs'] {
  const patches = Array.isArray(job.payload?.patches) ? job.payload.patches.map(String) : [];
  const sources = patches.flatMap((id) => {
    const parts = id.split('/');
    return parts.length >= 3 && parts[parts.length - 2] === 'debian' ? [parts[parts.length - 1] ?? ''] : [];
  });
  const versions = [...new Set(targets.map((t) => t.version))];
  const out: PredictionUpdate['inputs'] = [];
  // A job without Debian patch ids: each target stands for its own source (true of openssl, not of libssl3).
  for (const source of new Set(sources.length > 0 ? sources : targets.map((t) => t.name))) {
    const version =
      targets.find((t) => t.name === source)?.version ?? (versions.length === 1 ? versions[0] : undefined);
    if (!version) continue;
    const summaries = targets
      .filter((t) => t.version === version)
      .map((t) => notes[t.name])
      .filter((n): n is ReleaseNotesSummary => n !== undefined && !('error' in n));
    if (summaries.length === 0) continue;
    const release = guessRelease(version);
    out.push({
      package: source,
      version,
      ...(release ? { release } : {}),
      title: summaries.find((s) => s.firstLine)?.firstLine ?? 'security update',
      isRegressionUpdate: summaries.some((s) => s.mentionsRegression),
      cves: [...new Set(summaries.flatMap((s) => s.cves))],
    });
  }
  return out;
}

function safeTargets(job: Pick<Job, 'id' | 'payload'>): Array<{ name: string; version: string }> {
  try {
    return getJobTargets(job);
  } catch {
    return [];
  }
}

// Reading every advisory takes about a second on the full history: kept per process, and read
// again only when the store's count changes (a sync).
const cache = new WeakMap<object, { count: number; advisories: Promise<Advisory[]> }>();
let model: ReliabilityArtifact | undefined;

async function loadModelInputs(db: Db): Promise<{ artifact: ReliabilityArtifact; advisories: Advisory[] }> {
  const count = await countDebianAdvisories(db);
  let entry = cache.get(db);
  if (!entry || entry.count !== count) {
    const advisories = loadAdvisoriesFromStore(db);
    entry = { count, advisories };
    cache.set(db, entry);
    advisories.catch(() => cache.delete(db));
  }
  model ??= loadReliabilityModel(SHIPPED_RELIABILITY_MODEL_PATH);
  return { artifact: model, advisories: await entry.advisories };
}

/** The release notes and prediction a preflight event recorded (its `data.data.releaseNotes`, `data.prediction`). */
export function getPreflightFacts(eventData: Record<string, unknown> | undefined): {
  releaseNotes?: ReleaseNotes;
  prediction?: PredictionUpdate;
} {
  const step = eventData?.data;
  const notes = getReportedNotes(
    step && typeof step === 'object' ? (step as Record<string, unknown>) : undefined,
  );
  const prediction = eventData?.prediction;
  return {
    ...(notes ? { releaseNotes: notes } : {}),
    ...(prediction && typeof prediction === 'object' ? { prediction: prediction as PredictionUpdate } : {}),
  };
}

/** Lines for people: each package's notes, then how the prediction moved and why. */
export function describePreflightFacts(facts: {
  releaseNotes?: ReleaseNotes;
  prediction?: PredictionUpdate;
}): string[] {
  const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
  const lines: string[] = [];
  for (const [name, note] of Object.entries(facts.releaseNotes ?? {}))
    lines.push(
      'error' in note
        ? `release notes ${name}: not fetched (${note.error})`
        : `release notes ${name}: ${describeSummary(note)}`,
    );
  const p = facts.prediction;
  if (p) {
    const moved = p.after === p.before ? `stays ${pct(p.before)}` : `${pct(p.before)} → ${pct(p.after)}`;
    lines.push(`P(fail) ${moved}: ${p.reason}`);
    for (const input of p.inputs) {
      const scores =
        input.planner !== undefined && input.withNotes !== undefined
          ? ` (model ${pct(input.planner)} as planned, ${pct(input.withNotes)} with the notes)`
          : '';
      const cves = input.cves.length > 0 ? input.cves.join(' ') : 'no CVE';
      lines.push(
        `  ${input.package} ${input.version}: title "${input.title}", regression fix ${input.isRegressionUpdate ? 'yes' : 'no'}, ${cves}${scores}`,
      );
    }
  }
  return lines;
}
